import SensorBus
import SensorDrivers

/// The knee-flexion sensor drivers against the stub.
extension I2CSection {
    /// AS5600 at 0x36. Preloaded by init: STATUS 0x0B = 0x20 (MD: magnet detected); RAW ANGLE 0x0C-0x0D =
    /// 04 00 (1024 of 4096 counts = 90°); CONF 0x07-0x08 = C0 00 (the blank bits 15:14 set, as "factory
    /// settings" may leave them). Registers: ams AS5600 DS000365 Figure 21-23.
    ///
    /// The AS5600's byte registers with auto-increment are exactly what the stub is, so every step works;
    /// only the magnet's state is set by the check (playing the chip).
    func as5600Checks(_ bus: LinuxI2CBus) {
        let driver = AS5600Driver(bus: bus, address: StubChips.as5600, zeroOffsetDeg: 30, clockwiseIsFlexion: true)

        recorder.check("as5600.probe") { () throws(CheckFailure) -> String in
            let identity = try succeed("probe()") { () throws(SensorError) in try driver.probe() }
            try expectEqual(identity, ChipIdentity(chip: "AS5600", register: 0x0B, value: 0x20), "identity")
            return "STATUS 0x0B = 0x20 (magnet detected)"
        }

        // CONF = 0x0500 (SF 01, FTH 001) with bits 15:14 kept as read: 0xC500. Init reads it back too.
        recorder.check("as5600.configure-keeps-blank-bits") { () throws(CheckFailure) -> String in
            try succeed("configure()") { () throws(SensorError) in try driver.configure() }
            let conf = try succeed("CONF read") { () throws(I2CError) in
                try bus.read(address: StubChips.as5600, register: 0x07, count: 2)
            }
            try expectEqual(hexBytes(conf), "0xC5 0x00", "CONF")
            return "CONF 0x07-0x08 = \(hexBytes(conf))"
        }

        recorder.check("as5600.read-angle") { () throws(CheckFailure) -> String in
            let raw = try succeed("readRawDegrees()") { () throws(SensorError) in try driver.readRawDegrees() }
            try expectClose(raw, 90, "raw angle (°)")
            let flexion = try succeed("readFlexion()") { () throws(SensorError) in try driver.readFlexion() }
            try expectClose(flexion, 60, "flexion with a 30° zero offset (°)")
            return "raw \(raw)°, flexion \(flexion)°"
        }

        recorder.check("as5600.magnet-faults-are-reported") { () throws(CheckFailure) -> String in
            let statusRegister: UInt8 = 0x0B
            defer { try? playChip(bus, address: StubChips.as5600, register: statusRegister, [0x20]) }
            var seen: [String] = []
            // STATUS as the chip would show it: no magnet; then magnet present but too strong (MD | MH).
            for (status, wanted) in [(UInt8(0x00), "no magnet detected"), (0x28, "magnet too strong")] {
                try playChip(bus, address: StubChips.as5600, register: statusRegister, [status])
                let error = try thrownError(from: "readFlexion() with STATUS 0x\(hexByte(status))") {
                    () throws(SensorError) in try driver.readFlexion()
                }
                guard case .sensorFault(_, _, _, let reason) = error, reason.contains(wanted) else {
                    throw CheckFailure("STATUS 0x\(hexByte(status)): expected a sensorFault '\(wanted)', got: \(error)")
                }
                seen.append(reason)
            }
            return seen.joined(separator: "; ")
        }
    }

    /// ADS1115 at 0x48. Preloaded by init: pointer bytes 0x00-0x04 = 24 85 83 7F FF.
    ///
    /// The ADS1115's registers are 16-bit, and the pointer selects a whole register (TI SBAS444D §9.5.2),
    /// so a 2-byte read from pointer 1 gives Config MSB, LSB and a read from pointer 2 gives Lo_thresh. On
    /// the stub a 2-byte read from pointer N gives byte registers N and N+1, so neighbouring "registers"
    /// overlap: Config's LSB is Lo_thresh's MSB, and the conversion result's LSB is Config's MSB. What
    /// follows from that:
    /// - the probe (Config reset or ours, Lo_thresh 0x8000, Hi_thresh 0x7FFF) cannot pass on any preload:
    ///   Lo_thresh's LSB (0x00) and Hi_thresh's MSB (0x7F) are the same stub byte. It must reject the
    ///   stub, which checks that it tells a byte-register chip from an ADS1115;
    /// - Config writes and read-backs work (they touch pointer bytes 1-2 only);
    /// - a conversion reads as (byte 0 << 8) | Config MSB: 0x2442 once the driver runs continuously
    ///   (Config 0x42E3: AIN0, ±4.096 V, 860 SPS, comparator off), i.e. 9282 × 125 µV = 1.16025 V;
    /// - OS (Config bit 15) keeps whatever was written: the chip clears it while converting and sets it when
    ///   done, the stub never does. So a conversion the driver starts is "finished" at once, and a busy
    ///   chip is made by the check writing OS = 0, then OS = 1 to end the conversion (playing the chip).
    func ads1115Checks(_ bus: LinuxI2CBus) {
        let calibration: FlexCalibration
        do {
            calibration = try FlexCalibration(straightVolts: 0.5, bentVolts: 1.5, bentDeg: 90)
        } catch {
            recorder.fail("ads1115", "the ADS1115 checks were skipped: calibration rejected: \(error)")
            return
        }
        let expectedVolts = Double(0x2442) * 4.096 / 32768
        func makeDriver() -> ADS1115FlexDriver {
            ADS1115FlexDriver(
                bus: bus, address: StubChips.ads1115, channel: 0, calibration: calibration, range: .fs4_096,
                dataRate: 860)
        }
        let driver = makeDriver()

        recorder.check("ads1115.probe-rejects-byte-register-file") { () throws(CheckFailure) -> String in
            let error = try thrownError(from: "probe()") { () throws(SensorError) in try driver.probe() }
            guard case .sensorFault(_, _, let address, let reason) = error, address == StubChips.ads1115,
                reason.contains("no ADS1115 found")
            else { throw CheckFailure("expected a sensorFault 'no ADS1115 found', got: \(error)") }
            return "\(error)"
        }

        // Config reads 0x8583 (reset: idle, single-shot), so the driver writes its single-shot settings with
        // OS set to start the first conversion: 0xC3E3.
        recorder.check("ads1115.configure") { () throws(CheckFailure) -> String in
            try succeed("configure()") { () throws(SensorError) in try driver.configure() }
            let config = try readConfig(bus)
            try expectEqual(hexBytes(config), "0xC3 0xE3", "Config after configure()")
            return "Config = \(hexBytes(config)) (AIN0, ±4.096 V, single-shot, 860 SPS, comparator off, OS: start)"
        }

        recorder.check("ads1115.first-read-switches-to-continuous") { () throws(CheckFailure) -> String in
            let volts = try succeed("readVolts()") { () throws(SensorError) in try driver.readVolts() }
            try expectClose(volts, expectedVolts, "volts")
            let config = try readConfig(bus)
            try expectEqual(hexBytes(config), "0x42 0xE3", "Config after the first read")
            let flexion = try succeed("readFlexion()") { () throws(SensorError) in try driver.readFlexion() }
            try expectClose(flexion, (expectedVolts - 0.5) * 90, "flexion (°)")
            return "\(volts) V, Config \(hexBytes(config)) (continuous), flexion \(flexion)°"
        }

        recorder.check("ads1115.waits-for-a-running-conversion") { () throws(CheckFailure) -> String in
            // A conversion someone else started is running: single-shot, OS = 0.
            try playChip(bus, address: StubChips.ads1115, register: 0x01, [0x05, 0x83])
            let restarted = makeDriver()
            try succeed("configure() while busy") { () throws(SensorError) in try restarted.configure() }
            var steps: [String] = []
            let busy = try thrownError(from: "readVolts() while busy") { () throws(SensorError) in
                try restarted.readVolts()
            }
            try expectTimeout(busy, "readVolts() while the other conversion runs")
            steps.append("busy: not ready")
            // That conversion finishes: OS = 1, the driver's settings kept.
            try playChip(bus, address: StubChips.ads1115, register: 0x01, [0xC3])
            let started = try thrownError(from: "readVolts() after it finished") { () throws(SensorError) in
                try restarted.readVolts()
            }
            try expectTimeout(started, "readVolts() that starts the driver's own conversion")
            steps.append("idle: own conversion started, not ready")
            let volts = try succeed("readVolts()") { () throws(SensorError) in try restarted.readVolts() }
            try expectClose(volts, expectedVolts, "volts")
            steps.append("done: \(volts) V")
            return steps.joined(separator: "; ")
        }
    }

    private func readConfig(_ bus: LinuxI2CBus) throws(CheckFailure) -> [UInt8] {
        try succeed("Config read") { () throws(I2CError) in
            try bus.read(address: StubChips.ads1115, register: 0x01, count: 2)
        }
    }

    private func expectTimeout(_ error: SensorError, _ what: String) throws(CheckFailure) {
        guard case .conversionTimeout = error else {
            throw CheckFailure("\(what): expected conversionTimeout (not ready), got: \(error)")
        }
    }
}
