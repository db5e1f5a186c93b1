/// A two-point calibration of a flex-sensor voltage divider: the ADC input voltage with the knee straight
/// (0°) and at a known bend (`bentDeg`, 90° by default). Flexion is the straight line through the two
/// points; a resistive flex sensor's divider is not exactly linear, so readings between and beyond the
/// points carry a few degrees of error (see `FlexSensorCircuit` in KneeloadSimulation).
///
/// The initialiser and the decoder reject degenerate calibrations, so the mapping never divides by zero.
public struct FlexCalibration: Sendable, Hashable, Codable, CustomStringConvertible {
    public let straightVolts: Double
    public let bentVolts: Double
    public let bentDeg: Double

    public init(straightVolts: Double, bentVolts: Double, bentDeg: Double = 90) throws(FlexCalibrationError) {
        for (name, value) in [("straightVolts", straightVolts), ("bentVolts", bentVolts), ("bentDeg", bentDeg)]
        where !value.isFinite {
            throw .notFinite(field: name, value: value)
        }
        guard straightVolts != bentVolts else { throw .equalVolts(straightVolts) }
        guard bentDeg != 0 else { throw .zeroBendAngle }
        self.straightVolts = straightVolts
        self.bentVolts = bentVolts
        self.bentDeg = bentDeg
    }

    /// The default wiring (a 4.5" Spectra Symbol flex sensor under a 47 kΩ resistor on 3.3 V: about 25 kΩ
    /// straight, 62 kΩ at 90°), until the runner's own two-point calibration replaces it. Also what the
    /// chip scan hands a driver it only probes.
    public static let typical = FlexCalibration(unchecked: 1.146, 1.877, 90)

    private init(unchecked straightVolts: Double, _ bentVolts: Double, _ bentDeg: Double) {
        self.straightVolts = straightVolts
        self.bentVolts = bentVolts
        self.bentDeg = bentDeg
    }

    private enum CodingKeys: String, CodingKey {
        case straightVolts, bentVolts, bentDeg
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let straight = try container.decode(Double.self, forKey: .straightVolts)
        let bent = try container.decode(Double.self, forKey: .bentVolts)
        let degrees = try container.decodeIfPresent(Double.self, forKey: .bentDeg) ?? 90
        do {
            try self.init(straightVolts: straight, bentVolts: bent, bentDeg: degrees)
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// Degrees of flexion per volt of ADC input.
    public var degreesPerVolt: Double { bentDeg / (bentVolts - straightVolts) }

    /// Knee flexion in degrees (0 = straight, positive = flexed) for an ADC input voltage.
    public func flexionDegrees(volts: Double) -> Double {
        (volts - straightVolts) * degreesPerVolt
    }

    /// The ADC input voltage expected at a knee flexion: the inverse of `flexionDegrees(volts:)`.
    public func volts(flexionDegrees: Double) -> Double {
        straightVolts + flexionDegrees / degreesPerVolt
    }

    public var description: String {
        "flex calibration: \(straightVolts) V straight, \(bentVolts) V at \(bentDeg)°"
    }
}

/// Why a `FlexCalibration` could not be made.
public enum FlexCalibrationError: Error, Hashable, CustomStringConvertible {
    /// Straight and bent read the same voltage: the sensor did not respond, or both points were taken
    /// at the same bend.
    case equalVolts(Double)
    case zeroBendAngle
    case notFinite(field: String, value: Double)

    public var description: String {
        switch self {
        case .equalVolts(let volts):
            "flex calibration: straightVolts and bentVolts are both \(volts) V; the two points must differ "
                + "(was the knee bent for the second point, is the sensor connected?)"
        case .zeroBendAngle:
            "flex calibration: bentDeg is 0; the second point must be at a bend other than straight"
        case let .notFinite(field, value):
            "flex calibration: \(field) is \(value); it must be a finite number"
        }
    }
}
