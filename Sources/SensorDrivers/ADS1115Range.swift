/// A full-scale input range of the ADS1115's programmable gain amplifier (TI SBAS444D §9.3.3, Table 3).
///
/// A struct rather than an enum so a range can come from configuration as a number of volts; the driver
/// rejects values the chip does not have with `SensorError.unsupportedSetting`.
public struct ADS1115Range: Sendable, Hashable, CustomStringConvertible {
    /// The range is ±`fullScaleVolts`.
    public let fullScaleVolts: Double

    public init(fullScaleVolts: Double) {
        self.fullScaleVolts = fullScaleVolts
    }

    public static let fs6_144 = ADS1115Range(fullScaleVolts: 6.144)
    public static let fs4_096 = ADS1115Range(fullScaleVolts: 4.096)
    public static let fs2_048 = ADS1115Range(fullScaleVolts: 2.048)
    public static let fs1_024 = ADS1115Range(fullScaleVolts: 1.024)
    public static let fs0_512 = ADS1115Range(fullScaleVolts: 0.512)
    public static let fs0_256 = ADS1115Range(fullScaleVolts: 0.256)

    /// The chip's ranges in PGA[2:0] order (000 = ±6.144 V ... 101 = ±0.256 V; 110 and 111 repeat ±0.256 V).
    public static let supported: [ADS1115Range] = [.fs6_144, .fs4_096, .fs2_048, .fs1_024, .fs0_512, .fs0_256]

    /// PGA[2:0], or nil when the chip has no such range.
    var pgaCode: UInt16? {
        Self.supported.firstIndex(of: self).map { UInt16($0) }
    }

    /// Volts per count: FSR / 2^15 (SBAS444D Equation 4), 125 µV at ±4.096 V.
    public var voltsPerCount: Double { fullScaleVolts / 32768 }

    public var description: String { "±\(fullScaleVolts) V" }
}
