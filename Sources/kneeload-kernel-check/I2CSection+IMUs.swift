import KneeloadCore
import SensorBus
import SensorDrivers

/// The shank-IMU drivers against the stub.
extension I2CSection {
    /// MPU-6050 at 0x68. Preloaded by init: WHO_AM_I 0x75 = 0x68; PWR_MGMT_1 0x6B = 0x40 (reset value: asleep);
    /// USER_CTRL 0x6A = 0x40 (a FIFO left running); ACCEL/TEMP/GYRO_OUT 0x3B-0x48 = 10 00 F0 00 20 00 00 00
    /// 01 48 FE B8 00 00 (big-endian words); INT_STATUS 0x3A = 0x10 (FIFO overflow); FIFO_COUNT 0x72-0x73 =
    /// 00 30 (48 bytes). Register numbers: RM-MPU-6000A-00 rev 4.2 §3.
    ///
    /// All of this works on a register file except the FIFO data port: FIFO_R_W (0x74) is a queue on the
    /// chip but plain registers on the stub, so draining real frames is not checked here (the simulated
    /// bus tests do that); the overflow path, which only reads INT_STATUS and FIFO_COUNT, is.
    func mpu6050Checks(_ bus: LinuxI2CBus) {
        let driver = MPU6050Driver(bus: bus, address: StubChips.mpu6050)

        recorder.check("mpu6050.probe") { () throws(CheckFailure) -> String in
            let identity = try succeed("probe()") { () throws(SensorError) in try driver.probe() }
            try expectEqual(identity, ChipIdentity(chip: "MPU-6050", register: 0x75, value: 0x68), "identity")
            return "WHO_AM_I 0x75 = 0x68: \(identity.chip)"
        }

        // ±8 g, ±1000 °/s, 100 Hz: ACCEL_CONFIG 0x10, GYRO_CONFIG 0x10, SMPLRT_DIV 9, CONFIG (DLPF) 3 = 42 Hz.
        // The driver verifies each write by read-back; init reads them again with i2cget afterwards.
        recorder.check("mpu6050.configure") { () throws(CheckFailure) -> String in
            let settings = IMUSettings(accelRangeG: 8, gyroRangeDPS: 1000, sampleRateHz: 100)
            let applied = try succeed("configure(\(settings))") { () throws(SensorError) in
                try driver.configure(settings)
            }
            try expectEqual(applied.outputDataRateHz, 100, "output data rate")
            try expectEqual(applied.accelGPerLSB, 1.0 / 4096, "accel scale")
            try expectEqual(applied.gyroDPSPerLSB, 1.0 / 32.8, "gyro scale")
            return "±8 g, ±1000 °/s, 100 Hz, verified by read-back"
        }

        // Accel 0x1000, 0xF000, 0x2000 at 4096 LSB/g; gyro 0x0148, 0xFEB8, 0 at 32.8 LSB/(°/s).
        recorder.check("mpu6050.read-converts-big-endian-data") { () throws(CheckFailure) -> String in
            let reading = try succeed("read()") { () throws(SensorError) in try driver.read() }
            try expectVector(reading.accel, Vector3(1, -1, 2), "accel (g)")
            guard let gyro = reading.gyro else { throw CheckFailure("no gyro in the reading") }
            try expectVector(gyro, Vector3(10, -10, 0), "gyro (°/s)")
            try expectEqual(reading.accelSaturated, false, "accelSaturated")
            return "accel \(reading.accel) g, gyro \(gyro) °/s"
        }

        recorder.check("mpu6050.fifo-overflow-is-reported") { () throws(CheckFailure) -> String in
            try succeed("enableFIFO()") { () throws(SensorError) in try driver.enableFIFO() }
            let drain = try succeed("drainFIFO()") { () throws(SensorError) in try driver.drainFIFO() }
            try expectEqual(drain.overflowed, true, "overflowed")
            try expectEqual(drain.discardedSamples, 4, "discarded samples (48 bytes / 12)")
            try expectEqual(drain.readings.count, 0, "readings")
            return "INT_STATUS FIFO_OFLOW with FIFO_COUNT 48: 4 samples discarded, FIFO reset"
        }
    }

    /// LSM6DSL (LSM6DS3TR-C) at 0x6A. Preloaded by init: WHO_AM_I 0x0F = 0x6A, CTRL3_C 0x12 = 0x04 (reset value,
    /// IF_INC). Register numbers: LSM6DS3 DocID026899 and LSM6DSOX DS12814 register maps; Linux st_lsm6dsx.
    ///
    /// `configure()` starts with a software reset: it writes CTRL3_C SW_RESET (bit 0), which the chip clears
    /// when the reset is done, and polls for that. A register file never clears it, so on the stub the
    /// driver must give up with a sensor fault instead of hanging or carrying on with a chip that never
    /// came out of reset. So configuration and data reads of this driver cannot be exercised here (the
    /// simulated bus tests do that); what can is the identity, the stuck-reset detection and that nothing
    /// is read from a chip that was not configured. Init then reads CTRL3_C (0x05: the reset request) and
    /// CTRL1_XL (still 0x00: the driver stopped before writing any setting).
    func lsm6dsChecks(_ bus: LinuxI2CBus) {
        let driver = LSM6DSDriver(bus: bus, address: StubChips.lsm6ds)

        recorder.check("lsm6ds.probe") { () throws(CheckFailure) -> String in
            let identity = try succeed("probe()") { () throws(SensorError) in try driver.probe() }
            try expectEqual(
                identity, ChipIdentity(chip: "LSM6DS3TR-C/LSM6DSL", register: 0x0F, value: 0x6A), "identity")
            return "WHO_AM_I 0x0F = 0x6A: \(identity.chip)"
        }

        recorder.check("lsm6ds.configure-detects-reset-that-never-ends") { () throws(CheckFailure) -> String in
            let error = try thrownError(from: "configure()") { () throws(SensorError) in
                try driver.configure(IMUSettings(accelRangeG: 16, gyroRangeDPS: 2000, sampleRateHz: 104))
            }
            guard case .sensorFault(_, _, let address, let reason) = error, address == StubChips.lsm6ds,
                reason.contains("software reset did not complete")
            else { throw CheckFailure("expected a sensorFault about the software reset, got: \(error)") }
            return "\(error)"
        }

        recorder.check("lsm6ds.read-refused-when-not-configured") { () throws(CheckFailure) -> String in
            let error = try thrownError(from: "read()") { () throws(SensorError) in try driver.read() }
            guard case .notConfigured = error else { throw CheckFailure("expected notConfigured, got: \(error)") }
            return "\(error)"
        }
    }

    private func expectVector(_ got: Vector3, _ want: Vector3, _ what: String) throws(CheckFailure) {
        try expectClose(got.x, want.x, what + " x")
        try expectClose(got.y, want.y, what + " y")
        try expectClose(got.z, want.z, what + " z")
    }
}
