#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed I2C operation: what was being done, where, and the errno the kernel (or the simulated bus,
/// which uses the same numbers) gave. Hardware errors are expected events; callers retry, re-initialise
/// or report, and the description is a complete log line.
public struct I2CError: Error, Hashable, CustomStringConvertible {
    public enum Operation: String, Sendable, Hashable {
        case open
        case queryFunctionality = "query functionality of"
        case selectDevice = "select device on"
        case read
        case write
    }

    /// What the errno means for a caller deciding what to do next.
    public enum Kind: Sendable, Hashable {
        /// The bus device node does not exist.
        case busNotFound
        /// No permission to open the bus.
        case permissionDenied
        /// The addressed device did not acknowledge: absent, unpowered, or vanished.
        case noAcknowledge
        /// A kernel driver owns the address.
        case busy
        /// The adapter cannot do this kind of transfer.
        case unsupported
        case timedOut
        /// Any other transfer failure.
        case transferFailed
    }

    public var bus: String
    public var operation: Operation
    public var address: UInt8?
    public var register: UInt8?
    /// Bytes the operation meant to move, where it moves any.
    public var byteCount: Int?
    public var errno: Int32

    public init(
        bus: String, operation: Operation, address: UInt8? = nil, register: UInt8? = nil, byteCount: Int? = nil,
        errno: Int32
    ) {
        self.bus = bus
        self.operation = operation
        self.address = address
        self.register = register
        self.byteCount = byteCount
        self.errno = errno
    }

    public var kind: Kind {
        switch errno {
        case ENOENT: .busNotFound
        case ENODEV where operation == .open: .busNotFound
        case EACCES, EPERM: .permissionDenied
        case ENXIO, EREMOTEIO, ENODEV: .noAcknowledge
        case EBUSY: .busy
        case EOPNOTSUPP, ENOSYS: .unsupported
        case ETIMEDOUT: .timedOut
        default: .transferFailed
        }
    }

    public var description: String {
        var text = "i2c \(bus)"
        if let address { text += " address 0x" + Self.hex(address) }
        if let register { text += " register 0x" + Self.hex(register) }
        text += ": \(operation.rawValue)"
        if let byteCount, operation == .read || operation == .write { text += " of \(byteCount) byte(s)" }
        text += " failed: \(Self.message(errno)) (errno \(errno))"
        switch kind {
        case .busNotFound: text += "; is the bus enabled (dtparam=i2c_arm=on) and i2c-dev loaded?"
        case .permissionDenied: text += "; is the user in the i2c group?"
        case .busy: text += "; a kernel driver is bound to this address"
        default: break
        }
        return text
    }

    static func hex(_ value: UInt8) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
    }

    static func message(_ errno: Int32) -> String {
        guard let text = strerror(errno) else { return "unknown error" }
        return String(cString: text)
    }
}
