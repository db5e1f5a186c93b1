import Foundation
import SensorBus
import SensorDrivers
import SimulatedBus
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The ADS1115 flex driver on the simulated ADS1115, and the two-point flex calibration.
@Suite struct ADS1115FlexDriverTests {
    static let address: UInt8 = 0x48
    static let calibration = try! FlexCalibration(straightVolts: 1.14, bentVolts: 1.88)

    struct Rig {
        let clock = VirtualClock()
        let bus: SimulatedI2CBus
        let chip: ADS1115Model
        let driver: ADS1115FlexDriver

        init(
            _ stimulus: any AnalogStimulus = ConstantStimulus(volts: 1.5), faults: DeviceFaults = .none,
            channel: Int = 0, range: ADS1115Range = .fs4_096, dataRate: Int = 860, seed: UInt64 = 11
        ) {
            bus = SimulatedI2CBus(clock: clock, seed: seed)
            chip = ADS1115Model(stimulus: stimulus)
            bus.attach(chip, at: ADS1115FlexDriverTests.address, faults: faults)
            driver = ADS1115FlexDriver(
                bus: bus, channel: channel, calibration: ADS1115FlexDriverTests.calibration, range: range,
                dataRate: dataRate)
        }

        /// Probes, configures, waits out the first (single-shot) conversion and takes the reading that
        /// switches the chip to continuous mode, then lets continuous conversions run.
        func start() throws(SensorError) {
            _ = try driver.probe()
            try driver.configure()
            clock.advance(by: .milliseconds(10))
            _ = try driver.readVolts()
            clock.advance(by: .milliseconds(10))
        }

        func config() throws -> UInt16 {
            try bus.readWordBigEndian(address: ADS1115FlexDriverTests.address, register: 1)
        }
    }

    // MARK: Calibration

    @Test func calibrationMapsVoltsToDegreesAndBack() throws {
        let calibration = try FlexCalibration(straightVolts: 1.2, bentVolts: 2.0)
        #expect(calibration.bentDeg == 90)
        #expect(calibration.flexionDegrees(volts: 1.2) == 0)
        #expect(abs(calibration.flexionDegrees(volts: 2.0) - 90) < 1e-9)
        #expect(abs(calibration.flexionDegrees(volts: 1.6) - 45) < 1e-9)
        #expect(abs(calibration.flexionDegrees(volts: 1.1) + 11.25) < 1e-9)  // hyperextension is negative
        for degrees in stride(from: -10.0, through: 150, by: 7.5) {
            #expect(abs(calibration.flexionDegrees(volts: calibration.volts(flexionDegrees: degrees)) - degrees) < 1e-9)
        }
        // A divider wired the other way round (voltage falls with bending) works the same.
        let falling = try FlexCalibration(straightVolts: 2.5, bentVolts: 1.5, bentDeg: 60)
        #expect(abs(falling.flexionDegrees(volts: 2.0) - 30) < 1e-9)
        #expect(abs(falling.volts(flexionDegrees: 120) - 0.5) < 1e-9)
    }

    @Test func degenerateCalibrationsAreRejected() throws {
        #expect(throws: FlexCalibrationError.equalVolts(1.5)) { try FlexCalibration(straightVolts: 1.5, bentVolts: 1.5) }
        #expect(throws: FlexCalibrationError.zeroBendAngle) {
            try FlexCalibration(straightVolts: 1, bentVolts: 2, bentDeg: 0)
        }
        #expect(throws: FlexCalibrationError.notFinite(field: "bentVolts", value: .infinity)) {
            try FlexCalibration(straightVolts: 1, bentVolts: .infinity)
        }
        #expect(FlexCalibrationError.equalVolts(1.5).description.contains("must differ"))
    }

    @Test func calibrationRoundTripsThroughJSONAndRejectsBadJSON() throws {
        let calibration = try FlexCalibration(straightVolts: 1.1, bentVolts: 1.9, bentDeg: 80)
        let data = try JSONEncoder().encode(calibration)
        #expect(try JSONDecoder().decode(FlexCalibration.self, from: data) == calibration)
        let minimal = Data(#"{"straightVolts":1,"bentVolts":2}"#.utf8)
        let defaulted = try JSONDecoder().decode(FlexCalibration.self, from: minimal)
        #expect(defaulted.bentDeg == 90)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(FlexCalibration.self, from: Data(#"{"straightVolts":1,"bentVolts":1}"#.utf8))
        }
    }

    // MARK: Probe and configure

    @Test func probeAcceptsAFreshChipAndOneThisDriverConfigured() throws {
        let rig = Rig()
        let identity = try rig.driver.probe()
        #expect(identity == ChipIdentity(chip: "ADS1115", register: 0x01, value: 0x85))
        try rig.start()
        _ = try rig.driver.readVolts()
        // A restart of the daemon finds the chip as we left it, even with another channel requested.
        let other = ADS1115FlexDriver(bus: rig.bus, channel: 3, calibration: Self.calibration)
        #expect(try other.probe().value == 0x42)
    }

    @Test func probeRejectsAnotherChip() {
        // A TMP102 at 0x48 has T_LOW (its register 2) at 75 °C, 0x4B00.
        let rig = Rig(faults: DeviceFaults(identityOverride: .init(register: 0x02, value: 0x4B)))
        #expect {
            try rig.driver.probe()
        } throws: { error in
            guard case .sensorFault(let chip, _, let address, let reason) = error as? SensorError else { return false }
            return chip == "ADS1115" && address == 0x48 && reason.contains("Lo_thresh 0x4B00")
        }
    }

    @Test func configureWritesContinuousSingleEndedSettingsAfterTheFirstConversion() throws {
        let rig = Rig(channel: 2, range: .fs2_048, dataRate: 128)
        _ = try rig.driver.probe()
        try rig.driver.configure()
        // First a single-shot conversion with the final MUX/PGA/DR: AIN2, ±2.048 V, 128 SPS, comparator off.
        #expect(try rig.config() == 0x6583)
        #expect(try rig.driver.configValue(singleShot: false) == 0x6483)
        rig.clock.advance(by: .milliseconds(9))
        _ = try rig.driver.readVolts()
        #expect(try rig.config() == 0x6483, "continuous mode, OS reads 0")
        #expect(try ADS1115FlexDriver(bus: rig.bus, calibration: Self.calibration).configValue(singleShot: false) == 0x42E3)
    }

    @Test func readingBeforeTheFirstConversionFinishedIsNotReady() throws {
        let rig = Rig(ConstantStimulus(volts: 1.5), dataRate: 8)
        try rig.driver.configure()
        rig.clock.advance(by: .milliseconds(100))  // 1/8 s has not passed
        #expect(throws: SensorError.conversionTimeout(chip: "ADS1115", bus: "simulated-i2c", address: 0x48)) {
            try rig.driver.readVolts()
        }
        rig.clock.advance(by: .milliseconds(30))
        #expect(abs(try rig.driver.readVolts() - 1.5) <= 0.000125)
    }

    @Test func aChipConvertingContinuouslyIsDrainedBeforeTheFirstResult() throws {
        // Left running on AIN1 at 8 SPS by someone else: its conversion must not become our first result.
        let rig = Rig(ClosureStimulus(volts: { channel, _ in [1.0, 3.0, 0, 0][channel] }))
        try rig.bus.writeWordBigEndian(address: Self.address, register: 1, value: 0x5203)  // AIN1, continuous, 8 SPS
        rig.clock.advance(by: .milliseconds(50))
        try rig.driver.configure()
        rig.clock.advance(by: .milliseconds(100))  // the 8 SPS conversion has finished; ours not started
        #expect(throws: SensorError.self) { try rig.driver.readVolts() }
        rig.clock.advance(by: .milliseconds(2))
        #expect(abs(try rig.driver.readVolts() - 1.0) <= 0.000125)
    }

    @Test func unsupportedSettingsNameWhatIsAllowed() {
        let cases: [(ADS1115FlexDriver, String, String)] = [
            (
                ADS1115FlexDriver(bus: Rig().bus, channel: 4, calibration: Self.calibration), "channel 4",
                "0, 1, 2, 3 (AIN0-AIN3)"
            ),
            (
                ADS1115FlexDriver(bus: Rig().bus, calibration: Self.calibration, range: ADS1115Range(fullScaleVolts: 5)),
                "range ±5.0 V", "±6.144 V, ±4.096 V, ±2.048 V, ±1.024 V, ±0.512 V, ±0.256 V"
            ),
            (
                ADS1115FlexDriver(bus: Rig().bus, calibration: Self.calibration, dataRate: 100), "data rate 100 SPS",
                "8, 16, 32, 64, 128, 250, 475, 860 SPS"
            ),
        ]
        for (driver, setting, allowed) in cases {
            #expect(throws: SensorError.unsupportedSetting(chip: "ADS1115", setting: setting, allowed: allowed)) {
                try driver.configure()
            }
        }
    }

    @Test func configurationThatDoesNotStickIsReported() {
        let rig = Rig(faults: DeviceFaults(identityOverride: .init(register: 0x01, value: 0x85)))
        #expect(throws: SensorError.configurationMismatch(
            chip: "ADS1115", bus: "simulated-i2c", address: 0x48, register: 0x01, wrote: 0x43, readBack: 0x05)
        ) {
            try rig.driver.configure()
        }
    }

    // MARK: Reading

    @Test func readVoltsAndFlexionFollowTheInput() throws {
        let calibration = Self.calibration
        // The knee bends from 0° to 120° over 2 s; the divider voltage is the calibration line.
        let stimulus = ClosureStimulus(volts: { _, t in calibration.volts(flexionDegrees: 60 * t) })
        let rig = Rig(stimulus)
        #expect(throws: SensorError.notConfigured(chip: "ADS1115")) { try rig.driver.readFlexion() }
        try rig.start()
        for step in 1...200 {
            rig.clock.advance(by: .milliseconds(10))
            let t = rig.clock.now.seconds
            let flexion = try rig.driver.readFlexion()
            // At most one conversion period (plus half of one for the sampling point) behind, plus 1 LSB.
            let lag = 1.5 / 860 * 60 + 0.000125 * calibration.degreesPerVolt
            #expect(flexion <= 60 * t + 1e-9 && flexion >= 60 * t - lag, "step \(step)")
        }
    }

    @Test func everyRangeScalesCountsToVolts() throws {
        for range in ADS1115Range.supported {
            let volts = 0.2 * range.fullScaleVolts
            let rig = Rig(ConstantStimulus(volts: volts), range: range)
            try rig.start()
            #expect(abs(try rig.driver.readVolts() - volts) <= range.voltsPerCount / 2 + 1e-12, "\(range)")
        }
    }

    @Test func aClippedInputIsAFaultNotAReading() throws {
        let rig = Rig(ConstantStimulus(volts: 3.3), range: .fs2_048)
        try rig.driver.configure()
        rig.clock.advance(by: .milliseconds(5))
        #expect {
            try rig.driver.readVolts()
        } throws: { error in
            guard case .sensorFault(_, _, _, let reason) = error as? SensorError else { return false }
            return reason.contains("outside the ±2.048 V range")
        }
    }

    @Test func aChipThatLostPowerIsNoticedAndCanBeReconfigured() throws {
        let rig = Rig(
            ConstantStimulus(volts: 1.5),
            faults: DeviceFaults(vanishings: [Duration.seconds(1)..<Duration.milliseconds(1100)]))
        try rig.start()
        #expect(abs(try rig.driver.readVolts() - 1.5) < 0.001)
        rig.clock.advance(to: .milliseconds(1050))
        #expect {
            try rig.driver.readVolts()
        } throws: { error in
            (error as? SensorError) == .bus(
                I2CError(bus: "simulated-i2c", operation: .read, address: 0x48, register: 0, byteCount: 2, errno: ENXIO))
        }
        rig.clock.advance(to: .milliseconds(1200))
        // Back with reset values: the conversion register holds 0, so the driver checks Config.
        #expect(throws: SensorError.configurationMismatch(
            chip: "ADS1115", bus: "simulated-i2c", address: 0x48, register: 0x01, wrote: 0x42, readBack: 0x05)
        ) {
            try rig.driver.readVolts()
        }
        #expect(throws: SensorError.notConfigured(chip: "ADS1115")) { try rig.driver.readVolts() }
        try rig.driver.configure()
        rig.clock.advance(by: .milliseconds(5))
        #expect(abs(try rig.driver.readVolts() - 1.5) < 0.001)
    }

    @Test func aResetChipIsCaughtByThePeriodicConfigCheck() throws {
        let rig = Rig(ConstantStimulus(volts: 1.5))
        try rig.start()
        _ = try rig.driver.readVolts()
        // Reset behind the driver's back, then run conversions again on another channel: the result is
        // not 0, so only the periodic check can find it.
        rig.chip.powerOnReset(at: rig.clock.now)
        try rig.bus.writeWordBigEndian(address: Self.address, register: 1, value: 0x5283)
        rig.clock.advance(by: .milliseconds(20))
        var mismatches = 0
        for _ in 0..<ADS1115FlexDriver.configCheckInterval {
            do { _ = try rig.driver.readVolts() } catch {
                if case .configurationMismatch = error { mismatches += 1 }
                break
            }
        }
        #expect(mismatches == 1)
    }

    @Test func absentChipGivesTypedBusErrors() {
        let rig = Rig(faults: DeviceFaults(absent: true))
        for operation in [{ _ = try rig.driver.probe() }, { try rig.driver.configure() }] as [() throws -> Void] {
            #expect {
                try operation()
            } throws: { error in
                guard case .bus(let busError) = error as? SensorError else { return false }
                return busError.kind == .noAcknowledge && busError.address == 0x48
            }
        }
    }

    @Test func onePercentTransferFailuresAreTypedAndRecoverable() throws {
        let rig = Rig(ConstantStimulus(volts: 1.5), faults: DeviceFaults(transferFailureRate: 0.01), seed: 5)
        var configured = false
        for _ in 0..<5 where !configured {
            do {
                try rig.start()
                configured = true
            } catch { #expect(error.isBusError) }
        }
        #expect(configured)
        var good = 0
        var busErrors = 0
        for _ in 0..<2000 {
            rig.clock.advance(by: .milliseconds(5))
            do {
                let volts = try rig.driver.readVolts()
                #expect(abs(volts - 1.5) < 0.001)
                good += 1
            } catch {
                switch error {
                case .bus(let busError):
                    #expect(busError.errno == EIO)
                    busErrors += 1
                case .notConfigured, .configurationMismatch:
                    try rig.driver.configure()
                default:
                    Issue.record("unexpected \(error)")
                }
            }
        }
        #expect((5...45).contains(busErrors))
        #expect(good + busErrors == 2000)
    }

    @Test func aFrozenChipRepeatsItsLastResult() throws {
        let stimulus = ClosureStimulus(volts: { _, t in 1.0 + 0.1 * t })
        let rig = Rig(stimulus, faults: DeviceFaults(frozenFrom: .milliseconds(500)))
        try rig.start()
        rig.clock.advance(to: .milliseconds(400))
        let before = try rig.driver.readVolts()
        rig.clock.advance(to: .milliseconds(600))
        let frozen = try rig.driver.readVolts()
        rig.clock.advance(to: .seconds(3))
        // The driver cannot tell: the value just stops changing (the caller's stuck-signal check sees it).
        #expect(try rig.driver.readVolts() == frozen)
        #expect(frozen > before)
    }
}
