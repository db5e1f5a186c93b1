#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file written in full under a temporary name beside `path` and renamed over it by `commit`, so nobody
/// sees half a file and a run that fails leaves an earlier file in place. Failures name `path` (73).
final class ReplacingOutputFile {
    let path: String
    private let temporaryPath: String
    private var file: OutputFile?

    /// Creates the temporary file now, so an unwritable place is reported before any work is done.
    init(path: String) throws(CommandFailure) {
        self.path = path
        temporaryPath = path + ".tmp-\(getpid())"
        file = try OutputFile(path: temporaryPath, namedInMessagesAs: path)
    }

    /// Writes `bytes` as the whole file and renames it into place.
    func commit(_ bytes: [UInt8]) throws(CommandFailure) {
        guard let file else { return }
        try file.write(bytes)
        try file.close()
        self.file = nil
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw CommandFailure("cannot write \(path): \(reason)", exitCode: CommandFailure.cannotCreate)
        }
    }

    deinit {
        if file != nil {
            file = nil
            unlink(temporaryPath)
        }
    }
}
