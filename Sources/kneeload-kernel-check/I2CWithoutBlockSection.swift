#if canImport(Glibc)
    import Glibc
#endif
import SensorBus

/// Run after /init has written i2c-stub's `functionality` parameter without the I2C-block bits
/// (I2C_FUNC_SMBUS_I2C_BLOCK): an adapter that can neither do plain I2C nor I2C-block transfers cannot
/// carry the drivers' multi-byte reads, so `LinuxI2CBus` must refuse it at open with a typed error rather
/// than fail later, transfer by transfer.
struct I2CWithoutBlockSection {
    let busPath: String
    let recorder: CheckRecorder

    func run() {
        recorder.check("bus.refuses-adapter-without-i2c-block") { () throws(CheckFailure) -> String in
            let error = try thrownError(from: "LinuxI2CBus(path: \(busPath))") { () throws(I2CError) in
                try LinuxI2CBus(path: busPath)
            }
            try expectEqual(error.kind, .unsupported, "error kind")
            try expectEqual(error.operation, .queryFunctionality, "operation")
            try expectEqual(error.errno, EOPNOTSUPP, "errno")
            return "\(error)"
        }
    }
}
