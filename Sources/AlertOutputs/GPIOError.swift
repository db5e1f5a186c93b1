#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed GPIO operation: which line (as configured), on which chip and offset when known, what was being
/// done, and the errno (the kernel's, or the simulated chip's, which uses the same numbers). The description is
/// a complete log line that says what to check.
public struct GPIOError: Error, Hashable, CustomStringConvertible {
    public enum Operation: String, Sendable, Hashable {
        case find
        case requestOutput = "request as output"
        case requestInput = "request as input"
        case set
        case read
        case waitForEdge = "wait for an edge on"
        case readEdge = "read an edge event from"
        case eventDescriptor = "get the event descriptor of"
    }

    /// What the errno means for a caller deciding what to do next.
    public enum Kind: Sendable, Hashable {
        /// The device directory holds no gpiochip device at all.
        case noChips
        /// No chip has a line of that name.
        case lineNotFound
        /// The chip path given does not exist.
        case chipNotFound
        /// The path exists but is not a GPIO chip.
        case notAChip
        case permissionDenied
        /// Another consumer holds the line.
        case busy
        /// The offset is past the chip's last line.
        case invalidOffset
        /// Not supported by this kernel, chip or platform (no GPIO support off Linux).
        case unsupported
        /// The line was used after it was released.
        case released
        /// Any other failure.
        case failed
    }

    /// The line as configured (`GPIO17`, `gpiochip0:17`).
    public var line: String
    public var operation: Operation
    /// The chip's path (or the simulated chip's name); for a failed search, the directory searched.
    public var chip: String?
    public var offset: UInt32?
    public var errno: Int32
    /// For a search: how many gpiochip devices were looked at.
    public var chipsSearched: Int?
    /// For a busy line: the consumer the kernel says holds it, when it says.
    public var holder: String?
    /// For a refused request: how many lines the chip has, when it could be asked.
    public var chipLineCount: Int?

    public init(
        line: String, operation: Operation, chip: String? = nil, offset: UInt32? = nil, errno: Int32,
        chipsSearched: Int? = nil, holder: String? = nil, chipLineCount: Int? = nil
    ) {
        self.line = line
        self.operation = operation
        self.chip = chip
        self.offset = offset
        self.errno = errno
        self.chipsSearched = chipsSearched
        self.holder = holder
        self.chipLineCount = chipLineCount
    }

    public var kind: Kind {
        if operation == .find {
            switch errno {
            case ENODEV where (chipsSearched ?? 0) == 0: return .noChips
            case ENOENT: return .lineNotFound
            default: break
            }
        }
        if let offset, let chipLineCount, offset >= chipLineCount, errno == EINVAL { return .invalidOffset }
        switch errno {
        case ENOENT: return .chipNotFound
        case ENOTTY: return .notAChip
        case EACCES, EPERM: return .permissionDenied
        case EBUSY: return .busy
        case ENOSYS, EOPNOTSUPP: return .unsupported
        case EBADF: return .released
        default: return .failed
        }
    }

    public var description: String {
        var text = "GPIO line \"\(line)\""
        if operation != .find, let chip {
            text += " (\(chip)" + (offset.map { " offset \($0)" } ?? "") + ")"
        }
        text += ": \(operation.rawValue) failed: "
        let directory = chip ?? "the device directory"
        switch kind {
        case .noChips:
            return text + "no GPIO chip in \(directory) (no gpiochip* device): this machine has no GPIO character "
                + "devices, or its GPIO driver is not loaded"
        case .lineNotFound:
            let count = chipsSearched.map { "\($0) GPIO chip(s)" } ?? "GPIO chips"
            return text + "no line of that name on the \(count) in \(directory); list the names with gpioinfo"
        default:
            break
        }
        text += "\(Self.message(errno)) (errno \(errno))"
        if operation == .find {
            // The search opens every gpiochip device; none had the line and at least one could not be opened.
            let count = chipsSearched.map { "\($0) " } ?? ""
            text += " opening the \(count)gpiochip device(s) in \(directory)"
            if kind == .permissionDenied { text += "; is the user in the gpio group?" }
            if kind == .notAChip { text += ", which are not GPIO chip devices" }
            return text
        }
        switch kind {
        case .chipNotFound: text += "; no such chip"
        case .notAChip: text += "; \(chip ?? "the path") is not a GPIO chip device"
        case .permissionDenied: text += "; is the user in the gpio group?"
        case .busy: text += holder.map { "; the line is in use by \"\($0)\"" } ?? "; another program holds the line"
        case .invalidOffset: text += "; the chip has \(chipLineCount ?? 0) lines (offsets 0 to \((chipLineCount ?? 1) - 1))"
        case .unsupported: text += "; not supported on this system"
        case .released: text += "; the line was already released"
        case .noChips, .lineNotFound, .failed: break
        }
        return text
    }

    static func message(_ errno: Int32) -> String {
        guard let text = strerror(errno) else { return "unknown error" }
        return String(cString: text)
    }
}
