import SensorBus

/// Knee flexion from a resistive flex sensor in a voltage divider, read single-ended by a TI ADS1115.
///
/// Register facts (TI SBAS444D): pointer 0x00 Conversion (signed 16-bit), 0x01 Config, 0x02 Lo_thresh,
/// 0x03 Hi_thresh (§9.6.1 Table 6), all 16-bit, MSB first (§9.5.2). Config (§9.6.3 Table 8): OS bit 15,
/// MUX 14:12 (1xx = AINx against GND), PGA 11:9, MODE bit 8 (0 continuous), DR 7:5, COMP_MODE 4,
/// COMP_POL 3, COMP_LAT 2, COMP_QUE 1:0 (11 = comparator off). Reset values: Config 0x8583, Lo_thresh
/// 0x8000, Hi_thresh 0x7FFF.
///
/// Lifecycle and the first conversion. The ADS1115 has no data-ready flag in continuous mode (OS reads
/// "busy" all the time there), and the driver has no clock. So that `readVolts()` never returns a result
/// taken with other settings (another channel, another range, or the zero a fresh chip holds), the driver
/// proves its first result with the single-shot OS handshake, then runs continuously:
/// 1. `configure()` writes the settings in single-shot mode and starts one conversion if the chip is idle
///    (OS = 1 and MODE = 1 on read); otherwise (a conversion is running, for example after a restart in
///    continuous mode) it waits for that one to finish first, since OS cannot start one then (§9.4.2.1).
/// 2. `readVolts()` polls OS until our conversion has finished, throwing `.conversionTimeout` while it
///    has not ("not ready yet": retry after 1/DR plus 25 µs wake-up), then switches to continuous mode,
///    verifies the switch by read-back and returns the result (that first one is the single-shot result,
///    as old as the wait since `configure()`). From then on a read is one transaction. OS is only relied
///    on in single-shot mode, where the datasheet defines it; what it reads in continuous mode is not used.
/// Every `configCheckInterval` reads, and whenever the result is exactly 0 (what a chip that lost power
/// holds), the Config register is read back: a chip that was reset makes `readVolts()` throw
/// `.configurationMismatch` and return to the unconfigured state, so the caller calls `configure()` again.
/// A result at either end of the range (0x7FFF or 0x8000) is clipped and throws `.sensorFault`.
///
/// Not detected: a chip whose conversions have stopped but whose Config reads right (the frozen fault):
/// the conversion register keeps its last value; spotting a flat signal is the caller's business.
public final class ADS1115FlexDriver: KneeAngleSensor {
    public let chip = "ADS1115"
    public let address: UInt8
    public let channel: Int
    public let calibration: FlexCalibration
    public let range: ADS1115Range
    public let dataRate: Int

    /// Data rates in samples per second, DR[2:0] order (SBAS444D Table 8).
    public static let supportedDataRates = [8, 16, 32, 64, 128, 250, 475, 860]
    /// How many continuous-mode reads pass between two read-backs of the Config register.
    public static let configCheckInterval = 64

    // Pointer values and field bits (SBAS444D Table 6 and Table 8).
    static let conversionRegister: UInt8 = 0x00
    static let configRegister: UInt8 = 0x01
    static let lowThresholdRegister: UInt8 = 0x02
    static let highThresholdRegister: UInt8 = 0x03
    static let operationalStatus: UInt16 = 0x8000
    static let singleShotMode: UInt16 = 0x0100
    static let comparatorDisabled: UInt16 = 0b11
    static let resetConfig: UInt16 = 0x8583
    static let resetLowThreshold: UInt16 = 0x8000
    static let resetHighThreshold: UInt16 = 0x7FFF

    private enum Phase {
        case unconfigured
        /// Another conversion was running at `configure()`; ours starts once the chip is idle.
        case waitingForIdle
        /// Our single-shot conversion is running.
        case converting
        case running(readsSinceCheck: Int)
    }

    private let bus: any I2CBus
    private var phase = Phase.unconfigured

    public init(
        bus: any I2CBus, address: UInt8 = 0x48, channel: Int = 0, calibration: FlexCalibration,
        range: ADS1115Range = .fs4_096, dataRate: Int = 860
    ) {
        self.bus = bus
        self.address = address
        self.channel = channel
        self.calibration = calibration
        self.range = range
        self.dataRate = dataRate
    }

    /// The Config value (without OS) this driver runs the chip with, in continuous or single-shot mode.
    /// Throws `.unsupportedSetting` for a channel, range or data rate the chip does not have.
    public func configValue(singleShot: Bool) throws(SensorError) -> UInt16 {
        guard (0...3).contains(channel) else {
            throw .unsupportedSetting(chip: chip, setting: "channel \(channel)", allowed: "0, 1, 2, 3 (AIN0-AIN3)")
        }
        guard let pga = range.pgaCode else {
            let list = ADS1115Range.supported.map(\.description).joined(separator: ", ")
            throw .unsupportedSetting(chip: chip, setting: "range \(range)", allowed: list)
        }
        guard let rateCode = Self.supportedDataRates.firstIndex(of: dataRate) else {
            let list = Self.supportedDataRates.map(String.init).joined(separator: ", ")
            throw .unsupportedSetting(chip: chip, setting: "data rate \(dataRate) SPS", allowed: list + " SPS")
        }
        let mux = UInt16(0b100 + channel)  // AINx against GND
        return mux << 12 | pga << 9 | (singleShot ? Self.singleShotMode : 0) | UInt16(rateCode) << 5
            | Self.comparatorDisabled
    }

    /// The ADS1115 has no identity register. The probe reads Config, Lo_thresh and Hi_thresh (three pointer
    /// writes, so it also shows the pointer works) and accepts the chip when the thresholds hold their
    /// reset values (this driver never writes them) and Config is either the reset value or one this
    /// driver writes (any channel, range, rate, mode; comparator bits as we set them), ignoring OS.
    ///
    /// Limits: another chip whose registers 1-3 happen to read like this passes; an ADS1115 that another
    /// program configured differently (thresholds or comparator) fails until it is power-cycled.
    public func probe() throws(SensorError) -> ChipIdentity {
        let config = try readRegister(Self.configRegister)
        let low = try readRegister(Self.lowThresholdRegister)
        let high = try readRegister(Self.highThresholdRegister)
        let isReset = config & 0x7FFF == Self.resetConfig & 0x7FFF
        let isOurs = config & 0x401F == 0x4000 | Self.comparatorDisabled
        guard (isReset || isOurs) && low == Self.resetLowThreshold && high == Self.resetHighThreshold else {
            throw .sensorFault(
                chip: chip, bus: bus.name, address: address,
                reason: "no ADS1115 found: Config 0x\(hex16(config)), Lo_thresh 0x\(hex16(low)), "
                    + "Hi_thresh 0x\(hex16(high)); expected Config 0x8583 (reset) or single-ended with the "
                    + "comparator off, thresholds 0x8000 and 0x7FFF; is another chip at this address?")
        }
        return ChipIdentity(chip: chip, register: Self.configRegister, value: UInt8(config >> 8))
    }

    /// Writes single-ended `channel`, `range`, `dataRate` and comparator off (COMP_QUE 11), verifies the
    /// write by read-back (ignoring OS) and starts the first conversion (see the type's documentation).
    public func configure() throws(SensorError) {
        phase = .unconfigured
        let settings = try configValue(singleShot: true)
        let before = try readRegister(Self.configRegister)
        let idle = before & (Self.operationalStatus | Self.singleShotMode) == Self.operationalStatus | Self.singleShotMode
        try writeRegister(Self.configRegister, idle ? settings | Self.operationalStatus : settings)
        try verifyConfig(try readRegister(Self.configRegister), expected: settings)
        phase = idle ? .converting : .waitingForIdle
    }

    /// The input voltage of the last finished conversion, in volts.
    public func readVolts() throws(SensorError) -> Double {
        switch phase {
        case .unconfigured:
            throw .notConfigured(chip: chip)
        case .waitingForIdle:
            let config = try readRegister(Self.configRegister)
            try verifyConfig(config, expected: try configValue(singleShot: true))
            if config & Self.operationalStatus != 0 {
                try writeRegister(Self.configRegister, try configValue(singleShot: true) | Self.operationalStatus)
                phase = .converting
            }
            throw notReady
        case .converting:
            try finishFirstConversion()
        case .running(let reads):
            if reads + 1 >= Self.configCheckInterval {
                try checkStillConfigured()
            } else {
                phase = .running(readsSinceCheck: reads + 1)
            }
        }
        var code = try readConversion()
        if code == 0 {
            // A chip that lost power reads 0 forever; a real 0 V input costs one extra read.
            try checkStillConfigured()
            code = try readConversion()
        }
        if code == .max || code == .min {
            throw .sensorFault(
                chip: chip, bus: bus.name, address: address,
                reason: "AIN\(channel) is outside the \(range) range (code 0x\(hex16(UInt16(bitPattern: code))), "
                    + "clipped); check the wiring or choose a wider range")
        }
        return Double(code) * range.voltsPerCount
    }

    public func readFlexion() throws(SensorError) -> Double {
        calibration.flexionDegrees(volts: try readVolts())
    }

    // MARK: Steps

    /// Our single-shot result is ready once OS reads 1; then switch to continuous conversions.
    private func finishFirstConversion() throws(SensorError) {
        let single = try configValue(singleShot: true)
        let continuous = try configValue(singleShot: false)
        let config = try readRegister(Self.configRegister)
        if config & 0x7FFF == continuous {
            // The switch was written before, but its read-back failed on the bus.
            phase = .running(readsSinceCheck: 0)
            return
        }
        try verifyConfig(config, expected: single)
        guard config & Self.operationalStatus != 0 else { throw notReady }
        try writeRegister(Self.configRegister, continuous)
        try verifyConfig(try readRegister(Self.configRegister), expected: continuous)
        phase = .running(readsSinceCheck: 0)
    }

    private func checkStillConfigured() throws(SensorError) {
        try verifyConfig(try readRegister(Self.configRegister), expected: try configValue(singleShot: false))
        phase = .running(readsSinceCheck: 0)
    }

    private var notReady: SensorError {
        .conversionTimeout(chip: chip, bus: bus.name, address: address)
    }

    /// Config is 16 bits but `configurationMismatch` carries bytes: it names the first byte that differs.
    /// A mismatch means the chip no longer runs our settings (reset, or another writer): back to
    /// unconfigured, so nothing is read until `configure()` has run again.
    private func verifyConfig(_ readBack: UInt16, expected: UInt16) throws(SensorError) {
        let found = readBack & 0x7FFF
        let wanted = expected & 0x7FFF
        guard found != wanted else { return }
        phase = .unconfigured
        let highDiffers = found >> 8 != wanted >> 8
        throw .configurationMismatch(
            chip: chip, bus: bus.name, address: address, register: Self.configRegister,
            wrote: highDiffers ? UInt8(wanted >> 8) : UInt8(wanted & 0xFF),
            readBack: highDiffers ? UInt8(found >> 8) : UInt8(found & 0xFF))
    }

    // MARK: Bus

    private func readConversion() throws(SensorError) -> Int16 {
        Int16(bitPattern: try readRegister(Self.conversionRegister))
    }

    private func readRegister(_ register: UInt8) throws(SensorError) -> UInt16 {
        try onBus { () throws(I2CError) in try bus.readWordBigEndian(address: address, register: register) }
    }

    private func writeRegister(_ register: UInt8, _ value: UInt16) throws(SensorError) {
        try onBus { () throws(I2CError) in
            try bus.writeWordBigEndian(address: address, register: register, value: value)
        }
    }
}

private func hex16(_ value: UInt16) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
