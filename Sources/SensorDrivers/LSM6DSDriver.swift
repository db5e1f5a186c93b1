import KneeloadCore
import SensorBus

/// Driver for the ST LSM6DS3, LSM6DS3TR-C/LSM6DSL and LSM6DSO/LSM6DSOX accelerometer + gyroscope over I2C.
///
/// Register facts come from the LSM6DS3 datasheet (DocID026899), the LSM6DSOX datasheet (DS12814) and Linux
/// `st_lsm6dsx_core.c` / `st_lsm6dsx_buffer.c`, which drive all three families with one register layout for the
/// data path and two FIFO layouts:
/// - LSM6DS3 and LSM6DS3TR-C/LSM6DSL: untagged FIFO of 16-bit words in a gyro-then-accel pattern, read at 0x3E.
///   Linux uses the same `st_lsm6dsx_read_fifo` and the same FIFO registers (0x06-0x0A, 0x3A-0x3E) for both;
///   they differ in size (8 kbyte vs 4 kbyte) and DIFF_FIFO width (12 vs 11 bits), which this driver handles.
/// - LSM6DSO/LSM6DSOX: tagged FIFO of 7-byte words (tag + X, Y, Z) at 0x78, 512 words.
public final class LSM6DSDriver: ShankIMU {
    public private(set) var chip: String
    public let address: UInt8
    public let hasGyro = true

    private let bus: any I2CBus
    private var family: Family?
    private var applied: AppliedIMUSettings?
    private var odrCode: UInt8 = 0
    private var fifoRunning = false
    /// An overflow restart that a bus error interrupted; the next drain finishes it.
    private var fifoNeedsRestart = false

    public init(bus: any I2CBus, address: UInt8 = 0x6A) {
        self.bus = bus
        self.address = address
        chip = Self.familyName
    }

    private static let familyName = "LSM6DS"

    // MARK: - Registers

    /// Common registers (both datasheets' register maps; Linux st_lsm6dsx_core.c).
    private enum Reg {
        static let whoAmI: UInt8 = 0x0F
        static let ctrl1XL: UInt8 = 0x10
        static let ctrl2G: UInt8 = 0x11
        static let ctrl3C: UInt8 = 0x12
        static let outXLG: UInt8 = 0x22
        static let fifoStatus1: UInt8 = 0x3A
        // LSM6DS3-layout FIFO: FIFO_CTRL3 decimation 0x08, FIFO_CTRL5 ODR_FIFO + FIFO_MODE 0x0A,
        // FIFO_DATA_OUT_L 0x3E (DocID026899 register map; Linux decimator 0x08, FIFO_MODE_ADDR 0x0a, OUTL 0x3e).
        static let ds3FIFOCtrl3: UInt8 = 0x08
        static let ds3FIFOCtrl5: UInt8 = 0x0A
        static let ds3FIFODataOutL: UInt8 = 0x3E
        // LSM6DSOX FIFO: FIFO_CTRL3 batch rates 0x09, FIFO_CTRL4 mode 0x0A, FIFO_DATA_OUT_TAG 0x78 (DS12814 register
        // map; lsm6dsox_reg.h; Linux batch 0x09, FIFO_OUT_TAG_ADDR 0x78).
        static let dsoxFIFOCtrl3: UInt8 = 0x09
        static let dsoxFIFOCtrl4: UInt8 = 0x0A
        static let dsoxFIFODataOutTag: UInt8 = 0x78
    }

    /// CTRL3_C: BDU 0x40, IF_INC 0x04 (reset value), SW_RESET 0x01, self-clearing.
    private enum Ctrl3 {
        static let bdu: UInt8 = 0x40
        static let ifInc: UInt8 = 0x04
        static let swReset: UInt8 = 0x01
    }

    /// FIFO_MODE (bits 2:0 of 0x0A on every family): 000 bypass (empties the FIFO), 110 continuous.
    private enum FIFOMode {
        static let bypass: UInt8 = 0b000
        static let continuous: UInt8 = 0b110
    }

    private enum Family {
        case lsm6ds3
        case lsm6dsl
        case lsm6dsox

        /// WHO_AM_I values: Linux st_lsm6dsx_core.c `.wai` (0x69 LSM6DS3, 0x6a LSM6DSL/DSM/DS3TR-C, 0x6c LSM6DSO/DSOX).
        init?(whoAmI: UInt8) {
            switch whoAmI {
            case 0x69: self = .lsm6ds3
            case 0x6A: self = .lsm6dsl
            case 0x6C: self = .lsm6dsox
            default: return nil
            }
        }

        var name: String {
            switch self {
            case .lsm6ds3: "LSM6DS3"
            case .lsm6dsl: "LSM6DS3TR-C/LSM6DSL"
            case .lsm6dsox: "LSM6DSO/LSM6DSOX"
            }
        }

        /// The LSM6DS3 and LSM6DSL datasheets call the smallest FS_G range ±245 dps, the LSM6DSO/DSOX ±250 dps.
        var smallGyroRange: Int { self == .lsm6dsox ? 250 : 245 }

        /// ODR codes 1...8 in Hz, valid for both sensors on every family (the LSM6DS3 CTRL2_G table stops
        /// the gyroscope at 1.66 kHz; the DSOX calls code 6 417 Hz; Linux odr_avl lists codes 1-6 for all).
        var outputDataRates: [Double] {
            [12.5, 26, 52, 104, 208, self == .lsm6dsox ? 417 : 416, 833, 1660]
        }

        /// Untagged FIFO: capacity in 16-bit words and DIFF_FIFO mask (Linux max_fifo_size 1365 / 682 six-byte
        /// samples, fifo_diff GENMASK(11, 0) / GENMASK(10, 0)).
        var untaggedCapacityWords: Int { self == .lsm6ds3 ? 4096 : 2048 }
        var untaggedDiffMask: Int { self == .lsm6ds3 ? 0x0FFF : 0x07FF }
    }

    private static let identityCodes: [UInt8] = [0x69, 0x6A, 0x6C]

    // MARK: - ShankIMU

    public func probe() throws(SensorError) -> ChipIdentity {
        let value = try onBus { () throws(I2CError) in try bus.readByte(address: address, register: Reg.whoAmI) }
        guard let found = Family(whoAmI: value) else {
            throw .wrongIdentity(
                chip: chip, bus: bus.name, address: address, register: Reg.whoAmI, expected: Self.identityCodes,
                found: value)
        }
        family = found
        chip = found.name
        return ChipIdentity(chip: found.name, register: Reg.whoAmI, value: value)
    }

    /// Checks the identity, resets the chip, sets BDU + IF_INC, the ODR (the smallest at or above the request)
    /// and both full-scale ranges, and verifies them by reading back. Calling it again re-initialises a chip
    /// that lost power.
    @discardableResult
    public func configure(_ settings: IMUSettings) throws(SensorError) -> AppliedIMUSettings {
        applied = nil
        fifoRunning = false
        fifoNeedsRestart = false
        let family = try probeFamily()
        let accel = try accelRange(settings.accelRangeG)
        let gyro = try gyroRange(settings.gyroRangeDPS, family: family)
        let rate = try outputDataRate(settings.sampleRateHz, family: family)

        try softwareReset()
        let ctrl1 = rate.code << 4 | accel.bits << 2
        let ctrl2 = rate.code << 4 | gyro.bits << 1
        let ctrl3 = Ctrl3.bdu | Ctrl3.ifInc
        try writeByte(Reg.ctrl3C, ctrl3)  // IF_INC first: the read-back below is a burst
        try writeByte(Reg.ctrl1XL, ctrl1)
        try writeByte(Reg.ctrl2G, ctrl2)
        let readBack = try readBytes(Reg.ctrl1XL, count: 3)
        for (offset, wrote) in [ctrl1, ctrl2, ctrl3].enumerated() where readBack[offset] != wrote {
            throw .configurationMismatch(
                chip: chip, bus: bus.name, address: address, register: Reg.ctrl1XL + UInt8(offset), wrote: wrote,
                readBack: readBack[offset])
        }

        odrCode = rate.code
        let result = AppliedIMUSettings(
            accelRangeG: settings.accelRangeG, gyroRangeDPS: gyro.rangeDPS, outputDataRateHz: rate.hz,
            accelGPerLSB: accel.gPerLSB, gyroDPSPerLSB: gyro.dpsPerLSB)
        applied = result
        return result
    }

    /// Gyroscope then accelerometer, X/Y/Z each little-endian, in one 12-byte burst from OUTX_L_G (0x22..0x2D).
    public func read() throws(SensorError) -> IMUReading {
        let settings = try requireConfigured()
        let bytes = try readBytes(Reg.outXLG, count: 12)
        return reading(gyro: Array(bytes[0..<6]), accel: Array(bytes[6..<12]), settings: settings)
    }

    /// Empties the FIFO (bypass), then batches both sensors at the configured ODR in continuous mode.
    public func enableFIFO() throws(SensorError) {
        _ = try requireConfigured()
        let family = try requireFamily()
        fifoRunning = false
        fifoNeedsRestart = false
        switch family {
        case .lsm6ds3, .lsm6dsl:
            // FIFO_CTRL3: DEC_FIFO_GYRO (5:3) and DEC_FIFO_XL (2:0) = 001, no decimation. FIFO_CTRL5: ODR_FIFO
            // (6:3) = the sensors' ODR code (the datasheet wants ODR_FIFO <= both ODRs), FIFO_MODE continuous.
            let decimation: UInt8 = 0b001 << 3 | 0b001
            try writeByte(Reg.ds3FIFOCtrl5, odrCode << 3 | FIFOMode.bypass)
            try writeByte(Reg.ds3FIFOCtrl3, decimation)
            try writeByte(Reg.ds3FIFOCtrl5, odrCode << 3 | FIFOMode.continuous)
            try verify(Reg.ds3FIFOCtrl3, decimation)
            try verify(Reg.ds3FIFOCtrl5, odrCode << 3 | FIFOMode.continuous)
        case .lsm6dsox:
            // FIFO_CTRL3: BDR_GY (7:4) and BDR_XL (3:0) use the ODR codes. FIFO_CTRL4: FIFO_MODE continuous.
            let batch = odrCode << 4 | odrCode
            try writeByte(Reg.dsoxFIFOCtrl4, FIFOMode.bypass)
            try writeByte(Reg.dsoxFIFOCtrl3, batch)
            try writeByte(Reg.dsoxFIFOCtrl4, FIFOMode.continuous)
            try verify(Reg.dsoxFIFOCtrl3, batch)
            try verify(Reg.dsoxFIFOCtrl4, FIFOMode.continuous)
        }
        fifoRunning = true
    }

    /// Every complete gyro + accel pair in the FIFO, oldest first. After an overrun the FIFO's contents are
    /// thrown away and the FIFO restarted (bypass, then continuous), as `FIFODrain` describes.
    public func drainFIFO() throws(SensorError) -> FIFODrain {
        let settings = try requireConfigured()
        let family = try requireFamily()
        guard fifoRunning else { throw .notConfigured(chip: chip + " FIFO (call enableFIFO())") }
        if fifoNeedsRestart {
            try restartFIFO(family: family)
            return FIFODrain(readings: [], overflowed: false, discardedSamples: 0)
        }
        switch family {
        case .lsm6ds3, .lsm6dsl: return try drainUntagged(family: family, settings: settings)
        case .lsm6dsox: return try drainTagged(settings: settings)
        }
    }

    // MARK: - FIFO draining

    /// Untagged FIFO: FIFO_STATUS1..4 (0x3A..0x3D) give DIFF_FIFO (unread 16-bit words), FIFO_OVER_RUN (0x3B bit 6:
    /// completely filled), FIFO_EMPTY (0x3B bit 4) and FIFO_PATTERN (index in the Gx Gy Gz Ax Ay Az pattern of
    /// the next word). A full LSM6DS3 holds 4096 words, which the 12-bit DIFF_FIFO shows as 0.
    ///
    /// The words are read in ONE call from FIFO_DATA_OUT_L with `.fixed`: the port wraps 0x3F -> 0x3E, and a
    /// transport that must split the read (SMBus, 32-byte blocks) restarts each block at 0x3E, which is right
    /// because every block holds whole 2-byte words.
    private func drainUntagged(family: Family, settings: AppliedIMUSettings) throws(SensorError) -> FIFODrain {
        let status = try readBytes(Reg.fifoStatus1, count: 4)
        let diff = (Int(status[0]) | Int(status[1]) << 8) & family.untaggedDiffMask
        let overrun = status[1] & 0x40 != 0
        let empty = status[1] & 0x10 != 0
        let wordsPerSample = 6
        if overrun {
            let words = diff == 0 ? family.untaggedCapacityWords : diff
            try restartFIFO(family: family)
            return FIFODrain(readings: [], overflowed: true, discardedSamples: words / wordsPerSample)
        }
        guard !empty, diff > 0 else { return FIFODrain(readings: [], overflowed: false, discardedSamples: 0) }

        // A partial sample at the head (after an interrupted read) is skipped to get back in step.
        let pattern = (Int(status[2]) | Int(status[3]) << 8) & 0x03FF
        let skip = pattern % wordsPerSample == 0 ? 0 : wordsPerSample - pattern % wordsPerSample
        guard diff >= skip else { return FIFODrain(readings: [], overflowed: false, discardedSamples: 0) }
        let samples = (diff - skip) / wordsPerSample
        let words = skip + samples * wordsPerSample
        guard words > 0 else { return FIFODrain(readings: [], overflowed: false, discardedSamples: 0) }
        let bytes = try onBus { () throws(I2CError) in
            try bus.read(address: address, register: Reg.ds3FIFODataOutL, count: words * 2, addressing: .fixed)
        }
        var readings: [IMUReading] = []
        readings.reserveCapacity(samples)
        for index in 0..<samples {
            let start = (skip + index * wordsPerSample) * 2
            readings.append(
                reading(
                    gyro: Array(bytes[start..<start + 6]), accel: Array(bytes[start + 6..<start + 12]),
                    settings: settings))
        }
        return FIFODrain(readings: readings, overflowed: false, discardedSamples: skip > 0 ? 1 : 0)
    }

    /// Tagged FIFO: FIFO_STATUS1/2 (0x3A/0x3B) give DIFF_FIFO (10 bits, unread words), FIFO_OVR_IA (bit 6) and
    /// FIFO_OVR_LATCHED (bit 3).
    ///
    /// Each word is 7 bytes at 0x78..0x7E and the port wraps 0x7E -> 0x78, so k words are k*7 bytes read from
    /// 0x78. A transport that splits a long read restarts each piece at 0x78; SMBus pieces are 32 bytes, not a
    /// multiple of 7, so one long read would tear words apart there. Reads are therefore at most 4 words
    /// (28 bytes): no transport splits them, on plain I2C and SMBus alike (Linux st_lsm6dsx uses the same
    /// 28-byte limit, ST_LSM6DSX_MAX_TAGGED_WORD_LEN).
    private func drainTagged(settings: AppliedIMUSettings) throws(SensorError) -> FIFODrain {
        let status = try readBytes(Reg.fifoStatus1, count: 2)
        let diff = Int(status[0]) | Int(status[1] & 0x03) << 8
        let overrun = status[1] & 0x40 != 0 || status[1] & 0x08 != 0
        if overrun {
            try restartFIFO(family: .lsm6dsox)
            return FIFODrain(readings: [], overflowed: true, discardedSamples: diff / 2)
        }
        // Whole gyro + accel pairs only; an odd word (a pair still being written) stays for the next drain.
        let words = diff - diff % 2
        let wordSize = 7
        let wordsPerRead = 4
        var gyroWords: [[UInt8]] = []
        var accelWords: [[UInt8]] = []
        var done = 0
        while done < words {
            let n = min(wordsPerRead, words - done)
            let bytes = try onBus { () throws(I2CError) in
                try bus.read(
                    address: address, register: Reg.dsoxFIFODataOutTag, count: n * wordSize, addressing: .fixed)
            }
            for word in 0..<n {
                let start = word * wordSize
                let data = Array(bytes[start + 1..<start + wordSize])
                // TAG_SENSOR, tag bits 7:3: 0x01 gyroscope, 0x02 accelerometer (Linux: `tag = buff[i] >> 3`).
                switch bytes[start] >> 3 {
                case 0x01: gyroWords.append(data)
                case 0x02: accelWords.append(data)
                default: break  // timestamp, temperature or sensor-hub words are not used
                }
            }
            done += n
        }
        let pairs = min(gyroWords.count, accelWords.count)
        let readings = (0..<pairs).map { reading(gyro: gyroWords[$0], accel: accelWords[$0], settings: settings) }
        return FIFODrain(readings: readings, overflowed: false, discardedSamples: 0)
    }

    private func restartFIFO(family: Family) throws(SensorError) {
        fifoNeedsRestart = true  // stays set if a write fails
        switch family {
        case .lsm6ds3, .lsm6dsl:
            try writeByte(Reg.ds3FIFOCtrl5, odrCode << 3 | FIFOMode.bypass)
            try writeByte(Reg.ds3FIFOCtrl5, odrCode << 3 | FIFOMode.continuous)
        case .lsm6dsox:
            try writeByte(Reg.dsoxFIFOCtrl4, FIFOMode.bypass)
            try writeByte(Reg.dsoxFIFOCtrl4, FIFOMode.continuous)
        }
        fifoNeedsRestart = false
    }

    // MARK: - Settings tables

    /// FS_XL (CTRL1_XL bits 3:2): 00 ±2 g, 10 ±4 g, 11 ±8 g, 01 ±16 g at 0.061/0.122/0.244/0.488 mg/LSB.
    private func accelRange(_ g: Int) throws(SensorError) -> (bits: UInt8, gPerLSB: Double) {
        switch g {
        case 2: return (0b00, 0.061e-3)
        case 4: return (0b10, 0.122e-3)
        case 8: return (0b11, 0.244e-3)
        case 16: return (0b01, 0.488e-3)
        default:
            throw .unsupportedSetting(
                chip: chip, setting: "accelerometer range ±\(g) g", allowed: "±2, ±4, ±8, ±16 g")
        }
    }

    /// CTRL2_G bits 3:1 as FS_G (3:2) + FS_125 (1): 245/250, 500, 1000, 2000 dps at 8.75/17.5/35/70 mdps/LSB,
    /// 125 dps at 4.375. 245 and 250 name the same range.
    private func gyroRange(_ dps: Int, family: Family) throws(SensorError)
        -> (bits: UInt8, rangeDPS: Int, dpsPerLSB: Double)
    {
        switch dps {
        case 125: return (0b001, 125, 4.375e-3)
        case 245, 250: return (0b000, family.smallGyroRange, 8.75e-3)
        case 500: return (0b010, 500, 17.5e-3)
        case 1000: return (0b100, 1000, 35e-3)
        case 2000: return (0b110, 2000, 70e-3)
        default:
            throw .unsupportedSetting(
                chip: chip, setting: "gyroscope range ±\(dps) dps",
                allowed: "±125, ±245 (or 250), ±500, ±1000, ±2000 dps")
        }
    }

    private func outputDataRate(_ hz: Double, family: Family) throws(SensorError) -> (code: UInt8, hz: Double) {
        let rates = family.outputDataRates
        if hz.isFinite, hz > 0, let index = rates.firstIndex(where: { $0 >= hz }) {
            return (UInt8(index + 1), rates[index])
        }
        let list = rates.map { $0.rounded() == $0 ? String(Int($0)) : String($0) }.joined(separator: ", ")
        throw .unsupportedSetting(chip: chip, setting: "sample rate \(hz) Hz", allowed: "up to \(list) Hz")
    }

    // MARK: - Helpers

    private func probeFamily() throws(SensorError) -> Family {
        _ = try probe()
        return try requireFamily()
    }

    private func requireFamily() throws(SensorError) -> Family {
        guard let family else { throw .notConfigured(chip: chip) }
        return family
    }

    private func requireConfigured() throws(SensorError) -> AppliedIMUSettings {
        guard let applied else { throw .notConfigured(chip: chip) }
        return applied
    }

    /// SW_RESET restores the reset values and clears itself; the chip answers while it resets, so poll briefly.
    private func softwareReset() throws(SensorError) {
        try writeByte(Reg.ctrl3C, Ctrl3.ifInc | Ctrl3.swReset)
        for _ in 0..<5 {
            if try readBytes(Reg.ctrl3C, count: 1)[0] & Ctrl3.swReset == 0 { return }
        }
        throw .sensorFault(chip: chip, bus: bus.name, address: address, reason: "software reset did not complete")
    }

    private func verify(_ register: UInt8, _ wrote: UInt8) throws(SensorError) {
        let got = try readBytes(register, count: 1)[0]
        guard got == wrote else {
            throw .configurationMismatch(
                chip: chip, bus: bus.name, address: address, register: register, wrote: wrote, readBack: got)
        }
    }

    private func writeByte(_ register: UInt8, _ value: UInt8) throws(SensorError) {
        try onBus { () throws(I2CError) in try bus.writeByte(address: address, register: register, value: value) }
    }

    private func readBytes(_ register: UInt8, count: Int) throws(SensorError) -> [UInt8] {
        try onBus { () throws(I2CError) in try bus.read(address: address, register: register, count: count) }
    }

    private func reading(gyro: [UInt8], accel: [UInt8], settings: AppliedIMUSettings) -> IMUReading {
        let gyroRaw = Self.littleEndianTriple(gyro)
        let accelRaw = Self.littleEndianTriple(accel)
        let saturated = accelRaw.contains { $0 == .min || $0 == .max }
        func vector(_ raw: [Int16], _ scale: Double) -> Vector3 {
            Vector3(Double(raw[0]) * scale, Double(raw[1]) * scale, Double(raw[2]) * scale)
        }
        return IMUReading(
            accel: vector(accelRaw, settings.accelGPerLSB), gyro: vector(gyroRaw, settings.gyroDPSPerLSB),
            accelSaturated: saturated)
    }

    private static func littleEndianTriple(_ bytes: [UInt8]) -> [Int16] {
        (0..<3).map { Int16(bitPattern: UInt16(bytes[2 * $0]) | UInt16(bytes[2 * $0 + 1]) << 8) }
    }
}
