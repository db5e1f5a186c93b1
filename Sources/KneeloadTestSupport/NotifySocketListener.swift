#if canImport(Glibc)
    import Glibc
#endif

/// Plays systemd's side of sd_notify(3) in tests: a bound AF_UNIX datagram socket whose name goes into a
/// process's `NOTIFY_SOCKET`, and which hands back each datagram received, exactly as sent.
///
/// A path socket lives in a fresh directory under /tmp (removed at deinit); an abstract one is named
/// `@kneeload-notify-<pid>-<counter>-<random>`. Use `environment` for an in-process notifier or merge it into
/// a child process's environment.
public final class NotifySocketListener: Sendable {
    /// The value for NOTIFY_SOCKET: a path, or "@name" for the abstract namespace.
    public let socketName: String
    private let descriptor: Int32
    private let directory: String?

    /// Binds a new socket; `abstract` picks the Linux abstract namespace instead of a file.
    public init(abstract: Bool = false) throws(NotifySocketListenerError) {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else {
            throw NotifySocketListenerError(operation: "socket", socketName: "-", code: errno)
        }
        let name: String
        var directory: String?
        if abstract {
            name = "@kneeload-notify-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        } else {
            var template = Array("/tmp/kneeload-notify.XXXXXX".utf8CString)
            let made = template.withUnsafeMutableBufferPointer { buffer in
                mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
            }
            guard let made else {
                let code = errno
                close(descriptor)
                throw NotifySocketListenerError(operation: "mkdtemp", socketName: "/tmp", code: code)
            }
            directory = made
            name = made + "/notify"
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        // The abstract namespace's "@" is a NUL byte on the wire and the name has no terminator (unix(7)).
        let pathBytes: [UInt8] = abstract ? [0] + Array(name.utf8.dropFirst()) : Array(name.utf8) + [0]
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: pathBytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + pathBytes.count)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else {
            let code = errno
            close(descriptor)
            if let directory { rmdir(directory) }
            throw NotifySocketListenerError(operation: "bind", socketName: name, code: code)
        }
        self.descriptor = descriptor
        self.directory = directory
        socketName = name
    }

    deinit {
        close(descriptor)
        if let directory {
            unlink(socketName)
            rmdir(directory)
        }
    }

    /// `["NOTIFY_SOCKET": socketName]`.
    public var environment: [String: String] { ["NOTIFY_SOCKET": socketName] }

    /// The next datagram, waiting at most `timeout` for one to arrive; nil if none came. The wait only bounds
    /// a test that would otherwise hang: messages already sent are returned at once.
    public func receive(waitingUpTo timeout: Duration = .seconds(10)) throws(NotifySocketListenerError) -> String? {
        let (seconds, attoseconds) = timeout.components
        let milliseconds = Int32(clamping: seconds * 1_000 + attoseconds / 1_000_000_000_000_000)
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        var ready: Int32
        repeat {
            ready = poll(&request, 1, milliseconds)
        } while ready < 0 && errno == EINTR
        guard ready >= 0 else {
            throw NotifySocketListenerError(operation: "poll", socketName: socketName, code: errno)
        }
        guard ready > 0 else { return nil }
        return try receiveNow()
    }

    /// Every datagram already queued, oldest first, without waiting.
    public func receiveQueued() throws(NotifySocketListenerError) -> [String] {
        var messages: [String] = []
        while let message = try receiveNow() { messages.append(message) }
        return messages
    }

    /// One datagram if one is queued. systemd reads at most its NOTIFY_BUFFER_MAX (4096) bytes; this reads
    /// up to 64 KiB so an oversized message shows up whole in a test instead of truncated.
    private func receiveNow() throws(NotifySocketListenerError) -> String? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        if count < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK { return nil }
            throw NotifySocketListenerError(operation: "recv", socketName: socketName, code: errno)
        }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }
}
