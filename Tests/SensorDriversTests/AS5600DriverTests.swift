import SensorBus
import SensorDrivers
import SimulatedBus
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The AS5600 knee-brace driver on the simulated AS5600.
@Suite struct AS5600DriverTests {
    static let address: UInt8 = 0x36

    struct Rig {
        let clock = VirtualClock()
        let bus: SimulatedI2CBus
        let chip: AS5600Model
        let driver: AS5600Driver

        init(
            _ stimulus: any MagneticStimulus, faults: DeviceFaults = .none, zeroOffsetDeg: Double = 0,
            clockwiseIsFlexion: Bool = true, seed: UInt64 = 9
        ) {
            bus = SimulatedI2CBus(clock: clock, seed: seed)
            chip = AS5600Model(stimulus: stimulus)
            bus.attach(chip, at: AS5600DriverTests.address, faults: faults)
            driver = AS5600Driver(bus: bus, zeroOffsetDeg: zeroOffsetDeg, clockwiseIsFlexion: clockwiseIsFlexion)
        }

        func start() throws(SensorError) {
            _ = try driver.probe()
            try driver.configure()
        }
    }

    /// A magnet whose angle and field a test sets as it goes.
    final class MovableMagnet: MagneticStimulus {
        private let state = Mutex(MagnetState(angleDeg: 0, fieldMilliTesla: 60))
        func set(_ degrees: Double, _ milliTesla: Double = 60) {
            state.withLock { $0 = MagnetState(angleDeg: degrees, fieldMilliTesla: milliTesla) }
        }
        func magnet(at time: Double) -> MagnetState { state.withLock { $0 } }
    }

    @Test func probeReadsStatusAndNeedsNoMagnet() throws {
        let rig = Rig(ConstantStimulus(magnet: MagnetState(angleDeg: 0, fieldMilliTesla: 0)))
        #expect(try rig.driver.probe() == ChipIdentity(chip: "AS5600", register: 0x0B, value: 0x10))
        #expect(try Rig(ConstantStimulus()).driver.probe().value == 0x20)
    }

    @Test func probeRejectsAStatusTheChipCannotHave() {
        for status: UInt8 in [0xFF, 0x01, 0x18, 0x40] {
            let rig = Rig(ConstantStimulus(), faults: DeviceFaults(identityOverride: .init(register: 0x0B, value: status)))
            #expect(throws: SensorError.wrongIdentity(
                chip: "AS5600", bus: "simulated-i2c", address: 0x36, register: 0x0B,
                expected: [0x00, 0x08, 0x10, 0x20, 0x28, 0x30], found: status)
            ) {
                try rig.driver.probe()
            }
        }
    }

    @Test func configureWritesConfAndNeverBurns() throws {
        let magnet = MovableMagnet()
        let rig = Rig(magnet)
        try rig.start()
        #expect(AS5600Driver.configuration == 0x0500)
        #expect(try rig.bus.readWordBigEndian(address: Self.address, register: 0x07) == 0x0500)
        for degrees in stride(from: 0.0, to: 720, by: 13) {
            magnet.set(degrees)
            _ = try rig.driver.readFlexion()
            _ = try rig.driver.readRawDegrees()
        }
        magnet.set(10, 0)
        #expect(throws: SensorError.self) { try rig.driver.readFlexion() }
        #expect(rig.chip.burnCommands.isEmpty)
    }

    @Test func configureReportsAConfThatDoesNotStick() {
        let rig = Rig(ConstantStimulus(), faults: DeviceFaults(identityOverride: .init(register: 0x07, value: 0x3F)))
        #expect(throws: SensorError.configurationMismatch(
            chip: "AS5600", bus: "simulated-i2c", address: 0x36, register: 0x07, wrote: 0x05, readBack: 0x3F)
        ) {
            try rig.driver.configure()
        }
    }

    @Test func flexionIsTheRawAngleFromTheZeroInTheChosenDirection() throws {
        let magnet = MovableMagnet()
        let rig = Rig(magnet, zeroOffsetDeg: 30)
        #expect(throws: SensorError.notConfigured(chip: "AS5600")) { try rig.driver.readFlexion() }
        try rig.start()
        let counterclockwise = AS5600Driver(bus: rig.bus, zeroOffsetDeg: 30, clockwiseIsFlexion: false)
        try counterclockwise.configure()
        for degrees in [30.0, 45, 120, 180, 200, 10] {
            magnet.set(degrees)
            let expected = degrees - 30
            let step = 360.0 / 4096
            let raw = try rig.driver.readRawDegrees()
            #expect(abs(raw - degrees) <= step / 2 + 1e-9)
            #expect(abs(try rig.driver.readFlexion() - expected) <= step / 2 + 1e-9, "\(degrees)°")
            #expect(abs(try counterclockwise.readFlexion() + expected) <= step / 2 + 1e-9, "\(degrees)°")
        }
    }

    @Test func flexionWrapsAroundTheZeroIntoMinus180To180() throws {
        let magnet = MovableMagnet()
        // Whole counts (360/4096 = 0.087890625°), so the arithmetic is exact.
        let rig = Rig(magnet, zeroOffsetDeg: 348.75)
        try rig.start()
        let cases: [(Double, Double)] = [
            (348.75, 0), (11.25, 22.5), (337.5, -11.25), (0, 11.25), (168.75, 180), (168.837890625, -179.912109375),
        ]
        for (angle, flexion) in cases {
            magnet.set(angle)
            #expect(abs(try rig.driver.readFlexion() - flexion) < 1e-9, "magnet at \(angle)°")
        }
        // Exactly half a turn from the zero is +180, never −180.
        let opposite = AS5600Driver(bus: rig.bus, zeroOffsetDeg: 348.75, clockwiseIsFlexion: false)
        try opposite.configure()
        magnet.set(168.75)
        #expect(try opposite.readFlexion() == 180)
        #expect(AS5600Driver.wrapped(-540) == 180)
        #expect(AS5600Driver.wrapped(540.5) == -179.5)
    }

    @Test func magnetProblemsAreSensorFaults() throws {
        let magnet = MovableMagnet()
        let rig = Rig(magnet)
        try rig.start()
        for (field, words) in [(0.0, "no magnet detected"), (20, "magnet too weak"), (130, "magnet too strong")] {
            magnet.set(90, field)
            for read in [{ try rig.driver.readFlexion() }, { try rig.driver.readRawDegrees() }] as [() throws -> Double] {
                #expect {
                    _ = try read()
                } throws: { error in
                    guard case .sensorFault(let chip, _, let address, let reason) = error as? SensorError else {
                        return false
                    }
                    return chip == "AS5600" && address == 0x36 && reason.contains(words)
                }
            }
        }
        magnet.set(90, 60)
        #expect(abs(try rig.driver.readFlexion() - 90) < 0.05)
    }

    @Test func absentChipGivesTypedBusErrors() {
        let rig = Rig(ConstantStimulus(), faults: DeviceFaults(absent: true))
        #expect {
            try rig.driver.probe()
        } throws: { error in
            guard case .bus(let busError) = error as? SensorError else { return false }
            return busError.kind == .noAcknowledge && busError.errno == ENXIO && busError.register == 0x0B
        }
        #expect(throws: SensorError.self) { try rig.driver.configure() }
    }

    @Test func onePercentTransferFailuresAreTypedAndNeverCorruptReadings() throws {
        let magnet = MovableMagnet()
        let rig = Rig(magnet, faults: DeviceFaults(transferFailureRate: 0.01), seed: 21)
        var started = false
        for _ in 0..<5 where !started {
            do {
                try rig.start()
                started = true
            } catch { #expect(error.isBusError) }
        }
        #expect(started)
        var failures = 0
        for index in 0..<3000 {
            let degrees = Double(index % 1000) * 0.1
            magnet.set(degrees)
            do {
                #expect(abs(try rig.driver.readFlexion() - degrees) <= 360.0 / 8192 + 1e-9)
            } catch {
                guard case .bus(let busError) = error else {
                    Issue.record("unexpected \(error)")
                    continue
                }
                #expect(busError.errno == EIO)
                failures += 1
            }
        }
        #expect((10...55).contains(failures))
        #expect(rig.chip.burnCommands.isEmpty)
    }

    @Test func aFrozenChipRepeatsItsLastAngle() throws {
        let stimulus = ClosureStimulus(magnet: { t in MagnetState(angleDeg: 40 * t, fieldMilliTesla: 60) })
        let rig = Rig(stimulus, faults: DeviceFaults(frozenFrom: .seconds(1)))
        try rig.start()
        rig.clock.advance(to: .milliseconds(500))
        #expect(abs(try rig.driver.readFlexion() - 20) < 0.05)
        rig.clock.advance(to: .seconds(2))
        let frozen = try rig.driver.readFlexion()
        #expect(abs(frozen - 40) < 0.05)
        rig.clock.advance(to: .seconds(3))
        #expect(try rig.driver.readFlexion() == frozen)
    }
}
