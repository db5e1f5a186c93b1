#if canImport(Glibc)
    import Glibc
#endif

/// Whole-file reads and writes of sysfs, configfs and tracefs attributes, independent of the code under test.
enum SysfsFile {
    static func read(_ path: String) throws(CheckFailure) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw CheckFailure("cannot open \(path): \(lastError())") }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw CheckFailure("cannot read \(path): \(lastError())")
            }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `text` in one write(2), as sysfs attributes want; `truncate` clears a tracefs buffer.
    static func write(_ path: String, _ text: String, truncate: Bool = false) throws(CheckFailure) {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC | (truncate ? O_TRUNC : 0))
        guard descriptor >= 0 else { throw CheckFailure("cannot open \(path) for writing: \(lastError())") }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard count == bytes.count else { throw CheckFailure("cannot write '\(text)' to \(path): \(lastError())") }
    }

    /// The names in a directory, sorted.
    static func list(_ path: String) throws(CheckFailure) -> [String] {
        guard let directory = opendir(path) else { throw CheckFailure("cannot list \(path): \(lastError())") }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    private static func lastError() -> String {
        String(cString: strerror(errno)) + " (errno \(errno))"
    }
}
