/// A register-level model of the ams AS5600 12-bit magnetic rotary position sensor.
///
/// Source: ams datasheet AS5600 DS000365 v1-06 (2018-Jun-20). What is modelled:
/// - Figure 21 register map: ZMCO 0x00, ZPOS 0x01-02, MPOS 0x03-04, MANG 0x05-06, CONF 0x07-08 (writable
///   and volatile until burned), STATUS 0x0B, RAW ANGLE 0x0C-0D, ANGLE 0x0E-0F, AGC 0x1A, MAGNITUDE
///   0x1B-1C, BURN 0xFF. 12-bit values, high byte (bits 11:8 in its low nibble) first. Bits the map leaves
///   blank read 0 and ignore writes. Note 2: configuration registers power up as programmed in OTP; this
///   model's OTP was never burned, so they power up as 0.
/// - Pointer (page 13, "Automatic Increment of the Address Pointer for ANGLE, RAW ANGLE and MAGNITUDE
///   Registers"): reads and writes auto-increment, except that RAW ANGLE, ANGLE and MAGNITUDE "suppress
///   the automatic increment of the address pointer on reads, so a re-read of these registers requires no
///   I²C write command to reload the address pointer. This special treatment of the pointer is effective
///   only if the address pointer is set to the high byte of the register." Modelled as: reading such a
///   low byte right after its high byte puts the pointer back on the high byte (0x0C, 0x0D, 0x0C, 0x0D,
///   ...); reading a low byte the pointer was written to directly increments as usual.
/// - ANGLE scaling (pages 21 and 26, "Angle Programming", Figures 27-28): the range starts at ZPOS and
///   is set either by MPOS (stop position) or by MANG (size); whichever was written last is used. The
///   output 0...4095 spans that range (so a narrower range has fewer distinct steps, N = range/360·4096);
///   outside it the output stays at its end, switching from 4095 to 0 halfway through the unused arc
///   (λ = (360° − θmax)/2). With ZPOS, MPOS and MANG all zero ANGLE equals RAW ANGLE. A range below
///   the datasheet's 18° minimum is treated as the full turn (the datasheet does not say what happens).
/// - STATUS (Figure 23): MD 0x20 magnet detected, ML 0x10 AGC at maximum gain (too weak), MH 0x08 AGC at
///   minimum gain (too strong); the other bits read 0.
/// - BURN 0xFF: not executed; each byte written there is recorded in `burnCommands` so tests can prove a
///   driver never sends it.
///
/// Field model (our choice; the datasheet's Bz limits were not verified here): the AGC regulates between
/// 30 and 90 mT, the commonly quoted recommended range. Below 30 mT ML is set (AGC at maximum gain), above
/// 90 mT MH is set (AGC at minimum gain), and below `detectionThresholdMilliTesla` MD is clear (no magnet).
/// AGC is 5 V mode (0...255), falling linearly from 255 at 30 mT to 0 at 90 mT. MAGNITUDE is 2048 while
/// the AGC is regulating and scales with the field once it has saturated. With no magnet the angle
/// registers read 0 (the datasheet drives the OUT pin low; the register contents are undefined).
///
/// Not modelled: the 10-LSB hysteresis at the 360° limit, HYST, the slow/fast filters and their latency,
/// power modes and the watchdog, the DIR pin (taken as tied to GND: the angle grows clockwise), noise.
/// The output is computed from the stimulus at each read transaction's time (one snapshot per read).
public final class AS5600Model: SimulatedDevice {
    public let model = "AS5600"

    // Register addresses, AS5600 datasheet Figure 21.
    public static let zmcoRegister: UInt8 = 0x00
    public static let zeroPositionRegister: UInt8 = 0x01
    public static let stopPositionRegister: UInt8 = 0x03
    public static let maximumAngleRegister: UInt8 = 0x05
    public static let configurationRegister: UInt8 = 0x07
    public static let statusRegister: UInt8 = 0x0B
    public static let rawAngleRegister: UInt8 = 0x0C
    public static let angleRegister: UInt8 = 0x0E
    public static let agcRegister: UInt8 = 0x1A
    public static let magnitudeRegister: UInt8 = 0x1B
    public static let burnRegister: UInt8 = 0xFF

    // STATUS bits, Figure 23.
    public static let magnetDetected: UInt8 = 0x20
    public static let magnetTooWeak: UInt8 = 0x10
    public static let magnetTooStrong: UInt8 = 0x08

    /// Field limits of the model, in millitesla (see the type's documentation).
    public static let detectionThresholdMilliTesla = 10.0
    public static let weakBelowMilliTesla = 30.0
    public static let strongAboveMilliTesla = 90.0
    /// MAGNITUDE while the AGC regulates.
    public static let regulatedMagnitude = 2048.0

    /// Registers whose low byte returns the pointer to the high byte (page 13).
    private static let specialHighBytes: Set<UInt8> = [0x0C, 0x0E, 0x1B]

    private enum RangeSource { case fullTurn, stopPosition, maximumAngle }

    private struct Outputs {
        var status: UInt8
        var rawAngle: UInt16
        var angle: UInt16
        var agc: UInt8
        var magnitude: UInt16
    }

    private let stimulus: any MagneticStimulus
    private var registers = RegisterFile()
    private var pointer: UInt8 = 0
    /// The special high byte just read, so the next read of its low byte can return the pointer to it.
    private var returnTo: UInt8?
    private var rangeSource = RangeSource.fullTurn

    /// Every byte written to BURN (0xFF), in order. The model never burns anything.
    public private(set) var burnCommands: [UInt8] = []

    public init(stimulus: any MagneticStimulus) {
        self.stimulus = stimulus
    }

    // MARK: SimulatedDevice

    public func receive(_ bytes: [UInt8], at time: Duration) {
        guard let first = bytes.first else { return }
        pointer = first
        returnTo = nil
        for byte in bytes.dropFirst() {
            write(byte, to: pointer)
            pointer &+= 1
        }
    }

    public func transmit(count: Int, at time: Duration) -> [UInt8] {
        let outputs = self.outputs(at: time)
        var bytes: [UInt8] = []
        for _ in 0..<max(count, 0) {
            bytes.append(read(pointer, outputs))
            advancePointerAfterRead()
        }
        return bytes
    }

    public func powerOnReset(at time: Duration) {
        registers.reset()
        pointer = 0
        returnTo = nil
        rangeSource = .fullTurn
    }

    // MARK: Registers

    private func write(_ byte: UInt8, to register: UInt8) {
        switch register {
        case 0x01, 0x03, 0x05: registers[register] = byte & 0x0F  // bits 11:8 of a 12-bit value
        case 0x02, 0x04, 0x06, 0x08: registers[register] = byte
        case 0x07: registers[register] = byte & 0x3F  // CONF bits 13:8
        case Self.burnRegister: burnCommands.append(byte)
        default: return  // read-only or unused
        }
        switch register {
        case 0x03, 0x04: rangeSource = .stopPosition
        case 0x05, 0x06: rangeSource = .maximumAngle
        default: break
        }
    }

    private func read(_ register: UInt8, _ outputs: Outputs) -> UInt8 {
        switch register {
        case 0x00...0x08: registers[register]
        case Self.statusRegister: outputs.status
        case 0x0C: UInt8(outputs.rawAngle >> 8)
        case 0x0D: UInt8(outputs.rawAngle & 0xFF)
        case 0x0E: UInt8(outputs.angle >> 8)
        case 0x0F: UInt8(outputs.angle & 0xFF)
        case Self.agcRegister: outputs.agc
        case 0x1B: UInt8(outputs.magnitude >> 8)
        case 0x1C: UInt8(outputs.magnitude & 0xFF)
        default: 0
        }
    }

    private func advancePointerAfterRead() {
        if let high = returnTo, pointer == high &+ 1 {
            pointer = high
            returnTo = nil
        } else {
            returnTo = Self.specialHighBytes.contains(pointer) ? pointer : nil
            pointer &+= 1
        }
    }

    private func twelveBit(at register: UInt8) -> Int {
        Int(registers[register] & 0x0F) << 8 | Int(registers[register &+ 1])
    }

    // MARK: Outputs

    private func outputs(at time: Duration) -> Outputs {
        let magnet = stimulus.magnet(at: time.seconds)
        let field = magnet.fieldMilliTesla.isFinite ? magnet.fieldMilliTesla : 0
        var status: UInt8 = 0
        if field >= Self.detectionThresholdMilliTesla { status |= Self.magnetDetected }
        if field < Self.weakBelowMilliTesla { status |= Self.magnetTooWeak }
        if field > Self.strongAboveMilliTesla { status |= Self.magnetTooStrong }

        let span = Self.strongAboveMilliTesla - Self.weakBelowMilliTesla
        let gain = (Self.strongAboveMilliTesla - field) / span
        let agc = UInt8(max(0, min(255, (255 * gain).rounded())))
        var magnitude = Self.regulatedMagnitude
        if field < Self.weakBelowMilliTesla { magnitude *= max(field, 0) / Self.weakBelowMilliTesla }
        if field > Self.strongAboveMilliTesla { magnitude *= field / Self.strongAboveMilliTesla }

        guard status & Self.magnetDetected != 0 else {
            return Outputs(status: status, rawAngle: 0, angle: 0, agc: agc, magnitude: UInt16(magnitude.rounded()))
        }
        // A non-finite angle from a broken stimulus reads as 0 rather than trapping.
        let counts = magnet.angleDeg.isFinite ? (magnet.angleDeg / 360 * 4096).rounded() : 0
        let raw = Int(counts.truncatingRemainder(dividingBy: 4096) + 4096) % 4096
        return Outputs(
            status: status, rawAngle: UInt16(raw), angle: UInt16(scaledAngle(raw: raw)), agc: agc,
            magnitude: UInt16(min(4095, magnitude.rounded())))
    }

    /// ANGLE from RAW ANGLE, ZPOS and MPOS or MANG (datasheet pages 21 and 26).
    private func scaledAngle(raw: Int) -> Int {
        let start = twelveBit(at: Self.zeroPositionRegister)
        var range: Int
        switch rangeSource {
        case .fullTurn: range = 4096
        case .stopPosition: range = (twelveBit(at: Self.stopPositionRegister) - start + 4096) % 4096
        case .maximumAngle: range = twelveBit(at: Self.maximumAngleRegister)
        }
        if range < 205 { range = 4096 }  // below the 18° minimum (205 counts), or unset: full turn
        let offset = (raw - start + 4096) % 4096
        if offset < range { return min(4095, offset * 4096 / range) }
        // In the unused arc the output holds its nearer end.
        return offset - range < (4096 - range) / 2 ? 4095 : 0
    }
}
