/// Where a `RecordingWriter` puts its files: a directory with one file per part (`RecordingDirectory`),
/// one named file (`RecordingFile`), or memory in tests. The seam that lets tests fill the disk.
public protocol RecordingStorage {
    /// A new, empty file for part `part` (1, 2, … across rotations), started at `startUnixTimeS` if known.
    func create(part: Int, startUnixTimeS: Double?) throws(RecordingStorageError) -> any RecordingOutput
}

/// One open recording file.
public protocol RecordingOutput: AnyObject {
    var name: String { get }
    /// Writes all of `bytes` or throws.
    func write(_ bytes: [UInt8]) throws(RecordingStorageError)
    /// Makes what was written durable (fdatasync).
    func synchronize() throws(RecordingStorageError)
    func close() throws(RecordingStorageError)
}

/// A failed file operation: which file, which operation, and the system's errno (ENOSPC, EIO, …).
public struct RecordingStorageError: Error, Hashable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var code: Int32
    public var reason: String

    public init(path: String, operation: String, code: Int32, reason: String) {
        self.path = path
        self.operation = operation
        self.code = code
        self.reason = reason
    }

    public var description: String { "cannot \(operation) \(path): \(reason)" }
}
