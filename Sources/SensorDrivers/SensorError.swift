import SensorBus

/// Why a driver could not do what was asked. Bus failures keep the underlying `I2CError`; the rest say
/// which chip at which address and what was found, so the log line alone tells an integrator what to fix.
public enum SensorError: Error, Hashable, CustomStringConvertible {
    case bus(I2CError)
    /// The identity register held something other than the chips this driver knows.
    case wrongIdentity(chip: String, bus: String, address: UInt8, register: UInt8, expected: [UInt8], found: UInt8)
    /// A configuration register did not read back what was written.
    case configurationMismatch(chip: String, bus: String, address: UInt8, register: UInt8, wrote: UInt8, readBack: UInt8)
    /// A requested setting the chip cannot do.
    case unsupportedSetting(chip: String, setting: String, allowed: String)
    /// The chip answered but reports that its measurement cannot be trusted (for example no magnet).
    case sensorFault(chip: String, bus: String, address: UInt8, reason: String)
    /// A conversion did not complete in the time the datasheet allows.
    case conversionTimeout(chip: String, bus: String, address: UInt8)
    /// Used before `probe()` and `configure(_:)` succeeded.
    case notConfigured(chip: String)

    public var description: String {
        switch self {
        case .bus(let error):
            return error.description
        case let .wrongIdentity(chip, bus, address, register, expected, found):
            let list = expected.map { "0x" + hex($0) }.joined(separator: " or ")
            return "\(chip) at \(bus) 0x\(hex(address)): identity register 0x\(hex(register)) reads 0x\(hex(found)), "
                + "expected \(list); is another chip at this address?"
        case let .configurationMismatch(chip, bus, address, register, wrote, readBack):
            return "\(chip) at \(bus) 0x\(hex(address)): register 0x\(hex(register)) reads back 0x\(hex(readBack)) "
                + "after writing 0x\(hex(wrote))"
        case let .unsupportedSetting(chip, setting, allowed):
            return "\(chip): \(setting) is not supported; allowed: \(allowed)"
        case let .sensorFault(chip, bus, address, reason):
            return "\(chip) at \(bus) 0x\(hex(address)): \(reason)"
        case let .conversionTimeout(chip, bus, address):
            return "\(chip) at \(bus) 0x\(hex(address)): conversion did not complete in time"
        case .notConfigured(let chip):
            return "\(chip): used before probe() and configure()"
        }
    }

    /// True when the error came from the bus rather than from the chip's answers.
    public var isBusError: Bool {
        if case .bus = self { return true }
        return false
    }
}

func hex(_ value: UInt8) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return digits.count == 1 ? "0" + digits : digits
}

/// Runs a bus operation, wrapping its error as a `SensorError`.
@inline(__always)
func onBus<T>(_ body: () throws(I2CError) -> T) throws(SensorError) -> T {
    do {
        return try body()
    } catch {
        throw .bus(error)
    }
}
