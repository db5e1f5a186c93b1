#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A recording file on a POSIX file system: plain write(2) of whole frames (so a crash leaves at most one
/// partial frame at the end), fdatasync(2) when the writer's policy asks.
final class PosixRecordingOutput: RecordingOutput {
    let name: String
    private var descriptor: Int32

    private init(name: String, descriptor: Int32) {
        self.name = name
        self.descriptor = descriptor
    }

    /// Opens `path` for writing; `exclusive` refuses an existing file (a directory never overwrites a part).
    static func create(path: String, exclusive: Bool) throws(RecordingStorageError) -> PosixRecordingOutput {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC)
        let descriptor = open(path, flags, 0o644)
        guard descriptor >= 0 else { throw error(path, "create") }
        return PosixRecordingOutput(name: path, descriptor: descriptor)
    }

    func write(_ bytes: [UInt8]) throws(RecordingStorageError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                #if canImport(Glibc)
                    Glibc.write(descriptor, raw.baseAddress! + done, raw.count - done)
                #else
                    Darwin.write(descriptor, raw.baseAddress! + done, raw.count - done)
                #endif
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.error(name, "write")
            }
            done += n
        }
    }

    func synchronize() throws(RecordingStorageError) {
        while fdatasync(descriptor) != 0 {
            if errno == EINTR { continue }
            throw Self.error(name, "sync")
        }
    }

    func close() throws(RecordingStorageError) {
        guard descriptor >= 0 else { return }
        #if canImport(Glibc)
            let status = Glibc.close(descriptor)
        #else
            let status = Darwin.close(descriptor)
        #endif
        descriptor = -1
        if status != 0 { throw Self.error(name, "close") }
    }

    deinit {
        #if canImport(Glibc)
            if descriptor >= 0 { _ = Glibc.close(descriptor) }
        #endif
    }

    static func error(_ path: String, _ operation: String) -> RecordingStorageError {
        let code = errno
        return RecordingStorageError(path: path, operation: operation, code: code, reason: String(cString: strerror(code)))
    }
}

extension RecordingStorageError {
    static let fileExists: Int32 = EEXIST
}
