import KneeloadCore

/// A register-level model of the InvenSense MPU-6050 and MPU-6500 six-axis IMUs on I2C.
///
/// Sources: "MPU-6000 and MPU-6050 Register Map and Descriptions" RM-MPU-6000A-00 rev 4.2 (2013-08-19),
/// cited below as "6050 RM §4.n", and "MPU-6500 Register Map and Descriptions" RM-MPU-6500A-00 rev 2.1
/// (2013-09-16), cited as "6500 RM reg N" (decimal register number). FIFO sizes: MPU-6000/6050 Product
/// Specification PS-MPU-6000A §7.17 (1024 bytes), MPU-6500 Product Specification (512 bytes), both as in
/// Linux `drivers/iio/imu/inv_mpu6050/inv_mpu_core.c` (`hw_info` fifo_size).
///
/// What it models: identity and reset values, DEVICE_RESET and SLEEP, the sample-rate rules of both chips,
/// full-scale ranges with quantisation and int16 saturation, big-endian output registers updated at the
/// sample rate on the virtual clock (sample k at k / rate after the chip woke or a changed value was written
/// to SMPLRT_DIV, CONFIG, GYRO_CONFIG or ACCEL_CONFIG),
/// auto-incrementing bursts, the FIFO (enable flags, reset, byte count latch, a data port that does not
/// advance the pointer, overwrite of the oldest bytes on overflow) and INT_STATUS clear-on-read.
/// What it leaves out: self-test, offsets, CYCLE and low-power modes, PWR_MGMT_2 standby, the auxiliary I2C
/// master, the DMP and motion interrupts. All outputs share one sample clock (the 6500's 4 kHz accelerometer
/// path is not separate). It adds no noise: the stimulus carries whatever noise it wants.
public final class MPU6050Model: SimulatedDevice {
    public enum Variant: Sendable, Hashable {
        case mpu6050
        case mpu6500
    }

    public let variant: Variant
    public var model: String { variant == .mpu6050 ? "MPU-6050" : "MPU-6500" }

    /// FIFO size in bytes: 1024 on the MPU-6050, 512 on the MPU-6500 (sources above).
    public var fifoCapacity: Int { variant == .mpu6050 ? 1024 : 512 }

    // Register numbers: 6050 RM §3 and 6500 RM §3 (register map tables); both chips use the same numbers
    // for everything modelled here.
    private enum Register {
        static let sampleRateDivider: UInt8 = 0x19  // SMPLRT_DIV (6050 RM §4.2, 6500 RM reg 25)
        static let config: UInt8 = 0x1A  // CONFIG: DLPF_CFG 2:0; 6500 FIFO_MODE bit 6
        static let gyroConfig: UInt8 = 0x1B  // GYRO_CONFIG: FS_SEL 4:3; 6500 FCHOICE_B 1:0
        static let accelConfig: UInt8 = 0x1C  // ACCEL_CONFIG: AFS_SEL 4:3
        static let fifoEnable: UInt8 = 0x23  // FIFO_EN
        static let interruptPinConfig: UInt8 = 0x37  // INT_PIN_CFG: INT_RD_CLEAR bit 4
        static let interruptStatus: UInt8 = 0x3A  // INT_STATUS (read-only, cleared by reading)
        static let accelXHigh: UInt8 = 0x3B  // ACCEL_XOUT_H ... ACCEL_ZOUT_L 0x40
        static let temperatureHigh: UInt8 = 0x41  // TEMP_OUT_H, TEMP_OUT_L
        static let gyroXHigh: UInt8 = 0x43  // GYRO_XOUT_H ... GYRO_ZOUT_L 0x48
        static let lastExternalSensorData: UInt8 = 0x60  // EXT_SENS_DATA_23 (read-only block ends here)
        static let userControl: UInt8 = 0x6A  // USER_CTRL
        static let powerManagement1: UInt8 = 0x6B  // PWR_MGMT_1
        static let fifoCountHigh: UInt8 = 0x72  // FIFO_COUNTH (reading it latches both count bytes)
        static let fifoCountLow: UInt8 = 0x73  // FIFO_COUNTL
        static let fifoData: UInt8 = 0x74  // FIFO_R_W
        static let whoAmI: UInt8 = 0x75  // WHO_AM_I
    }

    // Bits. PWR_MGMT_1 (6050 RM §4.28, 6500 RM reg 107): DEVICE_RESET self-clears after resetting every
    // register; SLEEP stops sampling.
    private static let deviceReset: UInt8 = 0x80
    private static let sleep: UInt8 = 0x40
    // USER_CTRL (6050 RM §4.27, 6500 RM reg 106): the reset bits self-clear. On the 6050, FIFO_RESET acts only
    // "while FIFO_EN equals 0"; the 6500 map gives no such condition.
    private static let userFIFOEnable: UInt8 = 0x40
    private static let userResetBits: UInt8 = 0x0F
    private static let fifoReset: UInt8 = 0x04
    private static let signalConditionReset: UInt8 = 0x01
    // FIFO_EN (6050 RM §4.6, 6500 RM reg 35): which output registers each sample pushes, in register order.
    private static let temperatureToFIFO: UInt8 = 0x80
    private static let gyroXToFIFO: UInt8 = 0x40
    private static let gyroYToFIFO: UInt8 = 0x20
    private static let gyroZToFIFO: UInt8 = 0x10
    private static let accelToFIFO: UInt8 = 0x08
    // INT_STATUS (6050 RM §4.16, 6500 RM reg 58), cleared by reading it unless INT_PIN_CFG INT_RD_CLEAR
    // (6050 RM §4.14, 6500 RM reg 55) asks for clearing on any read.
    private static let fifoOverflowInterrupt: UInt8 = 0x10
    private static let dataReadyInterrupt: UInt8 = 0x01
    private static let clearStatusOnAnyRead: UInt8 = 0x10
    // CONFIG FIFO_MODE (6500 RM reg 26): 1 = stop writing when full, 0 = overwrite the oldest data.
    private static let fifoStopWhenFull: UInt8 = 0x40

    /// LSB per g for AFS_SEL 0...3 (6050 RM §4.5 and §4.17; 6500 RM reg 28) and LSB per °/s for FS_SEL 0...3
    /// (6050 RM §4.4 and §4.19; 6500 RM reg 27), nominal values as the maps print them.
    static let accelSensitivity: [Double] = [16384, 8192, 4096, 2048]
    static let gyroSensitivity: [Double] = [131, 65.5, 32.8, 16.4]

    /// A plausible constant die temperature. TEMP_OUT = (°C − 36.53) · 340 on the 6050 (RM §4.18);
    /// (°C − 21) · 333.87 on the 6500 (RM reg 65, room-temperature offset taken as 0).
    public static let temperatureCelsius = 25.0

    private let stimulus: any InertialStimulus
    private var registers: RegisterFile
    private var fifo: ByteRing
    /// FIFO_R_W returns the last byte read while the FIFO is empty (6050 RM §4.31).
    private var lastFIFOByte: UInt8 = 0
    private var latchedFIFOCount: UInt16 = 0
    /// The sample clock: sample k is taken at `sampleEpoch + k · period`.
    private var sampleEpoch: Duration
    private var nextSampleIndex: Int64 = 0
    private var latestTime: Duration

    public init(variant: Variant = .mpu6050, stimulus: any InertialStimulus) {
        self.variant = variant
        self.stimulus = stimulus
        // "The reset value is 0x00 for all registers other than the registers below": 6050 RM §3:
        // PWR_MGMT_1 0x40 (asleep), WHO_AM_I 0x68. 6500 RM §3: PWR_MGMT_1 0x01 (awake, auto-selected
        // clock), WHO_AM_I 0x70.
        switch variant {
        case .mpu6050:
            registers = RegisterFile(resetValues: [Register.powerManagement1: 0x40, Register.whoAmI: 0x68])
        case .mpu6500:
            registers = RegisterFile(resetValues: [Register.powerManagement1: 0x01, Register.whoAmI: 0x70])
        }
        fifo = ByteRing(capacity: variant == .mpu6050 ? 1024 : 512)
        sampleEpoch = .zero
        latestTime = .zero
    }

    // MARK: Inspection (for tests and the simulated rig)

    /// True while PWR_MGMT_1 SLEEP is set: the output registers and FIFO do not update.
    public var isSleeping: Bool { registers[Register.powerManagement1] & Self.sleep != 0 }

    /// The rate at which the output registers and FIFO update, from SMPLRT_DIV, CONFIG and GYRO_CONFIG.
    public var sampleRateHz: Double { 1e9 / Double(samplePeriodNanoseconds) }

    /// Bytes waiting in the FIFO.
    public var fifoCount: Int { fifo.count }

    /// A register's stored value, without the side effects a bus read has.
    public func peek(_ register: UInt8) -> UInt8 { registers[register] }

    // MARK: SimulatedDevice

    public func receive(_ bytes: [UInt8], at time: Duration) {
        advance(to: time)
        guard let first = bytes.first else { return }
        registers.pointer = first
        for byte in bytes.dropFirst() {
            let register = registers.pointer
            write(byte, to: register, at: latestTime)
            registers.pointer = register == Register.fifoData ? register : register &+ 1
        }
    }

    public func transmit(count: Int, at time: Duration) -> [UInt8] {
        advance(to: time)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(max(count, 0))
        for _ in 0..<max(count, 0) {
            let register = registers.pointer
            bytes.append(read(register))
            // Burst reads auto-increment, except at the FIFO data port, which a burst drains in place.
            registers.pointer = register == Register.fifoData ? register : register &+ 1
        }
        if registers[Register.interruptPinConfig] & Self.clearStatusOnAnyRead != 0 {
            registers[Register.interruptStatus] = 0
        }
        return bytes
    }

    public func powerOnReset(at time: Duration) {
        latestTime = max(latestTime, time)
        resetEverything(at: latestTime)
    }

    /// Overfills the FIFO at `time` as if the host had stopped reading: frames of the latest sample are
    /// pushed until the oldest bytes are overwritten and FIFO_OFLOW_INT is set. A FIFO that is not
    /// running (USER_CTRL FIFO_EN clear, or nothing selected in FIFO_EN) cannot overflow, so nothing happens.
    public func forceFIFOOverflow(at time: Duration) {
        advance(to: time)
        guard fifoRunning, !fifoFrameRegisters.isEmpty else { return }
        var overflowed = false
        while !overflowed { overflowed = pushFrame() }
    }

    // MARK: Registers

    private func write(_ value: UInt8, to register: UInt8, at time: Duration) {
        switch register {
        case Register.powerManagement1:
            if value & Self.deviceReset != 0 {
                let pointer = registers.pointer
                resetEverything(at: time)
                registers.pointer = pointer
                return
            }
            let wasSleeping = isSleeping
            registers[register] = value
            if wasSleeping, !isSleeping { restartSampling(at: time) }
        case Register.userControl:
            if value & Self.fifoReset != 0, variant == .mpu6500 || value & Self.userFIFOEnable == 0 {
                fifo.removeAll()
            }
            if value & Self.signalConditionReset != 0 {
                for output in Register.accelXHigh...(Register.gyroXHigh + 5) { registers[output] = 0 }
            }
            registers[register] = value & ~Self.userResetBits
        case Register.sampleRateDivider, Register.config, Register.gyroConfig, Register.accelConfig:
            // A changed measurement setting restarts the sample clock, so sample 0 is retaken with it.
            let changed = registers[register] != value
            registers[register] = value
            if changed { restartSampling(at: time) }
        case Register.fifoData:
            // A host write is appended to the FIFO like sensor data (6050 RM §4.31: "read and write").
            if fifoRunning { _ = fifo.push(value, overwriteWhenFull: !stopsWhenFull) }
        case Register.interruptStatus, Register.accelXHigh...Register.lastExternalSensorData,
            Register.fifoCountHigh, Register.fifoCountLow, Register.whoAmI:
            break  // read-only
        default:
            registers[register] = value
        }
    }

    private func read(_ register: UInt8) -> UInt8 {
        switch register {
        case Register.interruptStatus:
            let status = registers[register]
            registers[register] = 0
            return status
        case Register.fifoCountHigh:
            latchedFIFOCount = UInt16(fifo.count)
            return UInt8(latchedFIFOCount >> 8)
        case Register.fifoCountLow:
            // Only reading FIFO_COUNTH reloads the count (6050 RM §4.30).
            return UInt8(latchedFIFOCount & 0xFF)
        case Register.fifoData:
            // "The FIFO buffer cannot be written to or read from while disabled" (6050 RM §4.27).
            if fifoRunning, let byte = fifo.pop() { lastFIFOByte = byte }
            return lastFIFOByte
        default:
            return registers[register]
        }
    }

    private func resetEverything(at time: Duration) {
        registers.reset()
        fifo.removeAll()
        lastFIFOByte = 0
        latchedFIFOCount = 0
        restartSampling(at: time)
    }

    // MARK: Sampling

    /// Gyroscope output rate divided by (1 + SMPLRT_DIV), as a period in nanoseconds (always whole).
    ///
    /// 6050 (RM §4.2): gyro output rate 8 kHz when DLPF_CFG is 0 or 7, 1 kHz otherwise.
    /// 6500 (RM regs 25-27): SMPLRT_DIV "is only effective when Fchoice = 2'b11 (fchoice_b register bits are
    /// 2'b00), and (0 < dlpf_cfg < 7)";
    /// otherwise the output runs at the internal rate: 32 kHz when FCHOICE_B is not 00, else 8 kHz.
    private var samplePeriodNanoseconds: Int64 {
        let divider = Int64(registers[Register.sampleRateDivider]) + 1
        let lowPass = registers[Register.config] & 0x07
        let filterOff = lowPass == 0 || lowPass == 7
        switch variant {
        case .mpu6050:
            return (filterOff ? 125_000 : 1_000_000) * divider
        case .mpu6500:
            if registers[Register.gyroConfig] & 0x03 != 0 { return 31_250 }
            return filterOff ? 125_000 : 1_000_000 * divider
        }
    }

    private func restartSampling(at time: Duration) {
        sampleEpoch = time
        nextSampleIndex = 0
    }

    private var fifoRunning: Bool { registers[Register.userControl] & Self.userFIFOEnable != 0 }
    private var stopsWhenFull: Bool {
        variant == .mpu6500 && registers[Register.config] & Self.fifoStopWhenFull != 0
    }

    /// The output registers one sample pushes, in register order (6050 RM §4.31: "Data is written to the
    /// FIFO in order of register number").
    private var fifoFrameRegisters: [UInt8] {
        let enabled = registers[Register.fifoEnable]
        var frame: [UInt8] = []
        if enabled & Self.accelToFIFO != 0 { frame += Array(Register.accelXHigh..<(Register.accelXHigh + 6)) }
        if enabled & Self.temperatureToFIFO != 0 { frame += [Register.temperatureHigh, Register.temperatureHigh + 1] }
        for (bit, offset) in [(Self.gyroXToFIFO, 0), (Self.gyroYToFIFO, 2), (Self.gyroZToFIFO, 4)]
        where enabled & bit != 0 {
            frame += [Register.gyroXHigh + UInt8(offset), Register.gyroXHigh + UInt8(offset) + 1]
        }
        return frame
    }

    /// Takes every sample due by `time`, lazily. Samples whose effect is invisible are skipped: without a
    /// running FIFO only the latest one matters; with one, only the last capacity's worth of bytes (the
    /// older ones would have been overwritten, and the overflow is flagged either way).
    private func advance(to time: Duration) {
        latestTime = max(latestTime, time)
        guard !isSleeping else { return }
        let elapsed = (latestTime - sampleEpoch).totalNanoseconds
        guard elapsed >= 0 else { return }
        let period = samplePeriodNanoseconds
        let due = elapsed / period + 1
        guard due > nextSampleIndex else { return }
        let frameSize = Int64(fifoRunning ? fifoFrameRegisters.count : 0)
        var index = nextSampleIndex
        while index < due {
            if frameSize == 0 || (stopsWhenFull && fifo.isFull) {
                index = max(index, due - 1)
            } else if !stopsWhenFull, due - index > Int64(fifoCapacity) / frameSize + 2 {
                index = due - (Int64(fifoCapacity) / frameSize + 2)
            }
            takeSample(at: sampleEpoch + .nanoseconds(index * period))
            index += 1
        }
        nextSampleIndex = due
    }

    private func takeSample(at instant: Duration) {
        let state = stimulus.inertial(at: instant.seconds)
        let accelScale = Self.accelSensitivity[Int(registers[Register.accelConfig] >> 3 & 0x03)]
        let gyroScale = Self.gyroSensitivity[Int(registers[Register.gyroConfig] >> 3 & 0x03)]
        let force = state.specificForce
        let rate = state.angularRate
        for (index, value) in [force.x, force.y, force.z].enumerated() {
            registers.setBigEndian(Int16(saturating: value * accelScale), at: Register.accelXHigh + UInt8(2 * index))
        }
        registers.setBigEndian(temperatureCounts, at: Register.temperatureHigh)
        for (index, value) in [rate.x, rate.y, rate.z].enumerated() {
            registers.setBigEndian(Int16(saturating: value * gyroScale), at: Register.gyroXHigh + UInt8(2 * index))
        }
        registers[Register.interruptStatus] |= Self.dataReadyInterrupt
        if fifoRunning { _ = pushFrame() }
    }

    private var temperatureCounts: Int16 {
        switch variant {
        case .mpu6050: Int16(saturating: (Self.temperatureCelsius - 36.53) * 340)
        case .mpu6500: Int16(saturating: (Self.temperatureCelsius - 21) * 333.87)
        }
    }

    /// Pushes the current output registers selected by FIFO_EN; true when that overflowed the FIFO.
    private func pushFrame() -> Bool {
        var overflowed = false
        for register in fifoFrameRegisters where !fifo.push(registers[register], overwriteWhenFull: !stopsWhenFull) {
            overflowed = true
        }
        // 6050 RM §4.31: "When the FIFO buffer has overflowed, the oldest data will be lost and new data
        // will be written"; 6500 RM reg 26 FIFO_MODE 0 likewise replaces the oldest data.
        if overflowed { registers[Register.interruptStatus] |= Self.fifoOverflowInterrupt }
        return overflowed
    }
}

/// A fixed-capacity byte queue for the FIFO.
private struct ByteRing {
    private var storage: [UInt8]
    private var head = 0
    private(set) var count = 0

    init(capacity: Int) { storage = [UInt8](repeating: 0, count: capacity) }

    var isFull: Bool { count == storage.count }

    /// Appends `byte`; false when the ring was full (the oldest byte was dropped, or `byte` was).
    mutating func push(_ byte: UInt8, overwriteWhenFull: Bool) -> Bool {
        if isFull {
            // When full the tail slot is the head slot: the new byte replaces the oldest one.
            guard overwriteWhenFull else { return false }
            storage[head] = byte
            head = (head + 1) % storage.count
            return false
        }
        storage[(head + count) % storage.count] = byte
        count += 1
        return true
    }

    mutating func pop() -> UInt8? {
        guard count > 0 else { return nil }
        defer {
            head = (head + 1) % storage.count
            count -= 1
        }
        return storage[head]
    }

    mutating func removeAll() {
        head = 0
        count = 0
    }
}
