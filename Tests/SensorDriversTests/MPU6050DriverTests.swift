import KneeloadCore
import SensorBus
import SensorDrivers
import SimulatedBus
import Testing

/// A chip whose one register ignores writes (a damaged part, or another chip answering at the address).
final class StuckRegisterChip: SimulatedDevice {
    let inner: MPU6050Model
    let stuck: UInt8
    init(_ inner: MPU6050Model, stuck: UInt8) {
        self.inner = inner
        self.stuck = stuck
    }
    var model: String { inner.model }
    func receive(_ bytes: [UInt8], at time: Duration) {
        inner.receive(bytes.count > 1 && bytes[0] == stuck ? [stuck] : bytes, at: time)
    }
    func transmit(count: Int, at time: Duration) -> [UInt8] { inner.transmit(count: count, at: time) }
    func powerOnReset(at time: Duration) { inner.powerOnReset(at: time) }
    func forceFIFOOverflow(at time: Duration) { inner.forceFIFOOverflow(at: time) }
}

/// The MPU-6050/6500 driver against the register-level model on a virtual clock.
@Suite struct MPU6050DriverTests {
    /// Every axis changes with time (and stays inside ±16 g and ±2000 °/s for the first ten seconds), so a
    /// reading tells which sample it is.
    static let ramp = ClosureStimulus(inertial: { t in
        InertialState(
            specificForce: Vector3(0.1 + t, 1 - 0.5 * t, -0.3 * t), angularRate: Vector3(12 * t, -30 * t, 100 + 50 * t))
    })

    struct Rig {
        let bus: SimulatedI2CBus
        let clock: VirtualClock
        let chip: MPU6050Model
        let driver: MPU6050Driver
        let stimulus: any InertialStimulus

        /// The truth at `time`, to compare a reading with.
        func truth(at time: Duration) -> InertialState { stimulus.inertial(at: time.seconds) }
    }

    func makeRig(
        _ variant: MPU6050Model.Variant = .mpu6050, stimulus: any InertialStimulus = MPU6050DriverTests.ramp,
        faults: DeviceFaults = .none, seed: UInt64 = 3
    ) -> Rig {
        let clock = VirtualClock()
        let bus = SimulatedI2CBus(name: "sim-i2c-1", clock: clock, seed: seed)
        let chip = MPU6050Model(variant: variant, stimulus: stimulus)
        bus.attach(chip, at: 0x68, faults: faults)
        return Rig(bus: bus, clock: clock, chip: chip, driver: MPU6050Driver(bus: bus), stimulus: stimulus)
    }

    /// True when `reading` is within one LSB of `truth` on every axis.
    static func matches(_ reading: IMUReading, _ truth: InertialState, _ settings: AppliedIMUSettings) -> Bool {
        let accelError = reading.accel - truth.specificForce
        guard let gyro = reading.gyro else { return false }
        let gyroError = gyro - truth.angularRate
        let a = settings.accelGPerLSB * (1 + 1e-9)
        let g = settings.gyroDPSPerLSB * (1 + 1e-9)
        return abs(accelError.x) <= a && abs(accelError.y) <= a && abs(accelError.z) <= a
            && abs(gyroError.x) <= g && abs(gyroError.y) <= g && abs(gyroError.z) <= g
    }

    static func expectBusError(_ kind: I2CError.Kind, _ body: () throws(SensorError) -> Void) {
        do {
            try body()
            Issue.record("expected a bus error")
        } catch {
            guard case .bus(let busError) = error else {
                Issue.record("expected a bus error, got \(error)")
                return
            }
            #expect(busError.kind == kind)
        }
    }

    // MARK: Probe

    static let probeCases: [(MPU6050Model.Variant, UInt8?, String, UInt8)] = [
        (.mpu6050, nil, "MPU-6050", 0x68), (.mpu6500, nil, "MPU-6500", 0x70), (.mpu6500, 0x71, "MPU-9250", 0x71),
    ]

    @Test(arguments: probeCases)
    func probeNamesTheChipFound(variant: MPU6050Model.Variant, override: UInt8?, name: String, whoAmI: UInt8) throws {
        let faults = DeviceFaults(identityOverride: override.map { .init(register: 0x75, value: $0) })
        let rig = makeRig(variant, faults: faults)
        #expect(rig.driver.chip == "MPU-6050/6500")
        let identity = try rig.driver.probe()
        #expect(identity == ChipIdentity(chip: name, register: 0x75, value: whoAmI))
        #expect(rig.driver.chip == name)
        #expect(rig.driver.address == 0x68)
        #expect(rig.driver.hasGyro)
    }

    @Test func anotherChipAtTheAddressIsAWrongIdentity() {
        let rig = makeRig(faults: DeviceFaults(identityOverride: .init(register: 0x75, value: 0x98)))
        let expected = SensorError.wrongIdentity(
            chip: "MPU-6050/6500", bus: "sim-i2c-1", address: 0x68, register: 0x75, expected: [0x68, 0x70, 0x71],
            found: 0x98)
        #expect(throws: expected) { try rig.driver.probe() }
        // configure() probes first, so it refuses the chip too, and leaves it untouched.
        #expect(throws: expected) { try rig.driver.configure(IMUSettings()) }
        #expect(rig.chip.isSleeping)
        #expect(expected.description.contains("reads 0x98, expected 0x68 or 0x70 or 0x71"))
    }

    @Test func absentChipIsNotAcknowledged() {
        let rig = makeRig(faults: DeviceFaults(absent: true))
        Self.expectBusError(.noAcknowledge) { () throws(SensorError) in _ = try rig.driver.probe() }
        Self.expectBusError(.noAcknowledge) { () throws(SensorError) in try rig.driver.configure(IMUSettings()) }
        let elsewhere = MPU6050Driver(bus: rig.bus, address: 0x69)
        Self.expectBusError(.noAcknowledge) { () throws(SensorError) in _ = try elsewhere.probe() }
    }

    // MARK: Configuration

    @Test(arguments: [MPU6050Model.Variant.mpu6050, .mpu6500])
    func configureWritesTheSettingsAndReportsThem(variant: MPU6050Model.Variant) throws {
        let rig = makeRig(variant)
        let applied = try rig.driver.configure(IMUSettings(accelRangeG: 8, gyroRangeDPS: 1000, sampleRateHz: 100))
        #expect(
            applied
                == AppliedIMUSettings(
                    accelRangeG: 8, gyroRangeDPS: 1000, outputDataRateHz: 100, accelGPerLSB: 1 / 4096.0,
                    gyroDPSPerLSB: 1 / 32.8))
        #expect(rig.driver.applied == applied)
        #expect(rig.chip.peek(0x6B) == 0x01)  // awake, PLL clock
        #expect(rig.chip.peek(0x1A) == 3)  // DLPF 42 Hz, under half of 100 Hz
        #expect(rig.chip.peek(0x19) == 9)  // 1 kHz / 10
        #expect(rig.chip.peek(0x1B) == 0x10)
        #expect(rig.chip.peek(0x1C) == 0x10)
        #expect(rig.chip.peek(0x6A) == 0x00)
        #expect(rig.chip.peek(0x1D) == (variant == .mpu6500 ? 3 : 0))  // 6500's accelerometer DLPF
        #expect(rig.chip.sampleRateHz == 100)
        #expect(!rig.chip.isSleeping)
    }

    /// (requested Hz, SMPLRT_DIV, DLPF_CFG, applied Hz)
    static let rateCases: [(Double, UInt8, UInt8, Double)] = [
        (50, 19, 4, 50), (100, 9, 3, 100), (200, 4, 2, 200), (300, 2, 2, 1000 / 3.0),
        (1000, 0, 1, 1000), (1000 / 7.0, 6, 3, 1000 / 7.0), (3, 255, 6, 1000 / 256.0), (0.5, 255, 6, 1000 / 256.0),
    ]

    @Test(arguments: rateCases)
    func rateIsTheSlowestAtOrAboveTheRequest(requested: Double, divider: UInt8, lowPass: UInt8, rate: Double) throws {
        let rig = makeRig()
        let applied = try rig.driver.configure(IMUSettings(sampleRateHz: requested))
        #expect(applied.outputDataRateHz == rate)
        #expect(applied.outputDataRateHz >= requested)
        #expect(rig.chip.peek(0x19) == divider)
        #expect(rig.chip.peek(0x1A) == lowPass)
        #expect(rig.chip.sampleRateHz == rate)
    }

    @Test func aRegisterThatDoesNotStickIsAConfigurationMismatch() {
        let clock = VirtualClock()
        let bus = SimulatedI2CBus(name: "sim-i2c-1", clock: clock)
        bus.attach(StuckRegisterChip(MPU6050Model(stimulus: Self.ramp), stuck: 0x1B), at: 0x68)
        let driver = MPU6050Driver(bus: bus)
        #expect(
            throws: SensorError.configurationMismatch(
                chip: "MPU-6050", bus: "sim-i2c-1", address: 0x68, register: 0x1B, wrote: 0x18, readBack: 0x00)
        ) {
            try driver.configure(IMUSettings(accelRangeG: 16, gyroRangeDPS: 2000, sampleRateHz: 100))
        }
        #expect(driver.applied == nil)
        #expect(throws: SensorError.notConfigured(chip: "MPU-6050")) { try driver.read() }
    }

    @Test func unsupportedSettingsAreRefusedWithWhatIsAllowed() throws {
        let rig = makeRig()
        for settings in [
            IMUSettings(accelRangeG: 3), IMUSettings(gyroRangeDPS: 245), IMUSettings(sampleRateHz: 2000),
            IMUSettings(sampleRateHz: 0), IMUSettings(sampleRateHz: -5), IMUSettings(sampleRateHz: .nan),
        ] {
            do {
                try rig.driver.configure(settings)
                Issue.record("accepted \(settings)")
            } catch {
                guard case .unsupportedSetting(let chip, _, let allowed) = error else {
                    Issue.record("unexpected \(error)")
                    continue
                }
                #expect(chip == "MPU-6050")
                #expect(!allowed.isEmpty)
            }
        }
        #expect(throws: SensorError.unsupportedSetting(
            chip: "MPU-6050", setting: "accelerometer range ±3 g", allowed: "±2 g, ±4 g, ±8 g, ±16 g")) {
            try rig.driver.configure(IMUSettings(accelRangeG: 3))
        }
        #expect(rig.driver.applied == nil)
    }

    // MARK: Reading

    @Test(arguments: [MPU6050Model.Variant.mpu6050, .mpu6500], 0..<4)
    func everyRangeReadsWithinOneLSBAndSaturatesBeyond(variant: MPU6050Model.Variant, code: Int) throws {
        let accelRange = [2, 4, 8, 16][code]
        let gyroRange = [250, 500, 1000, 2000][code]
        let a = Double(accelRange)
        let g = Double(gyroRange)
        // In range for the first second, 30 % beyond it afterwards.
        let inRangeState = InertialState(
            specificForce: Vector3(0.61 * a, -0.83 * a, 0.071 * a), angularRate: Vector3(0.37 * g, -0.91 * g, 0.55 * g))
        let beyondState = InertialState(
            specificForce: Vector3(1.3 * a, -1.3 * a, 0.2 * a), angularRate: Vector3(1.3 * g, -1.3 * g, 0))
        let stimulus = ClosureStimulus(inertial: { t in t < 1 ? inRangeState : beyondState })
        let rig = makeRig(variant, stimulus: stimulus)
        let applied = try rig.driver.configure(
            IMUSettings(accelRangeG: accelRange, gyroRangeDPS: gyroRange, sampleRateHz: 100))
        #expect(applied.accelGPerLSB == 1 / [16384.0, 8192, 4096, 2048][code])
        #expect(applied.gyroDPSPerLSB == 1 / [131.0, 65.5, 32.8, 16.4][code])
        rig.clock.advance(to: .milliseconds(500))
        let inRange = try rig.driver.read()
        #expect(Self.matches(inRange, rig.truth(at: .milliseconds(500)), applied))
        #expect(!inRange.accelSaturated)

        rig.clock.advance(to: .seconds(2))
        let clipped = try rig.driver.read()
        #expect(clipped.accelSaturated)
        #expect(clipped.accel.x == 32767 * applied.accelGPerLSB)
        #expect(clipped.accel.y == -32768 * applied.accelGPerLSB)
        #expect(abs(clipped.accel.z - 0.2 * a) <= applied.accelGPerLSB)
        #expect(clipped.gyro?.x == 32767 * applied.gyroDPSPerLSB)
        #expect(clipped.gyro?.y == -32768 * applied.gyroDPSPerLSB)
    }

    @Test func readIsOneBurstTransaction() throws {
        let rig = makeRig()
        try rig.driver.configure(IMUSettings())
        let before = rig.bus.statistics.transactions
        _ = try rig.driver.read()
        #expect(rig.bus.statistics.transactions == before + 1)
    }

    @Test(arguments: [50.0, 100, 200])
    func dataUpdatesAtTheChosenRateOnTheVirtualClock(rate: Double) throws {
        let rig = makeRig()
        // Configure a while after power-on: sampling starts when the chip wakes.
        let start = Duration.milliseconds(300)
        rig.clock.advance(to: start)
        let applied = try rig.driver.configure(IMUSettings(sampleRateHz: rate))
        #expect(applied.outputDataRateHz == rate)
        let period = Int64(1e9 / rate)
        var previous: IMUReading?
        for n in Int64(0)..<20 {
            let sampleTime = start + .nanoseconds(n * period)
            rig.clock.advance(to: sampleTime + .nanoseconds(period * 3 / 5))
            let early = try rig.driver.read()
            #expect(Self.matches(early, rig.truth(at: sampleTime), applied), "sample \(n) at \(rate) Hz")
            rig.clock.advance(to: sampleTime + .nanoseconds(period - 1))
            #expect(try rig.driver.read() == early)  // no new sample until the next period starts
            if let previous { #expect(previous != early) }
            previous = early
        }
    }

    @Test func mpu6050ReadsZeroUntilConfigureWakesIt() throws {
        let rig = makeRig(.mpu6050)
        #expect(throws: SensorError.notConfigured(chip: "MPU-6050/6500")) { try rig.driver.read() }
        rig.clock.advance(to: .seconds(1))
        #expect(try rig.bus.read(address: 0x68, register: 0x3B, count: 14) == [UInt8](repeating: 0, count: 14))
        let applied = try rig.driver.configure(IMUSettings(sampleRateHz: 100))
        rig.clock.advance(to: .milliseconds(1005))
        #expect(Self.matches(try rig.driver.read(), rig.truth(at: .seconds(1)), applied))
    }

    @Test func frozenChipRepeatsItsLastSample() throws {
        let rig = makeRig(faults: DeviceFaults(frozenFrom: .milliseconds(500)))
        let applied = try rig.driver.configure(IMUSettings(sampleRateHz: 100))
        rig.clock.advance(to: .milliseconds(400))
        let beforeFreeze = try rig.driver.read()
        var afterFreeze: [IMUReading] = []
        for step in 1...5 {
            rig.clock.advance(to: .milliseconds(500 + 100 * step))
            afterFreeze.append(try rig.driver.read())
        }
        #expect(Set(afterFreeze).count == 1)
        #expect(afterFreeze[0] != beforeFreeze)
        #expect(Self.matches(afterFreeze[0], rig.truth(at: .milliseconds(500)), applied))
    }

    // MARK: FIFO

    @Test func fifoFillsAtTheRateAndDrainsInOrder() throws {
        let rig = makeRig()
        let applied = try rig.driver.configure(IMUSettings(sampleRateHz: 100))
        #expect(throws: SensorError.notConfigured(chip: "MPU-6050")) { try rig.driver.drainFIFO() }
        rig.clock.advance(to: .milliseconds(200))
        try rig.driver.enableFIFO()
        #expect(rig.chip.peek(0x23) == 0x78)
        #expect(rig.chip.peek(0x6A) == 0x40)
        rig.clock.advance(to: .milliseconds(700))
        // The count register holds 12 bytes for each of the 50 samples since the FIFO started.
        #expect(try rig.bus.read(address: 0x68, register: 0x72, count: 2) == [0x02, 0x58])
        let before = rig.bus.statistics.transactions
        let first = try rig.driver.drainFIFO()
        #expect(rig.bus.statistics.transactions == before + 3)  // status, count, one data burst
        #expect(!first.overflowed)
        #expect(first.discardedSamples == 0)
        #expect(first.readings.count == 50)
        for (index, reading) in first.readings.enumerated() {
            #expect(Self.matches(reading, rig.truth(at: .milliseconds(210 + 10 * index)), applied), "sample \(index)")
        }
        #expect(try rig.bus.read(address: 0x68, register: 0x72, count: 2) == [0, 0])
        #expect(try rig.driver.drainFIFO().readings.isEmpty)
        rig.clock.advance(to: .milliseconds(1000))
        let second = try rig.driver.drainFIFO()
        #expect(second.readings.count == 30)
        for (index, reading) in second.readings.enumerated() {
            #expect(Self.matches(reading, rig.truth(at: .milliseconds(710 + 10 * index)), applied))
        }
    }

    @Test func overflowIsDetectedDiscardedAndRecoveredFrom() throws {
        let rig = makeRig(.mpu6050)
        let applied = try rig.driver.configure(IMUSettings(sampleRateHz: 100))
        try rig.driver.enableFIFO()
        rig.clock.advance(to: .seconds(2))  // 200 samples, 2400 bytes, into 1024
        let lost = try rig.driver.drainFIFO()
        #expect(lost == FIFODrain(readings: [], overflowed: true, discardedSamples: 1024 / 12))
        // The FIFO was reset: the next drain has exactly the samples since, in order, and no overflow.
        rig.clock.advance(to: .milliseconds(2200))
        let next = try rig.driver.drainFIFO()
        #expect(!next.overflowed)
        #expect(next.readings.count == 20)
        for (index, reading) in next.readings.enumerated() {
            #expect(Self.matches(reading, rig.truth(at: .milliseconds(2010 + 10 * index)), applied))
        }
    }

    /// Within three samples of full, the FIFO is reset before it overflows (as Linux's inv_mpu6050 does).
    static let nearlyFullCases: [(MPU6050Model.Variant, Int)] = [(.mpu6050, 82), (.mpu6500, 39)]

    @Test(arguments: nearlyFullCases)
    func aNearlyFullFIFOIsDiscardedLikeLinuxDoes(variant: MPU6050Model.Variant, lastSafe: Int) throws {
        for samples in [lastSafe, lastSafe + 1] {
            let rig = makeRig(variant)
            try rig.driver.configure(IMUSettings(sampleRateHz: 100))
            try rig.driver.enableFIFO()
            rig.clock.advance(to: .milliseconds(Int64(10 * samples)))
            let drain = try rig.driver.drainFIFO()
            if samples == lastSafe {
                #expect(drain == FIFODrain(readings: drain.readings, overflowed: false, discardedSamples: 0))
                #expect(drain.readings.count == samples)
            } else {
                #expect(drain == FIFODrain(readings: [], overflowed: true, discardedSamples: samples))
            }
        }
    }

    @Test func theMPU6500FIFOHoldsHalfAsMuch() throws {
        var results: [MPU6050Model.Variant: FIFODrain] = [:]
        for variant in [MPU6050Model.Variant.mpu6050, .mpu6500] {
            let rig = makeRig(variant)
            try rig.driver.configure(IMUSettings(sampleRateHz: 100))
            try rig.driver.enableFIFO()
            rig.clock.advance(to: .milliseconds(600))  // 60 samples, 720 bytes
            results[variant] = try rig.driver.drainFIFO()
        }
        #expect(results[.mpu6050]?.readings.count == 60)
        #expect(results[.mpu6050]?.overflowed == false)
        #expect(results[.mpu6500] == FIFODrain(readings: [], overflowed: true, discardedSamples: 512 / 12))
    }

    @Test func injectedOverflowIsReportedOnceThenTheFIFORecovers() throws {
        let rig = makeRig(faults: DeviceFaults(fifoOverflows: [.milliseconds(350)]))
        let applied = try rig.driver.configure(IMUSettings(sampleRateHz: 100))
        try rig.driver.enableFIFO()
        rig.clock.advance(to: .milliseconds(300))
        #expect(try rig.driver.drainFIFO().readings.count == 30)
        rig.clock.advance(to: .milliseconds(400))
        let lost = try rig.driver.drainFIFO()
        #expect(lost.overflowed)
        #expect(lost.readings.isEmpty)
        #expect(lost.discardedSamples == 1024 / 12)
        rig.clock.advance(to: .milliseconds(500))
        let next = try rig.driver.drainFIFO()
        #expect(!next.overflowed)
        #expect(next.readings.count == 10)
        for (index, reading) in next.readings.enumerated() {
            #expect(Self.matches(reading, rig.truth(at: .milliseconds(410 + 10 * index)), applied))
        }
    }

    // MARK: Bus faults

    @Test func transferFailuresOnlyEverSurfaceAsTypedBusErrorsAndLoseNoSamples() throws {
        let rig = makeRig(faults: DeviceFaults(transferFailureRate: 0.01), seed: 11)
        var failures = 0
        func retrying<T>(_ body: () throws(SensorError) -> T) -> T? {
            for _ in 0..<20 {
                do {
                    return try body()
                } catch {
                    if case .bus(let busError) = error, busError.kind == .transferFailed {
                        failures += 1
                    } else {
                        Issue.record("unexpected error \(error)")
                        return nil
                    }
                }
            }
            return nil
        }
        let applied = try #require(
            retrying { () throws(SensorError) in try rig.driver.configure(IMUSettings(sampleRateHz: 100)) })
        try #require(retrying { () throws(SensorError) in try rig.driver.enableFIFO() } != nil)
        let start = rig.clock.now
        var drained: [IMUReading] = []
        for step in 1...300 {
            rig.clock.advance(by: .milliseconds(10))
            _ = retrying { () throws(SensorError) in try rig.driver.read() }
            if step % 10 == 0, let drain = retrying({ () throws(SensorError) in try rig.driver.drainFIFO() }) {
                #expect(!drain.overflowed)
                drained += drain.readings
            }
        }
        #expect(failures > 0)
        // A failed transfer never reached the chip, so the FIFO kept every sample for the next drain.
        #expect(drained.count == 300)
        for (index, reading) in drained.enumerated() {
            #expect(Self.matches(reading, rig.truth(at: start + .milliseconds(10 * (index + 1))), applied))
        }
        #expect(rig.bus.statistics.failures == failures)
    }
}
