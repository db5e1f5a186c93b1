import KneeloadCore
import SensorBus
import SensorDrivers
import SimulatedBus
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The LSM6DS driver against the register-level LSM6DS3 / LSM6DSOX models on the simulated bus.
@Suite struct LSM6DSDriverTests {
    static let address: UInt8 = 0x6A

    /// Accel x = 0.1·t g (a ramp that stamps each sample with its time), y = -0.5 g, z = 1 g;
    /// gyro x = 10·t °/s, y = 100 °/s, z = -50 °/s.
    static let ramp = ClosureStimulus(inertial: { t in
        InertialState(specificForce: Vector3(0.1 * t, -0.5, 1), angularRate: Vector3(10 * t, 100, -50))
    })

    struct Rig {
        let bus: SimulatedI2CBus
        let clock: VirtualClock
        let driver: LSM6DSDriver

        func at(milliseconds: Int) { clock.advance(to: .milliseconds(milliseconds)) }
        func register(_ register: UInt8) throws -> UInt8 {
            try bus.readByte(address: LSM6DSDriverTests.address, register: register)
        }
    }

    static func rig(
        _ variant: LSM6DSModel.Variant, stimulus: any InertialStimulus = ramp, faults: DeviceFaults = .none,
        seed: UInt64 = 3
    ) -> Rig {
        let clock = VirtualClock()
        let bus = SimulatedI2CBus(clock: clock, seed: seed)
        bus.attach(LSM6DSModel(variant: variant, stimulus: stimulus), at: address, faults: faults)
        return Rig(bus: bus, clock: clock, driver: LSM6DSDriver(bus: bus))
    }

    static func constant(accel: Vector3 = .zero, gyro: Vector3 = .zero) -> ConstantStimulus {
        ConstantStimulus(inertial: InertialState(specificForce: accel, angularRate: gyro))
    }

    static let variants: [LSM6DSModel.Variant] = [.lsm6ds3, .lsm6dsox]

    // MARK: - Identity

    @Test func probeNamesEachFamily() throws {
        let ds3 = Self.rig(.lsm6ds3)
        #expect(try ds3.driver.probe() == ChipIdentity(chip: "LSM6DS3", register: 0x0F, value: 0x69))
        #expect(ds3.driver.chip == "LSM6DS3")
        let dsox = Self.rig(.lsm6dsox)
        #expect(try dsox.driver.probe() == ChipIdentity(chip: "LSM6DSO/LSM6DSOX", register: 0x0F, value: 0x6C))
        let trc = Self.rig(.lsm6ds3, faults: DeviceFaults(identityOverride: .init(register: 0x0F, value: 0x6A)))
        #expect(try trc.driver.probe().chip == "LSM6DS3TR-C/LSM6DSL")
        #expect(ds3.driver.hasGyro && ds3.driver.address == 0x6A)
    }

    @Test func anotherChipIsAWrongIdentity() {
        let rig = Self.rig(.lsm6dsox, faults: DeviceFaults(identityOverride: .init(register: 0x0F, value: 0x68)))
        let expected = SensorError.wrongIdentity(
            chip: "LSM6DS", bus: "simulated-i2c", address: 0x6A, register: 0x0F, expected: [0x69, 0x6A, 0x6C],
            found: 0x68)
        #expect(throws: expected) { try rig.driver.probe() }
        #expect(throws: expected) { try rig.driver.configure(IMUSettings()) }
    }

    @Test func anAbsentDeviceIsABusError() {
        let rig = Self.rig(.lsm6ds3, faults: DeviceFaults(absent: true))
        let error = #expect(throws: SensorError.self) { try rig.driver.probe() }
        guard case .bus(let busError)? = error else {
            Issue.record("expected a bus error, got \(String(describing: error))")
            return
        }
        #expect(busError.kind == .noAcknowledge && busError.errno == ENXIO && busError.register == 0x0F)
    }

    @Test func usingTheDriverBeforeConfigureIsRefused() {
        let rig = Self.rig(.lsm6dsox)
        #expect(throws: SensorError.notConfigured(chip: "LSM6DS")) { try rig.driver.read() }
        #expect(throws: SensorError.notConfigured(chip: "LSM6DS")) { try rig.driver.enableFIFO() }
    }

    // MARK: - Configuration

    @Test(arguments: variants)
    func configureWritesVerifiesAndReports(variant: LSM6DSModel.Variant) throws {
        let rig = Self.rig(variant)
        let applied = try rig.driver.configure(IMUSettings(accelRangeG: 8, gyroRangeDPS: 1000, sampleRateHz: 100))
        #expect(applied.accelRangeG == 8 && applied.gyroRangeDPS == 1000 && applied.outputDataRateHz == 104)
        #expect(applied.accelGPerLSB == 0.244e-3 && applied.gyroDPSPerLSB == 35e-3)
        #expect(try rig.register(0x10) == 0x4C)  // ODR 0100, FS_XL 11
        #expect(try rig.register(0x11) == 0x48)  // ODR 0100, FS_G 10
        #expect(try rig.register(0x12) == 0x44)  // BDU | IF_INC
    }

    /// Passes everything through, but flips bits in the bytes written to one register (a stuck or miswired chip).
    final class CorruptingBus: I2CBus {
        let inner: SimulatedI2CBus
        let register: UInt8
        let flip: UInt8
        init(inner: SimulatedI2CBus, register: UInt8, flip: UInt8) {
            self.inner = inner
            self.register = register
            self.flip = flip
        }
        var name: String { inner.name }
        func read(address: UInt8, register: UInt8, count: Int, addressing: RegisterAddressing) throws(I2CError)
            -> [UInt8]
        {
            try inner.read(address: address, register: register, count: count, addressing: addressing)
        }
        func write(address: UInt8, register: UInt8, bytes: [UInt8]) throws(I2CError) {
            let sent = register == self.register ? bytes.map { $0 ^ flip } : bytes
            try inner.write(address: address, register: register, bytes: sent)
        }
    }

    @Test func aRegisterThatDoesNotReadBackIsAMismatch() {
        let rig = Self.rig(.lsm6ds3)
        let driver = LSM6DSDriver(bus: CorruptingBus(inner: rig.bus, register: 0x11, flip: 0x04))
        #expect(
            throws: SensorError.configurationMismatch(
                chip: "LSM6DS3", bus: "simulated-i2c", address: 0x6A, register: 0x11, wrote: 0x4C, readBack: 0x48)
        ) { try driver.configure(IMUSettings(accelRangeG: 16, gyroRangeDPS: 2000, sampleRateHz: 100)) }
        #expect(throws: SensorError.notConfigured(chip: "LSM6DS3")) { try driver.read() }
    }

    @Test(arguments: [(50.0, 52.0), (100, 104), (200, 208), (12.5, 12.5), (1, 12.5), (400, 416), (1000, 1660)])
    func theOutputDataRateIsTheSmallestAtOrAboveTheRequest(requested: Double, expected: Double) throws {
        let rig = Self.rig(.lsm6ds3)
        let applied = try rig.driver.configure(IMUSettings(sampleRateHz: requested))
        #expect(applied.outputDataRateHz == expected)
        let rates = [12.5, 26, 52, 104, 208, 416, 833, 1660]
        let code = UInt8(rates.firstIndex(of: expected)! + 1)
        #expect(try rig.register(0x10) >> 4 == code)
        #expect(try rig.register(0x11) >> 4 == code)
    }

    @Test func theDSOXCallsItsRatesAndRangesByItsOwnNames() throws {
        let rig = Self.rig(.lsm6dsox)
        let applied = try rig.driver.configure(IMUSettings(accelRangeG: 4, gyroRangeDPS: 245, sampleRateHz: 300))
        #expect(applied.outputDataRateHz == 417)
        #expect(applied.gyroRangeDPS == 250)
        let ds3 = try Self.rig(.lsm6ds3).driver.configure(IMUSettings(gyroRangeDPS: 250))
        #expect(ds3.gyroRangeDPS == 245 && ds3.gyroDPSPerLSB == 8.75e-3)
    }

    @Test func unsupportedSettingsAreRefusedWithWhatIsAllowed() {
        let rig = Self.rig(.lsm6ds3)
        #expect(
            throws: SensorError.unsupportedSetting(
                chip: "LSM6DS3", setting: "accelerometer range ±3 g", allowed: "±2, ±4, ±8, ±16 g")
        ) { try rig.driver.configure(IMUSettings(accelRangeG: 3)) }
        for settings in [IMUSettings(gyroRangeDPS: 4000), IMUSettings(sampleRateHz: 2000),
                         IMUSettings(sampleRateHz: 0), IMUSettings(sampleRateHz: .nan)] {
            let error = #expect(throws: SensorError.self) { try rig.driver.configure(settings) }
            guard case .unsupportedSetting(_, _, let allowed)? = error else {
                Issue.record("expected unsupportedSetting, got \(String(describing: error))")
                continue
            }
            #expect(!allowed.isEmpty)
        }
    }

    // MARK: - Reading and scaling

    @Test(arguments: [(2, 0.061e-3), (4, 0.122e-3), (8, 0.244e-3), (16, 0.488e-3)])
    func accelerometerScalingAtEveryRange(rangeG: Int, gPerLSB: Double) throws {
        let force = Vector3(1.25, -0.6, 0.02)
        for variant in Self.variants {
            let rig = Self.rig(variant, stimulus: Self.constant(accel: force))
            try rig.driver.configure(IMUSettings(accelRangeG: rangeG, sampleRateHz: 104))
            rig.at(milliseconds: 50)
            let reading = try rig.driver.read()
            #expect(abs(reading.accel.x - force.x) <= gPerLSB / 2 + 1e-12)
            #expect(abs(reading.accel.y - force.y) <= gPerLSB / 2 + 1e-12)
            #expect(abs(reading.accel.z - force.z) <= gPerLSB / 2 + 1e-12)
            #expect(!reading.accelSaturated)

            let impact = Self.rig(variant, stimulus: Self.constant(accel: Vector3(0, Double(rangeG) * 1.5, 1)))
            try impact.driver.configure(IMUSettings(accelRangeG: rangeG, sampleRateHz: 104))
            impact.at(milliseconds: 50)
            let clipped = try impact.driver.read()
            #expect(clipped.accelSaturated)
            #expect(clipped.accel.y == 32767 * gPerLSB)
        }
    }

    @Test(arguments: [(125, 4.375e-3), (245, 8.75e-3), (250, 8.75e-3), (500, 17.5e-3), (1000, 35e-3), (2000, 70e-3)])
    func gyroscopeScalingAtEveryRange(rangeDPS: Int, dpsPerLSB: Double) throws {
        let rate = Vector3(-100, 42.5, 3)
        for variant in Self.variants {
            let rig = Self.rig(variant, stimulus: Self.constant(accel: Vector3(1, 0, 0), gyro: rate))
            try rig.driver.configure(IMUSettings(gyroRangeDPS: rangeDPS, sampleRateHz: 104))
            rig.at(milliseconds: 50)
            let gyro = try #require(try rig.driver.read().gyro)
            #expect(abs(gyro.x - rate.x) <= dpsPerLSB / 2 + 1e-12)
            #expect(abs(gyro.y - rate.y) <= dpsPerLSB / 2 + 1e-12)
            #expect(abs(gyro.z - rate.z) <= dpsPerLSB / 2 + 1e-12)

            let spin = Self.rig(variant, stimulus: Self.constant(gyro: Vector3(Double(rangeDPS) * 2, 0, 0)))
            try spin.driver.configure(IMUSettings(gyroRangeDPS: rangeDPS, sampleRateHz: 104))
            spin.at(milliseconds: 50)
            #expect(try spin.driver.read().gyro?.x == 32767 * dpsPerLSB)
        }
    }

    @Test func readsAreOneBurstOfTheNewestSample() throws {
        let rig = Self.rig(.lsm6dsox)
        try rig.driver.configure(IMUSettings(accelRangeG: 2, gyroRangeDPS: 2000, sampleRateHz: 200))
        rig.at(milliseconds: 1000)
        let before = rig.bus.statistics.transactions
        let reading = try rig.driver.read()
        #expect(rig.bus.statistics.transactions == before + 1)
        #expect(abs(reading.accel.x - 0.1) < 0.0001)  // sample 208 at exactly 1 s
        #expect(abs((reading.gyro?.x ?? 0) - 10) < 0.07)
    }

    @Test func poweredDownAfterAPowerLossUntilConfiguredAgain() throws {
        let rig = Self.rig(.lsm6ds3, faults: DeviceFaults(vanishings: [Duration.seconds(1)..<Duration.seconds(2)]))
        try rig.driver.configure(IMUSettings(accelRangeG: 4))
        rig.at(milliseconds: 1500)
        #expect(throws: SensorError.self) { try rig.driver.read() }
        rig.at(milliseconds: 2500)
        #expect(try rig.driver.read().accel == .zero, "the chip came back powered down")
        try rig.driver.configure(IMUSettings(accelRangeG: 4))
        rig.at(milliseconds: 2600)
        #expect(try rig.driver.read().accel.z > 0.99)
    }

    @Test func aFrozenChipKeepsAnsweringWithStaleData() throws {
        let rig = Self.rig(.lsm6dsox, faults: DeviceFaults(frozenFrom: .seconds(1)))
        try rig.driver.configure(IMUSettings(accelRangeG: 4, sampleRateHz: 104))
        try rig.driver.enableFIFO()
        rig.at(milliseconds: 2000)
        let stale = try rig.driver.read()
        #expect(abs(stale.accel.x - 0.1) < 0.0002)
        #expect(try rig.driver.drainFIFO().readings.count == 104)
        rig.at(milliseconds: 3000)
        #expect(try rig.driver.read() == stale)
        #expect(try rig.driver.drainFIFO().readings.isEmpty)
    }

    // MARK: - FIFO

    @Test(arguments: variants)
    func fifoDrainsEverySampleInOrder(variant: LSM6DSModel.Variant) throws {
        let rig = Self.rig(variant)
        try rig.driver.configure(IMUSettings(accelRangeG: 4, gyroRangeDPS: 2000, sampleRateHz: 100))
        try rig.driver.enableFIFO()
        #expect(try rig.driver.drainFIFO() == FIFODrain(readings: [], overflowed: false, discardedSamples: 0))
        rig.at(milliseconds: 1000)
        let first = try rig.driver.drainFIFO()
        rig.at(milliseconds: 1500)
        let second = try rig.driver.drainFIFO()
        #expect(!first.overflowed && !second.overflowed)
        #expect(first.readings.count == 104 && second.readings.count == 52)
        for (index, reading) in (first.readings + second.readings).enumerated() {
            let t = Double(index + 1) / 104
            #expect(abs(reading.accel.x - 0.1 * t) <= 0.061e-3 + 1e-9)
            #expect(abs(reading.accel.y + 0.5) <= 0.061e-3 + 1e-9)
            #expect(abs((reading.gyro?.x ?? .nan) - 10 * t) <= 0.035 + 1e-9)
            #expect(abs((reading.gyro?.y ?? .nan) - 100) <= 0.035 + 1e-9)
        }
    }

    @Test(arguments: variants)
    func anOverflowedFIFOIsDiscardedAndRestarted(variant: LSM6DSModel.Variant) throws {
        let rig = Self.rig(variant)
        try rig.driver.configure(IMUSettings(accelRangeG: 4, gyroRangeDPS: 2000, sampleRateHz: 100))
        try rig.driver.enableFIFO()
        rig.at(milliseconds: 10_000)  // 1040 samples; the DSOX holds 256, the DS3 682
        let lost = try rig.driver.drainFIFO()
        #expect(lost.overflowed && lost.readings.isEmpty)
        #expect(lost.discardedSamples == (variant == .lsm6ds3 ? 4096 / 6 : 256))
        rig.at(milliseconds: 10_500)
        let recovered = try rig.driver.drainFIFO()
        #expect(!recovered.overflowed && recovered.discardedSamples == 0)
        #expect(recovered.readings.count == 52)
        for (index, reading) in recovered.readings.enumerated() {
            let t = Double(1041 + index) / 104
            #expect(abs(reading.accel.x - 0.1 * t) <= 0.061e-3 + 1e-9)
            #expect(abs((reading.gyro?.x ?? .nan) - 10 * t) <= 0.035 + 1e-9)
        }
    }

    @Test(arguments: variants)
    func anInjectedOverflowIsReportedOnce(variant: LSM6DSModel.Variant) throws {
        let rig = Self.rig(variant, faults: DeviceFaults(fifoOverflows: [.milliseconds(700)]))
        try rig.driver.configure(IMUSettings(sampleRateHz: 52))
        try rig.driver.enableFIFO()
        rig.at(milliseconds: 500)
        #expect(try rig.driver.drainFIFO().readings.count == 26)
        rig.at(milliseconds: 800)
        let overflow = try rig.driver.drainFIFO()
        #expect(overflow.overflowed && overflow.discardedSamples > 0)
        rig.at(milliseconds: 1000)
        let after = try rig.driver.drainFIFO()
        #expect(!after.overflowed && after.readings.count == 11)  // samples 42...52
    }

    @Test func aPartlyReadPatternIsSkippedToGetBackInStep() throws {
        let rig = Self.rig(.lsm6ds3)
        try rig.driver.configure(IMUSettings(accelRangeG: 4, sampleRateHz: 104))
        try rig.driver.enableFIFO()
        rig.at(milliseconds: 100)
        // An earlier read that died after two words (as a split transfer can): the head is now Gz of sample 1.
        _ = try rig.bus.read(address: Self.address, register: 0x3E, count: 4, addressing: .fixed)
        let drain = try rig.driver.drainFIFO()
        #expect(!drain.overflowed && drain.discardedSamples == 1)
        #expect(drain.readings.count == 9)
        for (index, reading) in drain.readings.enumerated() {
            #expect(abs(reading.accel.x - 0.1 * Double(index + 2) / 104) <= 0.061e-3 + 1e-9)
            #expect(abs((reading.gyro?.y ?? .nan) - 100) <= 0.035)
        }
    }

    @Test func theDS3TRCUsesTheDS3FIFOLayout() throws {
        let rig = Self.rig(.lsm6ds3, faults: DeviceFaults(identityOverride: .init(register: 0x0F, value: 0x6A)))
        try rig.driver.configure(IMUSettings(accelRangeG: 4, sampleRateHz: 50))
        try rig.driver.enableFIFO()
        rig.at(milliseconds: 1000)
        let drain = try rig.driver.drainFIFO()
        #expect(drain.readings.count == 52 && !drain.overflowed)
        #expect(abs(drain.readings[51].accel.x - 0.1) <= 0.122e-3)
    }

    @Test func theTaggedFIFOIsReadInWholeWordsOfAtMost28Bytes() throws {
        let rig = Self.rig(.lsm6dsox)
        let recorder = RecordingBus(inner: rig.bus)
        let driver = LSM6DSDriver(bus: recorder)
        try driver.configure(IMUSettings(sampleRateHz: 104))
        try driver.enableFIFO()
        rig.at(milliseconds: 1000)
        recorder.reads.withLock { $0.removeAll() }
        #expect(try driver.drainFIFO().readings.count == 104)
        let fifoReads = recorder.reads.withLock { $0 }.filter { $0.register == 0x78 }
        #expect(fifoReads.count == 52)  // 208 words, 4 per read
        #expect(fifoReads.allSatisfy { $0.count % 7 == 0 && $0.count <= 28 && $0.addressing == .fixed })
    }

    @Test func theUntaggedFIFOIsReadInOneFixedAddressRead() throws {
        let rig = Self.rig(.lsm6ds3)
        let recorder = RecordingBus(inner: rig.bus)
        let driver = LSM6DSDriver(bus: recorder)
        try driver.configure(IMUSettings(sampleRateHz: 104))
        try driver.enableFIFO()
        rig.at(milliseconds: 1000)
        recorder.reads.withLock { $0.removeAll() }
        #expect(try driver.drainFIFO().readings.count == 104)
        let reads = recorder.reads.withLock { $0 }
        #expect(reads.count == 2)  // FIFO_STATUS1..4, then the data
        #expect(reads.last?.register == 0x3E && reads.last?.count == 104 * 12 && reads.last?.addressing == .fixed)
    }

    // MARK: - Faults

    @Test(arguments: variants)
    func onePercentTransferFailuresGiveOnlyTypedBusErrors(variant: LSM6DSModel.Variant) throws {
        let rig = Self.rig(variant, faults: DeviceFaults(transferFailureRate: 0.01), seed: 99)
        var busErrors = 0
        func bringUp() {
            for _ in 0..<50 {
                do {
                    try rig.driver.configure(IMUSettings(accelRangeG: 4, gyroRangeDPS: 2000, sampleRateHz: 104))
                    try rig.driver.enableFIFO()
                    return
                } catch {
                    #expect(error.isBusError)
                    busErrors += 1
                }
            }
            Issue.record("could not bring the chip up")
        }
        bringUp()
        var drained: [IMUReading] = []
        var reads = 0
        for step in 1...300 {
            rig.at(milliseconds: 50 * step)
            do {
                drained += try rig.driver.drainFIFO().readings
                _ = try rig.driver.read()
                reads += 1
            } catch {
                guard case .bus(let busError) = error else {
                    Issue.record("not a bus error: \(error)")
                    continue
                }
                #expect(busError.errno == EIO && busError.address == 0x6A)
                busErrors += 1
            }
        }
        #expect(busErrors > 0, "the fault injection should have fired")
        #expect(reads > 240)
        #expect(drained.count > 1000)
        // Whatever arrived is in time order and correctly paired: accel and gyro ramps agree.
        for (earlier, later) in zip(drained, drained.dropFirst()) {
            #expect(later.accel.x > earlier.accel.x)
        }
        for reading in drained {
            #expect(abs((reading.gyro?.x ?? .nan) - 100 * reading.accel.x) < 0.1)
        }
    }
}

/// Records every read the driver makes before passing it on.
final class RecordingBus: I2CBus {
    struct Read: Sendable {
        var register: UInt8
        var count: Int
        var addressing: RegisterAddressing
    }
    let inner: SimulatedI2CBus
    let reads = Mutex<[Read]>([])
    init(inner: SimulatedI2CBus) { self.inner = inner }
    var name: String { inner.name }
    func read(address: UInt8, register: UInt8, count: Int, addressing: RegisterAddressing) throws(I2CError) -> [UInt8] {
        reads.withLock { $0.append(Read(register: register, count: count, addressing: addressing)) }
        return try inner.read(address: address, register: register, count: count, addressing: addressing)
    }
    func write(address: UInt8, register: UInt8, bytes: [UInt8]) throws(I2CError) {
        try inner.write(address: address, register: register, bytes: bytes)
    }
}
