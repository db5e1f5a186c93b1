#if canImport(Glibc)
    import Glibc
#endif

/// Where `$NOTIFY_SOCKET` says the service manager listens, as a ready-made `sockaddr_un`.
///
/// sd_notify(3): "If the first character of $NOTIFY_SOCKET is "/" or "@", the string is understood as an
/// AF_UNIX or Linux abstract namespace socket (respectively)"; for the abstract namespace the "@" stands for
/// a leading NUL byte. Other forms (`vsock:`, systemd ≥ 253) are not for a service on a Pi and are rejected.
public struct NotifySocketAddress: Sendable {
    public enum Kind: Sendable, Equatable {
        case path
        case abstract
    }

    /// Why `$NOTIFY_SOCKET` cannot be used; the description is a complete log message.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case empty
        case unsupportedForm(String)
        case tooLong(String, bytes: Int, limit: Int)

        public var description: String {
            switch self {
            case .empty:
                return "NOTIFY_SOCKET is set but empty"
            case .unsupportedForm(let value):
                return "NOTIFY_SOCKET=\(value) is neither a path (/…) nor an abstract socket name (@…)"
            case .tooLong(let value, let bytes, let limit):
                return "NOTIFY_SOCKET=\(value) is \(bytes) bytes, more than the \(limit) a sockaddr_un holds"
            }
        }
    }

    /// The variable's value as given, for log messages.
    public let name: String
    public let kind: Kind
    let storage: sockaddr_un
    let length: socklen_t

    /// Bytes of `sun_path` a name may use; a path also needs its terminating NUL.
    static let pathCapacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)

    public init(_ value: String) throws(Problem) {
        let bytes = Array(value.utf8)
        guard let first = bytes.first else { throw .empty }
        var path: [UInt8]
        switch first {
        case UInt8(ascii: "/"):
            kind = .path
            path = bytes + [0]
        case UInt8(ascii: "@"):
            kind = .abstract
            // The abstract name is every byte after the NUL, with no terminator (unix(7)).
            path = [0] + bytes.dropFirst()
        default:
            throw .unsupportedForm(value)
        }
        guard path.count <= Self.pathCapacity else {
            throw .tooLong(value, bytes: bytes.count, limit: Self.pathCapacity - (kind == .path ? 1 : 0))
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path)
        }
        name = value
        storage = address
        length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + path.count)
    }

    /// Calls `body` with the address as the sockets API wants it; no allocation.
    func withSocketAddress<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafePointer(to: storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
