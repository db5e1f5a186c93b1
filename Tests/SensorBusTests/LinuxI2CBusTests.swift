import SensorBus
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct LinuxI2CBusTests {
    @Test func missingBusGivesATypedErrorNotACrash() {
        do {
            _ = try LinuxI2CBus(path: "/dev/i2c-99")
            Issue.record("opening /dev/i2c-99 should fail on a machine without it")
        } catch {
            #expect(error.kind == .busNotFound)
            #expect(error.operation == .open)
            #expect(error.errno == ENOENT)
            #expect(error.description.contains("/dev/i2c-99"))
            #expect(error.description.contains("No such file"))
        }
    }

    @Test func aFileThatIsNotABusIsRejectedAtTheFunctionalityQuery() {
        // /dev/null opens but does not answer I2C_FUNCS: the error names the step and the errno.
        do {
            _ = try LinuxI2CBus(path: "/dev/null")
            Issue.record("/dev/null is not an I2C adapter")
        } catch {
            #expect(error.operation == .queryFunctionality)
            #expect(error.errno != 0)
            #expect(error.description.hasPrefix("i2c /dev/null: query functionality of failed"))
        }
    }

    @Test func errorDescriptionNamesAddressRegisterAndSize() {
        let error = I2CError(bus: "/dev/i2c-1", operation: .read, address: 0x68, register: 0x3B, byteCount: 14, errno: ENXIO)
        #expect(error.kind == .noAcknowledge)
        #expect(error.description.hasPrefix("i2c /dev/i2c-1 address 0x68 register 0x3B: read of 14 byte(s) failed: "))
        #expect(error.description.hasSuffix("(errno \(ENXIO))"))
    }
}
