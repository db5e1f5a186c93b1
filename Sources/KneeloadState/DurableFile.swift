#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The POSIX calls behind the state store, each failure reported with its operation, path and errno.
enum DurableFile {
    /// Replaces `path` with `bytes` so that, at any moment of a crash or power loss, `path` holds either its old
    /// contents or all of the new ones: write a temporary file in the same directory, fsync it, rename it over
    /// `path` (atomic within one file system, rename(2)), then fsync the directory so the rename itself is on
    /// disk (fsync(2): syncing a file does not sync its directory entry). On failure before the rename the
    /// temporary file is removed and `path` is untouched.
    static func replace(
        _ path: String, with bytes: [UInt8], temporaryPath: String, directory: String, mode: mode_t
    ) throws(StateStoreError) {
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .system(operation: .open, path: temporaryPath, errno: errno) }
        do throws(StateStoreError) {
            try writeAll(bytes, to: fd, path: temporaryPath)
            guard fsync(fd) == 0 else { throw .system(operation: .sync, path: temporaryPath, errno: errno) }
        } catch {
            close(fd)
            unlink(temporaryPath)
            throw error
        }
        guard close(fd) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw .system(operation: .close, path: temporaryPath, errno: code)
        }
        guard rename(temporaryPath, path) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw .system(operation: .rename, path: path, errno: code)
        }
        try syncDirectory(directory)
    }

    /// Makes renames and removals in `directory` durable.
    static func syncDirectory(_ directory: String) throws(StateStoreError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .system(operation: .openDirectory, path: directory, errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .system(operation: .syncDirectory, path: directory, errno: errno) }
    }

    /// Creates `directory` with `mode` unless it exists; an existing non-directory is ENOTDIR.
    static func createDirectory(_ directory: String, mode: mode_t) throws(StateStoreError) {
        if mkdir(directory, mode) == 0 { return }
        let code = errno
        var info = stat()
        guard code == EEXIST, stat(directory, &info) == 0 else {
            throw .system(operation: .createDirectory, path: directory, errno: code)
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw .system(operation: .createDirectory, path: directory, errno: ENOTDIR)
        }
    }

    enum ReadResult {
        case contents([UInt8])
        case missing
        case failed(errno: Int32)
        case tooLarge(bytes: Int)
    }

    /// The whole file, unless it is larger than `limit` bytes.
    static func readContents(_ path: String, limit: Int) -> ReadResult {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            // ENOTDIR: a component of the directory path is a file, so there is no state file either.
            return code == ENOENT || code == ENOTDIR ? .missing : .failed(errno: code)
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failed(errno: errno)
            }
            if count == 0 { return .contents(bytes) }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > limit { return .tooLarge(bytes: fileSize(fd) ?? bytes.count) }
        }
    }

    /// Whether anything (file, directory, dangling link) exists at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Names in `directory` (without "." and ".."); empty when it cannot be listed.
    static func entries(of directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(StateStoreError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                write(fd, raw.baseAddress! + written, raw.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system(operation: .write, path: path, errno: errno)
            }
            written += count
        }
    }

    private static func fileSize(_ fd: Int32) -> Int? {
        var info = stat()
        return fstat(fd, &info) == 0 ? Int(info.st_size) : nil
    }
}
