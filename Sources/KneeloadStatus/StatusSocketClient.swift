#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A blocking client connection to the status socket, for `kneeload status`, `ack` and `watch` (a command-line
/// tool that does one thing at a time needs no event loop). Not for use from async code: it blocks its thread.
public final class StatusSocketClient {
    public let path: String
    private var descriptor: Int32
    private var pending: [UInt8] = []

    /// Connects to `path`; with `timeoutSeconds`, a read that waits longer fails (a stuck daemon must not hang
    /// `kneeload status`).
    public init(path: String, timeoutSeconds: Int? = nil) throws(StatusClientError) {
        self.path = path
        descriptor = try Self.connect(path)
        if let timeoutSeconds {
            var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
            _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    deinit { close(descriptor) }

    /// Sends one request line.
    public func send(_ request: StatusRequest) throws(StatusClientError) {
        try send(bytes: request.line)
    }

    /// Sends raw bytes (tests use this for malformed requests).
    public func send(bytes: [UInt8]) throws(StatusClientError) {
        var done = 0
        while done < bytes.count {
            // MSG_NOSIGNAL: a daemon that went away is an error here, not a SIGPIPE.
            let n = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + done, $0.count - done, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .failed(path: path, reason: Self.reason())
            }
            done += n
        }
    }

    /// The next line without its newline; nil when the daemon closed the connection.
    public func readLine() throws(StatusClientError) -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                return line
            }
            let n = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw .timedOut(path: path) }
                throw .failed(path: path, reason: Self.reason())
            }
            if n == 0 { return nil }
            pending.append(contentsOf: chunk[0..<n])
        }
    }

    /// Sends `request` and reads its one reply.
    public func request(_ request: StatusRequest) throws(StatusClientError) -> [UInt8] {
        try send(request)
        guard let line = try readLine() else { throw .closed(path: path) }
        return line
    }

    private static func connect(_ path: String) throws(StatusClientError) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        let bytes = Array(path.utf8)
        guard bytes.count < capacity else {
            throw .unavailable(path: path, reason: "path longer than \(capacity - 1) bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .unavailable(path: path, reason: reason()) }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard status == 0 else {
            let missing = errno == ENOENT || errno == ECONNREFUSED
            let failure = StatusClientError.unavailable(path: path, reason: reason() + (missing ? " (is kneeloadd running?)" : ""))
            close(descriptor)
            throw failure
        }
        return descriptor
    }

    private static func reason() -> String { String(cString: strerror(errno)) }
}

/// Why talking to the daemon failed; each names the socket.
public enum StatusClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing to connect to (no daemon, no permission, bad path): the errno reason.
    case unavailable(path: String, reason: String)
    /// The daemon closed the connection before answering.
    case closed(path: String)
    case timedOut(path: String)
    case failed(path: String, reason: String)

    public var description: String {
        switch self {
        case .unavailable(let path, let reason): "cannot connect to \(path): \(reason)"
        case .closed(let path): "kneeloadd closed the connection on \(path)"
        case .timedOut(let path): "no reply from kneeloadd on \(path)"
        case .failed(let path, let reason): "talking to kneeloadd on \(path): \(reason)"
        }
    }
}
