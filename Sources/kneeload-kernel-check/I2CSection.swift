#if canImport(Glibc)
    import Glibc
#endif
import CI2C
import SensorBus
import SensorDrivers

/// The I2C checks: `LinuxI2CBus` and the four chip drivers against i2c-stub on a real kernel, with the stub
/// chips preloaded by /init as `StubChips` describes.
///
/// Order matters: the drivers' writes change the stub's registers (nothing else does), later checks build
/// on them, and /init reads some of them back with i2cget after this section. Where a real chip would
/// change a register by itself (a conversion finishing, a magnet moving), the check writes it through the
/// bus, playing the chip; those places say so.
struct I2CSection {
    let busPath: String
    let recorder: CheckRecorder

    func run() {
        var opened: LinuxI2CBus?
        recorder.check("bus.opens-with-smbus-transport") { () throws(CheckFailure) -> String in
            let bus = try succeed("LinuxI2CBus(path: \(busPath))") { () throws(I2CError) in
                try LinuxI2CBus(path: busPath)
            }
            opened = bus
            let funcs = bus.functionality
            try expect(funcs & ci2c_func_i2c == 0, "I2C_FUNCS 0x\(hex(funcs)) has I2C_FUNC_I2C; is this i2c-stub?")
            try expect(
                funcs & ci2c_func_smbus_read_i2c_block != 0 && funcs & ci2c_func_smbus_write_i2c_block != 0,
                "I2C_FUNCS 0x\(hex(funcs)) lacks SMBus I2C-block read or write")
            try expectEqual(bus.transport, .smbus, "transport")
            return "I2C_FUNCS 0x\(hex(funcs)): no I2C_FUNC_I2C, so SMBus I2C-block transfers"
        }
        guard let bus = opened else {
            recorder.fail("i2c-section", "the remaining I2C checks were skipped: \(busPath) did not open")
            return
        }
        busChecks(bus)
        scanCheck(bus)
        mpu6050Checks(bus)
        lsm6dsChecks(bus)
        as5600Checks(bus)
        ads1115Checks(bus)
    }

    // MARK: Bus

    private func busChecks(_ bus: LinuxI2CBus) {
        recorder.check("bus.plain-i2c-refused-on-smbus-adapter") { () throws(CheckFailure) -> String in
            let error = try thrownError(from: "LinuxI2CBus(path:preferredTransport: .plainI2C)") {
                () throws(I2CError) in try LinuxI2CBus(path: busPath, preferredTransport: .plainI2C)
            }
            try expectEqual(error.kind, .unsupported, "error kind")
            try expectEqual(error.operation, .queryFunctionality, "operation")
            return "\(error)"
        }

        recorder.check("bus.missing-bus-is-busNotFound") { () throws(CheckFailure) -> String in
            let path = StubChips.missingBusPath
            let error = try thrownError(from: "LinuxI2CBus(path: \(path))") { () throws(I2CError) in
                try LinuxI2CBus(path: path)
            }
            try expectEqual(error.kind, .busNotFound, "error kind")
            try expectEqual(error.operation, .open, "operation")
            try expectEqual(error.errno, ENOENT, "errno")
            return "\(error)"
        }

        // i2c-stub answers an address it has no chip at with ENODEV (stub_xfer), where a real adapter
        // gives ENXIO or EREMOTEIO; I2CError files all three under .noAcknowledge.
        recorder.check("bus.absent-address-is-noAcknowledge") { () throws(CheckFailure) -> String in
            let address = StubChips.absent
            let error = try thrownError(from: "read at 0x\(hexByte(address))") { () throws(I2CError) in
                try bus.readByte(address: address, register: 0x00)
            }
            try expectEqual(error.kind, .noAcknowledge, "error kind (errno \(error.errno))")
            try expectEqual(error.address, address, "address in the error")
            try expectEqual(error.operation, .read, "operation")
            return "\(error)"
        }

        let pattern = (0..<40).map(StubChips.patternByte)
        recorder.check("bus.read-40-incrementing-in-32-byte-blocks") { () throws(CheckFailure) -> String in
            let bytes = try succeed("40-byte read") { () throws(I2CError) in
                try bus.read(
                    address: StubChips.mpu6050, register: StubChips.patternStart, count: 40, addressing: .incrementing)
            }
            try expectEqual(hexBytes(bytes), hexBytes(pattern), "bytes")
            return "registers 0x80-0xA7 in two SMBus I2C-block reads (32 from 0x80, 8 from 0xA0)"
        }

        // A FIFO port keeps its address: each 32-byte piece restarts at the same register. The stub's
        // register file auto-increments inside a block, so the second piece repeats the first 8 bytes.
        recorder.check("bus.read-40-fixed-restarts-each-block") { () throws(CheckFailure) -> String in
            let bytes = try succeed("40-byte fixed read") { () throws(I2CError) in
                try bus.read(
                    address: StubChips.mpu6050, register: StubChips.patternStart, count: 40, addressing: .fixed)
            }
            try expectEqual(hexBytes(bytes), hexBytes(Array(pattern[0..<32] + pattern[0..<8])), "bytes")
            return "pieces of 32 and 8 bytes, both from 0x80"
        }

        recorder.check("bus.write-40-in-32-byte-blocks") { () throws(CheckFailure) -> String in
            let written = (0..<40).map(StubChips.writtenByte)
            try succeed("40-byte write") { () throws(I2CError) in
                try bus.write(address: StubChips.mpu6050, register: StubChips.writeStart, bytes: written)
            }
            let readBack = try succeed("read-back") { () throws(I2CError) in
                try bus.read(address: StubChips.mpu6050, register: StubChips.writeStart, count: 40)
            }
            try expectEqual(hexBytes(readBack), hexBytes(written), "read-back")
            return "registers 0xC0-0xE7 (init reads them back with i2cget)"
        }

        // The stub clamps an I2C-block transfer at its last register, so it hands back fewer bytes than
        // asked for: that must be an error, not a silently short array.
        recorder.check("bus.short-block-read-is-an-error") { () throws(CheckFailure) -> String in
            let error = try thrownError(from: "32-byte read from 0xF0") { () throws(I2CError) in
                try bus.read(address: StubChips.mpu6050, register: StubChips.shortReadStart, count: 32)
            }
            try expectEqual(error.errno, EIO, "errno")
            try expectEqual(error.kind, .transferFailed, "error kind")
            try expectEqual(error.register, StubChips.shortReadStart, "register in the error")
            try expectEqual(error.byteCount, 32, "byte count in the error")
            return "\(error)"
        }
    }

    // MARK: Chip scan

    /// Every stub chip but the ADS1115 answers its family's probe (see `ads1115Checks` for why that one
    /// cannot); the scan also walks the strap addresses where nothing answers (0x69, 0x6B, 0x49-0x4B).
    private func scanCheck(_ bus: LinuxI2CBus) {
        recorder.check("chipscan.finds-the-stub-chips") { () throws(CheckFailure) -> String in
            let found = ChipScan.scan(bus)
            let summary = found.map { "\($0.identity.chip)@0x\(hexByte($0.address))" }
            try expectEqual(
                summary, ["MPU-6050@0x68", "LSM6DS3TR-C/LSM6DSL@0x6A", "AS5600@0x36"], "chips found")
            return summary.joined(separator: ", ")
        }
    }

    // MARK: Playing the chip

    /// Writes registers the way the real chip would change them by itself.
    func playChip(_ bus: LinuxI2CBus, address: UInt8, register: UInt8, _ bytes: [UInt8]) throws(CheckFailure) {
        try succeed("setting stub register 0x\(hexByte(register)) at 0x\(hexByte(address))") {
            () throws(I2CError) in try bus.write(address: address, register: register, bytes: bytes)
        }
    }

    func hex(_ value: UInt) -> String {
        String(value, radix: 16, uppercase: true)
    }
}
