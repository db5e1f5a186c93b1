#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file the tool writes, or standard output for `-`. Failures name the path and the system's reason.
final class OutputFile {
    /// The path messages name: the file's own, or the one a temporary file stands in for.
    let path: String
    private var descriptor: Int32
    private let isStandardOutput: Bool

    init(path: String, namedInMessagesAs name: String? = nil) throws(CommandFailure) {
        self.path = name ?? path
        if path == "-" {
            descriptor = STDOUT_FILENO
            isStandardOutput = true
        } else {
            descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            isStandardOutput = false
            guard descriptor >= 0 else {
                throw CommandFailure("cannot create \(self.path): \(Self.reason())", exitCode: CommandFailure.cannotCreate)
            }
        }
    }

    func write(_ bytes: [UInt8]) throws(CommandFailure) {
        guard descriptor >= 0 else { return }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CommandFailure("cannot write \(path): \(Self.reason())", exitCode: CommandFailure.cannotCreate)
            }
            done += n
        }
    }

    func close() throws(CommandFailure) {
        guard descriptor >= 0, !isStandardOutput else { return }
        let status = Glibc.close(descriptor)
        descriptor = -1
        if status != 0 {
            throw CommandFailure("cannot write \(path): \(Self.reason())", exitCode: CommandFailure.cannotCreate)
        }
    }

    deinit {
        if descriptor >= 0, !isStandardOutput { _ = Glibc.close(descriptor) }
    }

    private static func reason() -> String { String(cString: strerror(errno)) }
}

/// One line on standard error.
func printError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
