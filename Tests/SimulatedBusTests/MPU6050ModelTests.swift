import KneeloadCore
import SensorBus
import SimulatedBus
import Testing

/// Register-level checks of the MPU-6050/6500 model against its register maps, through the simulated bus.
@Suite struct MPU6050ModelTests {
    static let address: UInt8 = 0x68

    /// Every axis changes with time, so the sample a register holds tells when it was taken.
    static let ramp = ClosureStimulus(inertial: { t in
        InertialState(
            specificForce: Vector3(0.25 + t, -0.5 * t, 1 - 0.1 * t), angularRate: Vector3(10 * t, -20 * t, 5 + t))
    })

    struct Rig {
        let bus: SimulatedI2CBus
        let clock: VirtualClock
        let chip: MPU6050Model
        let stimulus: any InertialStimulus

        func write(_ register: UInt8, _ value: UInt8) throws {
            try bus.writeByte(address: MPU6050ModelTests.address, register: register, value: value)
        }
        func read(_ register: UInt8) throws -> UInt8 {
            try bus.readByte(address: MPU6050ModelTests.address, register: register)
        }
        func read(_ register: UInt8, count: Int, addressing: RegisterAddressing = .incrementing) throws -> [UInt8] {
            try bus.read(address: MPU6050ModelTests.address, register: register, count: count, addressing: addressing)
        }
        func fifoCount() throws -> Int {
            let bytes = try read(0x72, count: 2)
            return Int(bytes[0]) << 8 | Int(bytes[1])
        }
        /// PWR_MGMT_1 = PLL clock, awake; CONFIG DLPF_CFG; SMPLRT_DIV.
        func wake(lowPass: UInt8 = 1, divider: UInt8 = 0) throws {
            try write(0x6B, 0x01)
            try write(0x1A, lowPass)
            try write(0x19, divider)
        }
        /// FIFO_EN = `sources`, then reset the FIFO (with USER_CTRL FIFO_EN clear, as the 6050 needs) and run it.
        func startFIFO(_ sources: UInt8) throws {
            try write(0x6A, 0x00)
            try write(0x23, sources)
            try write(0x6A, 0x04)
            try write(0x6A, 0x40)
        }
        /// The 14 output bytes (accel, temperature, gyro, big-endian) the chip should hold for `time`.
        func outputBlock(at time: Duration, accelCode: Int = 0, gyroCode: Int = 0) -> [UInt8] {
            let state = stimulus.inertial(at: time.seconds)
            let accelScale = [16384.0, 8192, 4096, 2048][accelCode]
            let gyroScale = [131.0, 65.5, 32.8, 16.4][gyroCode]
            let temperature: Int16 = chip.variant == .mpu6050 ? -3920 : 1335
            let f = state.specificForce
            let w = state.angularRate
            let words = [f.x, f.y, f.z].map { Int16(saturating: $0 * accelScale) } + [temperature]
                + [w.x, w.y, w.z].map { Int16(saturating: $0 * gyroScale) }
            return words.flatMap { word -> [UInt8] in
                let bits = UInt16(bitPattern: word)
                return [UInt8(bits >> 8), UInt8(bits & 0xFF)]
            }
        }
    }

    func makeRig(
        _ variant: MPU6050Model.Variant = .mpu6050, stimulus: any InertialStimulus = MPU6050ModelTests.ramp,
        faults: DeviceFaults = .none
    ) -> Rig {
        let clock = VirtualClock()
        let bus = SimulatedI2CBus(clock: clock, seed: 7)
        let chip = MPU6050Model(variant: variant, stimulus: stimulus)
        bus.attach(chip, at: Self.address, faults: faults)
        return Rig(bus: bus, clock: clock, chip: chip, stimulus: stimulus)
    }

    /// Bytes of one FIFO frame, picked from an output block as FIFO_EN selects them, in register order.
    static func frame(_ block: [UInt8], sources: UInt8) -> [UInt8] {
        var bytes: [UInt8] = []
        if sources & 0x08 != 0 { bytes += block[0..<6] }
        if sources & 0x80 != 0 { bytes += block[6..<8] }
        if sources & 0x40 != 0 { bytes += block[8..<10] }
        if sources & 0x20 != 0 { bytes += block[10..<12] }
        if sources & 0x10 != 0 { bytes += block[12..<14] }
        return bytes
    }

    // MARK: Identity, reset, sleep

    static let identityCases: [(MPU6050Model.Variant, UInt8, UInt8)] = [(.mpu6050, 0x68, 0x40), (.mpu6500, 0x70, 0x01)]

    @Test(arguments: identityCases)
    func identityAndResetValues(variant: MPU6050Model.Variant, whoAmI: UInt8, powerManagement: UInt8) throws {
        let rig = makeRig(variant)
        #expect(try rig.read(0x75) == whoAmI)
        #expect(try rig.read(0x6B) == powerManagement)
        for register: UInt8 in [0x19, 0x1A, 0x1B, 0x1C, 0x23, 0x37, 0x38, 0x6A, 0x72, 0x73] {
            #expect(try rig.read(register) == 0, "register 0x\(String(register, radix: 16))")
        }
        #expect(rig.chip.isSleeping == (variant == .mpu6050))
        // WHO_AM_I is read-only.
        try rig.write(0x75, 0x12)
        #expect(try rig.read(0x75) == whoAmI)
    }

    @Test func mpu6050SleepsFromResetAndUpdatesOnlyOnceWoken() throws {
        let rig = makeRig(.mpu6050)
        rig.clock.advance(to: .seconds(1))
        #expect(try rig.read(0x3B, count: 14) == [UInt8](repeating: 0, count: 14))
        rig.clock.advance(to: .seconds(2))
        #expect(try rig.read(0x3B, count: 14) == [UInt8](repeating: 0, count: 14))
        try rig.wake(lowPass: 1, divider: 9)  // 100 Hz
        // Sample 0 is taken the moment the chip wakes.
        #expect(try rig.read(0x3B, count: 14) == rig.outputBlock(at: .seconds(2)))
        rig.clock.advance(to: .milliseconds(2015))
        #expect(try rig.read(0x3B, count: 14) == rig.outputBlock(at: .milliseconds(2010)))
        // SLEEP again: the registers keep their last sample.
        try rig.write(0x6B, 0x41)
        rig.clock.advance(to: .seconds(3))
        #expect(try rig.read(0x3B, count: 14) == rig.outputBlock(at: .milliseconds(2010)))
    }

    @Test func mpu6500IsAwakeFromPowerOn() throws {
        let rig = makeRig(.mpu6500)
        // Reset CONFIG has DLPF_CFG 0 with FCHOICE_B 00: 8 kHz, the divider ignored.
        #expect(rig.chip.sampleRateHz == 8000)
        rig.clock.advance(to: .microseconds(100_060))
        #expect(try rig.read(0x3B, count: 14) == rig.outputBlock(at: .microseconds(100_000)))
    }

    @Test(arguments: [MPU6050Model.Variant.mpu6050, .mpu6500])
    func deviceResetRestoresEveryRegisterAndClearsItself(variant: MPU6050Model.Variant) throws {
        let rig = makeRig(variant)
        try rig.wake(lowPass: 3, divider: 9)
        try rig.write(0x1B, 0x18)
        try rig.write(0x1C, 0x10)
        try rig.startFIFO(0x78)
        rig.clock.advance(to: .milliseconds(100))
        #expect(try rig.fifoCount() == 120)
        try rig.write(0x6B, 0x80)
        let reset: UInt8 = variant == .mpu6050 ? 0x40 : 0x01
        #expect(try rig.read(0x6B) == reset)
        for register: UInt8 in [0x19, 0x1A, 0x1B, 0x1C, 0x23, 0x6A] { #expect(try rig.read(register) == 0) }
        #expect(try rig.fifoCount() == 0)
        #expect(rig.chip.isSleeping == (variant == .mpu6050))
        if variant == .mpu6050 {
            rig.clock.advance(to: .milliseconds(200))
            #expect(try rig.read(0x3B, count: 14) == [UInt8](repeating: 0, count: 14))
        }
    }

    @Test func powerLossBringsTheChipBackInItsResetState() throws {
        let rig = makeRig(.mpu6050, faults: DeviceFaults(vanishings: [Duration.seconds(1)..<Duration.seconds(2)]))
        try rig.wake(lowPass: 3, divider: 9)
        #expect(try rig.read(0x6B) == 0x01)
        rig.clock.advance(to: .milliseconds(1500))
        #expect(throws: I2CError.self) { try rig.read(0x6B) }
        rig.clock.advance(to: .seconds(2))
        #expect(try rig.read(0x6B) == 0x40)
        #expect(try rig.read(0x19) == 0)
    }

    // MARK: Sample rate

    /// (DLPF_CFG, SMPLRT_DIV, FCHOICE_B, expected period in ns)
    static let rates6050: [(UInt8, UInt8, UInt8, Int64)] = [
        (0, 0, 0, 125_000), (7, 1, 0, 250_000), (1, 0, 0, 1_000_000), (3, 9, 0, 10_000_000), (6, 19, 0, 20_000_000),
    ]
    static let rates6500: [(UInt8, UInt8, UInt8, Int64)] = [
        (0, 9, 0, 125_000), (7, 3, 0, 125_000), (1, 9, 0, 10_000_000), (3, 0, 0, 1_000_000), (3, 9, 1, 31_250),
        (3, 9, 2, 31_250),
    ]

    @Test(arguments: [MPU6050Model.Variant.mpu6050, .mpu6500])
    func sampleRateFollowsDividerLowPassAndFilterChoice(variant: MPU6050Model.Variant) throws {
        for (lowPass, divider, filterChoice, period) in variant == .mpu6050 ? Self.rates6050 : Self.rates6500 {
            let rig = makeRig(variant)
            try rig.wake(lowPass: lowPass, divider: divider)
            try rig.write(0x1B, filterChoice)
            #expect(rig.chip.sampleRateHz == 1e9 / Double(period))
            // On the clock: 80 periods after the FIFO starts, 80 accelerometer frames of 6 bytes are waiting,
            // and one nanosecond earlier only 79.
            try rig.startFIFO(0x08)
            let start = rig.clock.now
            rig.clock.advance(to: start + .nanoseconds(80 * period - 1))
            let setting = "DLPF_CFG \(lowPass) SMPLRT_DIV \(divider) FCHOICE_B \(filterChoice)"
            #expect(try rig.fifoCount() == 79 * 6, "\(setting)")
            rig.clock.advance(to: start + .nanoseconds(80 * period))
            #expect(try rig.fifoCount() == 80 * 6)
        }
    }

    @Test func outputRegistersUpdateOncePerSamplePeriod() throws {
        let rig = makeRig(.mpu6050)
        try rig.wake(lowPass: 4, divider: 19)  // 50 Hz
        for step in 0..<10 {
            let sampleTime = Duration.milliseconds(20 * step)
            rig.clock.advance(to: sampleTime + .milliseconds(19))
            #expect(try rig.read(0x3B, count: 14) == rig.outputBlock(at: sampleTime))
        }
    }

    // MARK: Data registers

    @Test func burstReadsAutoIncrementAndMatchSingleReadsBigEndian() throws {
        let still = ConstantStimulus(
            inertial: InertialState(specificForce: Vector3(0.5, -0.25, 1), angularRate: Vector3(10, -20, 250)))
        let rig = makeRig(.mpu6050, stimulus: still)
        try rig.wake()
        let burst = try rig.read(0x3B, count: 14)
        // ±2 g: 16384 LSB/g; ±250 °/s: 131 LSB/(°/s); temperature 25 °C = (25 − 36.53) · 340 = −3920.
        #expect(burst == [0x20, 0x00, 0xF0, 0x00, 0x40, 0x00, 0xF0, 0xB0, 0x05, 0x1E, 0xF5, 0xC4, 0x7F, 0xEE])
        let singles = try (UInt8(0x3B)...0x48).map { try rig.read($0) }
        #expect(singles == burst)
    }

    @Test(arguments: 0..<4)
    func fullScaleRangesScaleQuantiseAndSaturate(code: Int) throws {
        let accelRange = [2.0, 4, 8, 16][code]
        let gyroRange = [250.0, 500, 1000, 2000][code]
        let stimulus = ConstantStimulus(
            inertial: InertialState(
                specificForce: Vector3(0.3 * accelRange, -0.7 * accelRange, 1.5 * accelRange),
                angularRate: Vector3(0.3 * gyroRange, -1.5 * gyroRange, 1.5 * gyroRange)))
        let rig = makeRig(.mpu6050, stimulus: stimulus)
        try rig.wake()
        try rig.write(0x1C, UInt8(code) << 3)
        try rig.write(0x1B, UInt8(code) << 3)
        rig.clock.advance(by: .milliseconds(1))
        let bytes = try rig.read(0x3B, count: 14)
        let words = stride(from: 0, to: 14, by: 2).map { index in
            Int16(bitPattern: UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
        }
        let accelScale = [16384.0, 8192, 4096, 2048][code]
        let gyroScale = [131.0, 65.5, 32.8, 16.4][code]
        #expect(words[0] == Int16((0.3 * accelRange * accelScale).rounded()))
        #expect(words[1] == Int16((-0.7 * accelRange * accelScale).rounded()))
        #expect(words[2] == .max)  // 1.5 × full scale clips
        #expect(words[4] == Int16((0.3 * gyroRange * gyroScale).rounded()))
        #expect(words[5] == .min)
        #expect(words[6] == .max)
        #expect(bytes == rig.outputBlock(at: .milliseconds(1), accelCode: code, gyroCode: code))
    }

    // MARK: FIFO

    @Test func fifoPushesTheSelectedRegistersInRegisterOrderAtTheSampleRate() throws {
        let rig = makeRig(.mpu6050)
        try rig.wake(lowPass: 1, divider: 0)  // 1 kHz
        let sources: UInt8 = 0x98  // TEMP, ZG, ACCEL: 10 bytes per sample
        try rig.startFIFO(sources)
        rig.clock.advance(to: .milliseconds(3))
        #expect(try rig.read(0x72, count: 2) == [0, 30])
        // A burst from FIFO_R_W stays on FIFO_R_W and pops bytes in order.
        let bytes = try rig.read(0x74, count: 30, addressing: .fixed)
        let expected = (1...3).flatMap { Self.frame(rig.outputBlock(at: .milliseconds($0)), sources: sources) }
        #expect(bytes == expected)
        #expect(try rig.fifoCount() == 0)
        // Empty: FIFO_R_W repeats the last byte read, and the count stays zero.
        #expect(try rig.read(0x74, count: 2, addressing: .fixed) == [expected[29], expected[29]])
        #expect(try rig.fifoCount() == 0)
    }

    @Test func fifoCountLowByteIsLatchedByReadingTheHighByte() throws {
        let rig = makeRig(.mpu6050)
        try rig.wake(lowPass: 1, divider: 0)
        try rig.startFIFO(0xF8)  // 14 bytes per sample
        rig.clock.advance(to: .milliseconds(25))
        #expect(try rig.read(0x72) == 0x01)  // 350 = 0x015E, latched now
        rig.clock.advance(to: .milliseconds(30))
        #expect(try rig.read(0x73) == 0x5E)  // still the latched 350
        #expect(try rig.fifoCount() == 420)
    }

    @Test(arguments: [MPU6050Model.Variant.mpu6050, .mpu6500])
    func overflowOverwritesTheOldestBytesAndFlagsTheInterrupt(variant: MPU6050Model.Variant) throws {
        let rig = makeRig(variant)
        let capacity = variant == .mpu6050 ? 1024 : 512
        #expect(rig.chip.fifoCapacity == capacity)
        try rig.wake(lowPass: 1, divider: 0)
        try rig.startFIFO(0x08)
        // 200 samples (and, in the second round, 10 000: the model skips what would be overwritten anyway).
        for samples in [200, 10_200] {
            rig.clock.advance(to: .milliseconds(Int64(samples)))
            #expect(try rig.fifoCount() == capacity)
            let status = try rig.read(0x3A)
            #expect(status & 0x10 != 0)
            #expect(try rig.read(0x3A) & 0x10 == 0)  // cleared by the read
            let stream = ((samples - 199)...samples).flatMap {
                Self.frame(rig.outputBlock(at: .milliseconds(Int64($0))), sources: 0x08)
            }
            let contents = try rig.read(0x74, count: capacity, addressing: .fixed)
            // The newest `capacity` bytes survive, so the first frame is cut: its alignment is lost.
            #expect(contents == Array(stream.suffix(capacity)))
        }
    }

    @Test func mpu6500StopModeKeepsTheOldestBytes() throws {
        let rig = makeRig(.mpu6500)
        try rig.wake(lowPass: 1, divider: 0)
        try rig.write(0x1A, 0x41)  // FIFO_MODE = 1, DLPF_CFG 1
        try rig.startFIFO(0x08)
        rig.clock.advance(to: .milliseconds(500))
        #expect(try rig.fifoCount() == 512)
        #expect(try rig.read(0x3A) & 0x10 != 0)
        let stream = (1...86).flatMap { Self.frame(rig.outputBlock(at: .milliseconds(Int64($0))), sources: 0x08) }
        #expect(try rig.read(0x74, count: 512, addressing: .fixed) == Array(stream.prefix(512)))
    }

    @Test func fifoResetOnThe6050WorksOnlyWithFIFOEnableClear() throws {
        let rig = makeRig(.mpu6050)
        try rig.wake(lowPass: 1, divider: 0)
        try rig.startFIFO(0x08)
        rig.clock.advance(to: .milliseconds(10))
        #expect(try rig.fifoCount() == 60)
        try rig.write(0x6A, 0x44)  // FIFO_RST together with FIFO_EN: ignored
        #expect(try rig.read(0x6A) == 0x40)  // the reset bit clears itself
        #expect(try rig.fifoCount() == 60)
        try rig.write(0x6A, 0x04)
        #expect(try rig.read(0x6A) == 0x00)
        #expect(try rig.fifoCount() == 0)
        // A stopped FIFO neither fills nor can be read.
        rig.clock.advance(to: .milliseconds(20))
        #expect(try rig.fifoCount() == 0)
    }

    @Test func mpu6500ResetsItsFIFOWhateverFIFOEnableSays() throws {
        let rig = makeRig(.mpu6500)
        try rig.wake(lowPass: 1, divider: 0)
        try rig.startFIFO(0x08)
        rig.clock.advance(to: .milliseconds(10))
        #expect(try rig.fifoCount() == 60)
        try rig.write(0x6A, 0x44)
        #expect(try rig.fifoCount() == 0)
        #expect(try rig.read(0x6A) == 0x40)
    }

    @Test func injectedOverflowFillsARunningFIFOPastCapacity() throws {
        let rig = makeRig(.mpu6050, faults: DeviceFaults(fifoOverflows: [.milliseconds(500), .milliseconds(800)]))
        try rig.wake(lowPass: 3, divider: 9)  // 100 Hz
        try rig.startFIFO(0x78)
        rig.clock.advance(to: .milliseconds(400))
        #expect(try rig.fifoCount() == 480)
        #expect(try rig.read(0x3A) & 0x10 == 0)
        rig.clock.advance(to: .milliseconds(600))
        #expect(try rig.read(0x3A) & 0x10 != 0)
        #expect(try rig.fifoCount() == 1024)
        // With the FIFO stopped, the second injection has nothing to overfill.
        try rig.write(0x6A, 0x04)
        rig.clock.advance(to: .milliseconds(900))
        #expect(try rig.read(0x3A) & 0x10 == 0)
        #expect(try rig.fifoCount() == 0)
    }

    @Test func dataReadyIsSetBySamplesAndClearedByReadingStatus() throws {
        let rig = makeRig(.mpu6050)
        #expect(try rig.read(0x3A) == 0)
        try rig.wake(lowPass: 3, divider: 9)
        #expect(try rig.read(0x3A) & 0x01 == 0x01)
        #expect(try rig.read(0x3A) == 0)
        rig.clock.advance(to: .milliseconds(9))
        #expect(try rig.read(0x3A) == 0)
        rig.clock.advance(to: .milliseconds(10))
        #expect(try rig.read(0x3A) == 0x01)
    }
}
