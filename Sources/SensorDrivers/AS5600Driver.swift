import SensorBus

/// Knee flexion from an ams AS5600 magnetic encoder on a hinged knee brace: the chip on one side of the
/// hinge, a diametrically magnetised magnet on the other.
///
/// Register facts (ams AS5600 datasheet DS000365 v1-06, Figure 21): CONF 0x07-08 (bits 13:0), STATUS 0x0B
/// (MD 0x20 magnet detected, ML 0x10 too weak, MH 0x08 too strong, Figure 23), RAW ANGLE 0x0C-0D (12 bits,
/// high byte first, 4096 counts per turn), BURN 0xFF. This driver reads RAW ANGLE, not ANGLE, so the
/// chip's own ZPOS/MPOS/MANG never matter, and it NEVER writes BURN: burning is one-time programming of
/// the chip's OTP memory (at most three ZPOS/MPOS burns, one settings burn) and is left to a person.
///
/// Flexion = (raw angle − `zeroOffsetDeg`), negated unless `clockwiseIsFlexion`, wrapped to (−180°, 180°].
/// "Clockwise" is the chip's own sense with DIR tied to GND (the raw angle grows clockwise, seen from the
/// magnet side). `readRawDegrees()` gives the unmodified angle to take the zero from, knee straight.
public final class AS5600Driver: KneeAngleSensor {
    public let chip = "AS5600"
    public let address: UInt8
    public let zeroOffsetDeg: Double
    public let clockwiseIsFlexion: Bool

    // Registers and bits, AS5600 datasheet Figures 21-23.
    static let configurationRegister: UInt8 = 0x07
    static let statusRegister: UInt8 = 0x0B
    static let rawAngleRegister: UInt8 = 0x0C
    static let magnetDetected: UInt8 = 0x20
    static let magnetTooWeak: UInt8 = 0x10
    static let magnetTooStrong: UInt8 = 0x08
    /// STATUS bits the register map leaves blank; they read 0 ("0 0 MD ML MH 0 0 0").
    static let statusUnusedBits: UInt8 = 0xC7
    /// CONF bits 13:0; bits 15:14 are blank and "may contain factory settings" (Figure 21 note 1), so they
    /// are kept as read.
    static let configurationMask: UInt16 = 0x3FFF

    /// The CONF value written (Figure 22): PM 00 (always on: no polling delay), HYST 00 (the raw angle is
    /// not hysteresis-filtered anyway), OUTS and PWMF 00 (the OUT pin is unused), SF 01 (8x slow filter,
    /// 1.1 ms step response) with FTH 001 (the fast filter takes over above 6 LSB, about 0.5°, so quick
    /// knee motion is not smeared), WD 0 (the watchdog would drop to LPM3 after a minute of sitting still).
    public static let configuration: UInt16 = 0b001 << 10 | 0b01 << 8

    private let bus: any I2CBus
    private var configured = false

    public init(bus: any I2CBus, address: UInt8 = 0x36, zeroOffsetDeg: Double = 0, clockwiseIsFlexion: Bool = true) {
        self.bus = bus
        self.address = address
        self.zeroOffsetDeg = zeroOffsetDeg
        self.clockwiseIsFlexion = clockwiseIsFlexion
    }

    /// The AS5600 has no identity register. The probe reads STATUS and accepts the chip when the bits the
    /// register map leaves blank read 0 and ML and MH are not both set (the AGC cannot sit at its minimum
    /// and maximum at once). It does not require a magnet.
    ///
    /// Limits: a different chip whose register 0x0B happens to read like this passes; that the blank
    /// STATUS bits read 0 comes from common driver documentation, not from an explicit datasheet value.
    public func probe() throws(SensorError) -> ChipIdentity {
        let status = try onBus { () throws(I2CError) in try bus.readByte(address: address, register: Self.statusRegister) }
        let bothLimits = Self.magnetTooWeak | Self.magnetTooStrong
        guard status & Self.statusUnusedBits == 0, status & bothLimits != bothLimits else {
            throw .wrongIdentity(
                chip: chip, bus: bus.name, address: address, register: Self.statusRegister,
                expected: [0x00, 0x08, 0x10, 0x20, 0x28, 0x30], found: status)
        }
        return ChipIdentity(chip: chip, register: Self.statusRegister, value: status)
    }

    /// Writes `configuration` to CONF (keeping the blank bits 15:14 as read) and verifies it by read-back.
    /// The setting is volatile: it is lost at power-off and written again by the next `configure()`.
    public func configure() throws(SensorError) {
        configured = false
        let current = try onBus { () throws(I2CError) in
            try bus.readWordBigEndian(address: address, register: Self.configurationRegister)
        }
        let wanted = current & ~Self.configurationMask | Self.configuration
        try onBus { () throws(I2CError) in
            try bus.writeWordBigEndian(address: address, register: Self.configurationRegister, value: wanted)
        }
        let readBack = try onBus { () throws(I2CError) in
            try bus.readWordBigEndian(address: address, register: Self.configurationRegister)
        }
        if readBack & Self.configurationMask != Self.configuration {
            let highDiffers = (readBack ^ wanted) & 0x3F00 != 0
            throw .configurationMismatch(
                chip: chip, bus: bus.name, address: address,
                register: highDiffers ? Self.configurationRegister : Self.configurationRegister + 1,
                wrote: highDiffers ? UInt8(wanted >> 8) : UInt8(wanted & 0xFF),
                readBack: highDiffers ? UInt8(readBack >> 8) : UInt8(readBack & 0xFF))
        }
        configured = true
    }

    /// Knee flexion in degrees, from STATUS and RAW ANGLE read in one 3-byte transaction.
    public func readFlexion() throws(SensorError) -> Double {
        let raw = try readRawDegrees()
        let direction = clockwiseIsFlexion ? 1.0 : -1.0
        return Self.wrapped((raw - zeroOffsetDeg) * direction)
    }

    /// The raw angle in degrees, 0 ≤ angle < 360, after the same magnet checks as `readFlexion()`.
    public func readRawDegrees() throws(SensorError) -> Double {
        guard configured else { throw .notConfigured(chip: chip) }
        let bytes = try onBus { () throws(I2CError) in
            try bus.read(address: address, register: Self.statusRegister, count: 3)
        }
        try check(status: bytes[0])
        let counts = Int(bytes[1] & 0x0F) << 8 | Int(bytes[2])
        return Double(counts) * 360 / 4096
    }

    private func check(status: UInt8) throws(SensorError) {
        func fault(_ reason: String) -> SensorError {
            .sensorFault(chip: chip, bus: bus.name, address: address, reason: reason + " (STATUS 0x\(hex(status)))")
        }
        if status & Self.statusUnusedBits != 0 {
            throw fault("STATUS has bits set that the AS5600 never sets; the bus or the chip is misbehaving")
        }
        if status & Self.magnetDetected == 0 { throw fault("no magnet detected") }
        if status & Self.magnetTooWeak != 0 { throw fault("magnet too weak: AGC at maximum gain; move it closer") }
        if status & Self.magnetTooStrong != 0 {
            throw fault("magnet too strong: AGC at minimum gain; move it further away")
        }
    }

    /// `degrees` wrapped into (−180, 180].
    public static func wrapped(_ degrees: Double) -> Double {
        var value = degrees.truncatingRemainder(dividingBy: 360)
        if value <= -180 { value += 360 } else if value > 180 { value -= 360 }
        return value
    }
}
