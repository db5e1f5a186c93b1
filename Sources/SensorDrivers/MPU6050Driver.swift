import KneeloadCore
import SensorBus

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Driver for the InvenSense MPU-6050, MPU-6500 and MPU-9250 (its accelerometer and gyro are an MPU-6500)
/// on I2C.
///
/// Sources: "MPU-6000 and MPU-6050 Register Map and Descriptions" RM-MPU-6000A-00 rev 4.2 and "MPU-6500
/// Register Map and Descriptions" RM-MPU-6500A-00 rev 2.1; FIFO handling follows Linux
/// `drivers/iio/imu/inv_mpu6050` (`inv_mpu_ring.c`: reset when the count nears the FIFO size;
/// `inv_mpu_core.c`: FIFO sizes and WHO_AM_I values).
///
/// Settings: DLPF on (so the internal rate is 1 kHz and SMPLRT_DIV applies on both chips), output rate
/// 1 kHz / (1 + SMPLRT_DIV), the low-pass bandwidth the widest one below half the output rate. The FIFO
/// holds accelerometer and gyro only: 12 bytes per sample, big-endian, X Y Z accel then X Y Z gyro.
public final class MPU6050Driver: ShankIMU {
    public let bus: any I2CBus
    public let address: UInt8
    public private(set) var chip = "MPU-6050/6500"
    public let hasGyro = true
    /// What `configure(_:)` set, verified by read-back; nil before.
    public private(set) var applied: AppliedIMUSettings?

    private var identity: KnownChip?
    private var fifoRunning = false

    // Register numbers (6050 RM §3, 6500 RM §3; the same on both chips).
    private enum Register {
        static let sampleRateDivider: UInt8 = 0x19  // SMPLRT_DIV
        static let config: UInt8 = 0x1A  // CONFIG: DLPF_CFG 2:0; 6500 FIFO_MODE bit 6 (0 = overwrite)
        static let gyroConfig: UInt8 = 0x1B  // GYRO_CONFIG: FS_SEL 4:3; 6500 FCHOICE_B 1:0 (00 = DLPF used)
        static let accelConfig: UInt8 = 0x1C  // ACCEL_CONFIG: AFS_SEL 4:3
        static let accelConfig2: UInt8 = 0x1D  // 6500 only, ACCEL_CONFIG 2: A_DLPF_CFG 2:0, ACCEL_FCHOICE_B 3
        static let fifoEnable: UInt8 = 0x23  // FIFO_EN
        static let interruptEnable: UInt8 = 0x38  // INT_ENABLE
        static let interruptStatus: UInt8 = 0x3A  // INT_STATUS, cleared by reading
        static let accelXHigh: UInt8 = 0x3B  // ACCEL_XOUT_H: 14 bytes accel, temperature, gyro
        static let userControl: UInt8 = 0x6A  // USER_CTRL
        static let powerManagement1: UInt8 = 0x6B  // PWR_MGMT_1
        static let fifoCountHigh: UInt8 = 0x72  // FIFO_COUNTH (reading it latches FIFO_COUNTL too)
        static let fifoData: UInt8 = 0x74  // FIFO_R_W
        static let whoAmI: UInt8 = 0x75  // WHO_AM_I
    }

    // Values and bits (6050 RM §4.6, §4.15, §4.16, §4.27, §4.28; 6500 RM regs 35, 56, 58, 106, 107).
    private static let wakeWithPLLClock: UInt8 = 0x01  // SLEEP clear, CLKSEL 1 (gyro X PLL / auto)
    private static let fifoAccelAndGyro: UInt8 = 0x78  // XG 0x40, YG 0x20, ZG 0x10, ACCEL 0x08
    private static let fifoOverflowBit: UInt8 = 0x10  // INT_ENABLE FIFO_OFLOW_EN, INT_STATUS FIFO_OFLOW_INT
    private static let userFIFOEnable: UInt8 = 0x40
    /// The 6050 resets its FIFO only "while FIFO_EN equals 0" (RM §4.27), so FIFO_RST is written alone.
    private static let userFIFOReset: UInt8 = 0x04
    private static let frameBytes = 12

    private static let accelRanges = [2, 4, 8, 16]  // AFS_SEL 0...3
    private static let accelLSBPerG: [Double] = [16384, 8192, 4096, 2048]
    private static let gyroRanges = [250, 500, 1000, 2000]  // FS_SEL 0...3
    private static let gyroLSBPerDPS: [Double] = [131, 65.5, 32.8, 16.4]
    /// Gyro DLPF bandwidth in Hz for DLPF_CFG 1...6 (6050 RM §4.3; the 6500's 184/92/41/20/10/5 Hz and
    /// A_DLPF_CFG 218/99/45/21/10/5 Hz are close enough to pick the same setting).
    private static let lowPassBandwidths: [(setting: UInt8, hertz: Double)] = [
        (1, 188), (2, 98), (3, 42), (4, 20), (5, 10), (6, 5),
    ]
    /// With DLPF on, the gyro output rate is 1 kHz (6050 RM §4.2; 6500 RM reg 25).
    private static let internalRateHz = 1000.0

    public init(bus: any I2CBus, address: UInt8 = 0x68) {
        self.bus = bus
        self.address = address
    }

    // MARK: ShankIMU

    public func probe() throws(SensorError) -> ChipIdentity {
        let known = try identify()
        return ChipIdentity(chip: known.name, register: Register.whoAmI, value: known.whoAmI)
    }

    /// Wakes the chip, writes the settings, and reads every written register back. Probes first when
    /// `probe()` has not succeeded yet. Leaves the FIFO off: call `enableFIFO()` afterwards to use it.
    @discardableResult
    public func configure(_ settings: IMUSettings) throws(SensorError) -> AppliedIMUSettings {
        let known: KnownChip
        if let identity {
            known = identity
        } else {
            known = try identify()
        }
        guard let accelCode = Self.accelRanges.firstIndex(of: settings.accelRangeG) else {
            throw .unsupportedSetting(
                chip: chip, setting: "accelerometer range ±\(settings.accelRangeG) g",
                allowed: Self.accelRanges.map { "±\($0) g" }.joined(separator: ", "))
        }
        guard let gyroCode = Self.gyroRanges.firstIndex(of: settings.gyroRangeDPS) else {
            throw .unsupportedSetting(
                chip: chip, setting: "gyro range ±\(settings.gyroRangeDPS) °/s",
                allowed: Self.gyroRanges.map { "±\($0) °/s" }.joined(separator: ", "))
        }
        let divider = try sampleRateDivider(for: settings.sampleRateHz)
        let outputRate = Self.internalRateHz / Double(Int(divider) + 1)
        let lowPass = Self.lowPassSetting(forOutputRate: outputRate)

        // Wake first: the 6050 comes out of reset asleep. The FIFO is switched off so that the chip's
        // state matches `fifoRunning` after a re-initialisation.
        var writes: [(register: UInt8, value: UInt8)] = [
            (Register.powerManagement1, Self.wakeWithPLLClock),
            (Register.userControl, 0),
            (Register.fifoEnable, 0),
            (Register.config, lowPass),
            (Register.sampleRateDivider, divider),
            (Register.gyroConfig, UInt8(gyroCode) << 3),
            (Register.accelConfig, UInt8(accelCode) << 3),
        ]
        if known.hasAccelConfig2 { writes.append((Register.accelConfig2, lowPass)) }
        fifoRunning = false
        applied = nil
        try writeAndVerify(writes)

        let result = AppliedIMUSettings(
            accelRangeG: settings.accelRangeG, gyroRangeDPS: settings.gyroRangeDPS, outputDataRateHz: outputRate,
            accelGPerLSB: 1 / Self.accelLSBPerG[accelCode], gyroDPSPerLSB: 1 / Self.gyroLSBPerDPS[gyroCode])
        applied = result
        return result
    }

    public func read() throws(SensorError) -> IMUReading {
        guard let applied else { throw .notConfigured(chip: chip) }
        let count = 14
        let bytes = try readBlock(from: Register.accelXHigh, count: count, addressing: .incrementing)
        let words = Self.bigEndianWords(bytes)
        // words: accel X Y Z, temperature, gyro X Y Z.
        return Self.reading(accel: words[0...2], gyro: words[4...6], settings: applied)
    }

    /// Empties the FIFO and starts it buffering accelerometer and gyro samples (12 bytes each) at the
    /// configured rate, with the FIFO overflow interrupt enabled so INT_STATUS reports overflows.
    public func enableFIFO() throws(SensorError) {
        guard applied != nil else { throw .notConfigured(chip: chip) }
        fifoRunning = false
        try writeAndVerify([
            (Register.fifoEnable, Self.fifoAccelAndGyro),
            (Register.interruptEnable, Self.fifoOverflowBit),
        ])
        try resetFIFO()
        let userControl = try readRegister(Register.userControl)
        guard userControl == Self.userFIFOEnable else {
            throw .configurationMismatch(
                chip: chip, bus: bus.name, address: address, register: Register.userControl,
                wrote: Self.userFIFOEnable, readBack: userControl)
        }
        fifoRunning = true
    }

    /// Reads INT_STATUS and FIFO_COUNT, then every whole sample in one burst from FIFO_R_W. After an
    /// overflow, or when the count is within three samples of the FIFO size (where Linux's inv_mpu6050
    /// resets too, because frame alignment can no longer be trusted), the FIFO is reset and its contents
    /// are reported as discarded instead.
    public func drainFIFO() throws(SensorError) -> FIFODrain {
        guard let applied, let identity, fifoRunning else { throw .notConfigured(chip: chip) }
        let status = try readRegister(Register.interruptStatus)
        let countBytes = try readBlock(from: Register.fifoCountHigh, count: 2, addressing: .incrementing)
        let count = Int(countBytes[0]) << 8 | Int(countBytes[1])
        if status & Self.fifoOverflowBit != 0 || count >= identity.fifoCapacity - 3 * Self.frameBytes {
            try resetFIFO()
            return FIFODrain(readings: [], overflowed: true, discardedSamples: count / Self.frameBytes)
        }
        let samples = count / Self.frameBytes
        guard samples > 0 else { return FIFODrain(readings: [], overflowed: false, discardedSamples: 0) }
        let bytes = try readBlock(from: Register.fifoData, count: samples * Self.frameBytes, addressing: .fixed)
        let words = Self.bigEndianWords(bytes)
        let readings = (0..<samples).map { sample in
            let base = sample * 6
            return Self.reading(
                accel: words[base..<(base + 3)], gyro: words[(base + 3)..<(base + 6)], settings: applied)
        }
        return FIFODrain(readings: readings, overflowed: false, discardedSamples: 0)
    }

    // MARK: Helpers

    private func identify() throws(SensorError) -> KnownChip {
        let value = try readRegister(Register.whoAmI)
        guard let known = KnownChip.all.first(where: { $0.whoAmI == value }) else {
            throw .wrongIdentity(
                chip: chip, bus: bus.name, address: address, register: Register.whoAmI,
                expected: KnownChip.all.map(\.whoAmI), found: value)
        }
        identity = known
        chip = known.name
        return known
    }

    /// SMPLRT_DIV for the slowest rate 1 kHz / (1 + div) that is still at least `rate`.
    private func sampleRateDivider(for rate: Double) throws(SensorError) -> UInt8 {
        let slowest = Self.internalRateHz / 256
        guard rate.isFinite, rate > 0, rate <= Self.internalRateHz * (1 + 1e-9) else {
            throw .unsupportedSetting(
                chip: chip, setting: "sample rate \(rate) Hz",
                allowed: "above 0 up to 1000 Hz (1000 Hz / (1 + n), n = 0...255; \(slowest) Hz at the slowest)")
        }
        // The tolerance keeps a rate computed as 1000 / k (for example 142.857...) on divider k - 1.
        let steps = (Self.internalRateHz / rate * (1 + 1e-9)).rounded(.down)
        return UInt8(min(max(steps - 1, 0), 255))
    }

    /// The widest DLPF bandwidth below half the output rate (some margin under Nyquist), else the narrowest.
    private static func lowPassSetting(forOutputRate rate: Double) -> UInt8 {
        lowPassBandwidths.first { $0.hertz < rate / 2 }?.setting ?? lowPassBandwidths.last!.setting
    }

    /// Disables the FIFO, resets it (the 6050 ignores FIFO_RST while FIFO_EN is set), and enables it again.
    private func resetFIFO() throws(SensorError) {
        try writeRegister(Register.userControl, 0)
        try writeRegister(Register.userControl, Self.userFIFOReset)
        try writeRegister(Register.userControl, Self.userFIFOEnable)
    }

    private func writeAndVerify(_ writes: [(register: UInt8, value: UInt8)]) throws(SensorError) {
        for write in writes { try writeRegister(write.register, write.value) }
        for write in writes {
            let readBack = try readRegister(write.register)
            guard readBack == write.value else {
                throw .configurationMismatch(
                    chip: chip, bus: bus.name, address: address, register: write.register, wrote: write.value,
                    readBack: readBack)
            }
        }
    }

    private func writeRegister(_ register: UInt8, _ value: UInt8) throws(SensorError) {
        try onBus { () throws(I2CError) in try bus.writeByte(address: address, register: register, value: value) }
    }

    private func readRegister(_ register: UInt8) throws(SensorError) -> UInt8 {
        try readBlock(from: register, count: 1, addressing: .incrementing)[0]
    }

    /// One read transaction; a bus that hands back fewer bytes than asked for is reported as a failed read.
    private func readBlock(from register: UInt8, count: Int, addressing: RegisterAddressing) throws(SensorError)
        -> [UInt8]
    {
        let bytes = try onBus { () throws(I2CError) in
            try bus.read(address: address, register: register, count: count, addressing: addressing)
        }
        guard bytes.count == count else {
            throw .bus(
                I2CError(
                    bus: bus.name, operation: .read, address: address, register: register, byteCount: count,
                    errno: EIO))
        }
        return bytes
    }

    private static func bigEndianWords(_ bytes: [UInt8]) -> [Int16] {
        stride(from: 0, to: bytes.count - 1, by: 2).map { index in
            Int16(bitPattern: UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
        }
    }

    private static func reading(accel: ArraySlice<Int16>, gyro: ArraySlice<Int16>, settings: AppliedIMUSettings)
        -> IMUReading
    {
        let a = Array(accel)
        let g = Array(gyro)
        let saturated = a.contains { $0 == .max || $0 == .min }
        return IMUReading(
            accel: Vector3(Double(a[0]), Double(a[1]), Double(a[2])) * settings.accelGPerLSB,
            gyro: Vector3(Double(g[0]), Double(g[1]), Double(g[2])) * settings.gyroDPSPerLSB,
            accelSaturated: saturated)
    }
}

/// A chip this driver knows by its WHO_AM_I value (6050 RM §4.32: 0x68; 6500 RM reg 117: 0x70; MPU-9250
/// register map reg 117: 0x71), with what differs between them.
private struct KnownChip {
    var name: String
    var whoAmI: UInt8
    /// FIFO size in bytes (Linux inv_mpu_core.c `hw_info`: 1024 for MPU-6050, 512 for MPU-6500/9250).
    var fifoCapacity: Int
    /// The 6500 family has a separate accelerometer low-pass register, ACCEL_CONFIG 2 (reg 29).
    var hasAccelConfig2: Bool

    static let all = [
        KnownChip(name: "MPU-6050", whoAmI: 0x68, fifoCapacity: 1024, hasAccelConfig2: false),
        KnownChip(name: "MPU-6500", whoAmI: 0x70, fifoCapacity: 512, hasAccelConfig2: true),
        KnownChip(name: "MPU-9250", whoAmI: 0x71, fifoCapacity: 512, hasAccelConfig2: true),
    ]
}
