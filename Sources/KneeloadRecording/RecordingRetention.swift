#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Keeps a recording directory within its budget, so recordings never fill the disk the state file lives on:
/// before each new file, the oldest recordings are deleted while the directory's recordings take more than
/// `maxTotalBytes` or the file system has less than `minFreeBytes` free. At 200 Hz a recording grows by about
/// 9 MiB an hour (12.85 bytes/sample), so the default gigabyte keeps the last ~100 hours of running.
///
/// Only this directory's own recordings (`RecordingDirectory` names: prefix, `.klr`) are touched, oldest
/// first by modification time (part numbers start again at 1 in every run, so names do not sort across
/// runs); the file about to be written does not exist yet, and the one just closed is only deleted when it
/// alone is over the budget.
public struct RecordingRetention: Sendable, Hashable {
    public var maxTotalBytes: Int64
    public var minFreeBytes: Int64

    public init(maxTotalBytes: Int64 = 1 << 30, minFreeBytes: Int64 = 100 << 20) {
        self.maxTotalBytes = maxTotalBytes
        self.minFreeBytes = minFreeBytes
    }

    /// One recording file found in the directory.
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var bytes: Int64
        public var modifiedNs: Int64

        public init(name: String, bytes: Int64, modifiedNs: Int64) {
            self.name = name
            self.bytes = bytes
            self.modifiedNs = modifiedNs
        }
    }

    /// The names to delete, oldest first, so that `entries` fit the budget with `freeBytes` free on the
    /// file system (nil when it cannot be read: the size budget alone then applies) and room for one more
    /// file of `nextFileBytes`.
    public func namesToDelete(_ entries: [Entry], freeBytes: Int64?, nextFileBytes: Int64) -> [String] {
        let oldestFirst = entries.sorted { ($0.modifiedNs, $0.name) < ($1.modifiedNs, $1.name) }
        var total = entries.reduce(Int64(0)) { $0 + $1.bytes }
        var free = freeBytes
        var doomed: [String] = []
        for entry in oldestFirst {
            let overBudget = total + nextFileBytes > maxTotalBytes
            let shortOfSpace = free.map { $0 < minFreeBytes + nextFileBytes } ?? false
            guard overBudget || shortOfSpace else { break }
            doomed.append(entry.name)
            total -= entry.bytes
            free = free.map { $0 + entry.bytes }
        }
        return doomed
    }

    /// Applies the budget to `directory`'s recordings named with `prefix`; returns what was deleted (name,
    /// bytes) and the errors met, each naming its file. Never throws: recording goes on either way.
    public func prune(directory: String, prefix: String, nextFileBytes: Int64) -> (deleted: [(String, Int64)], errors: [String]) {
        var entries: [Entry] = []
        guard let dir = opendir(directory) else {
            return ([], ["cannot list \(directory): \(String(cString: strerror(errno)))"])
        }
        while let item = readdir(dir) {
            let name = withUnsafePointer(to: item.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            guard name.hasPrefix(prefix + "-"), name.hasSuffix("." + RecordingDirectory.fileExtension) else { continue }
            var info = stat()
            guard stat(directory + "/" + name, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            entries.append(Entry(name: name, bytes: Int64(info.st_size), modifiedNs: modified))
        }
        closedir(dir)
        var fs = statvfs()
        let free: Int64? = statvfs(directory, &fs) == 0 ? Int64(fs.f_bavail) * Int64(fs.f_frsize) : nil
        var deleted: [(String, Int64)] = []
        var errors: [String] = []
        let sizes = Dictionary(entries.map { ($0.name, $0.bytes) }, uniquingKeysWith: { a, _ in a })
        for name in namesToDelete(entries, freeBytes: free, nextFileBytes: nextFileBytes) {
            if unlink(directory + "/" + name) == 0 {
                deleted.append((name, sizes[name] ?? 0))
            } else {
                errors.append("cannot delete \(directory)/\(name): \(String(cString: strerror(errno)))")
            }
        }
        return (deleted, errors)
    }
}
