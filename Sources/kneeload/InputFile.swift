#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a whole input file; a failure is CONTRACTS §3's "input file missing or unreadable" (66) and
/// names the path and the system's reason.
enum InputFile {
    static func readAll(_ path: String) throws(CommandFailure) -> [UInt8] {
        func failure() -> CommandFailure {
            CommandFailure("cannot read \(path): \(String(cString: strerror(errno)))", exitCode: CommandFailure.noInput)
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure() }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure() }
        guard status.st_mode & S_IFMT != S_IFDIR else {
            throw CommandFailure("cannot read \(path): it is a directory", exitCode: CommandFailure.noInput)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(max(status.st_size, 0)))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure()
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }
}
