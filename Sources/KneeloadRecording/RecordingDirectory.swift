/// Recording files in one directory, one per part, named
/// `<prefix>-<part, 4 digits>-<UTC start, yyyymmddThhmmssZ>.klr` (without the time when there is no wall
/// clock), so a directory listing sorts them in recording order. Never overwrites: a name that exists
/// gets a `.2`, `.3`, … before the extension.
public struct RecordingDirectory: RecordingStorage {
    public let path: String
    public let prefix: String
    public static let fileExtension = "klr"

    /// Old recordings deleted before each new file, if set; `onPrune` hears what was deleted and what failed.
    public var retention: RecordingRetention?
    /// Room kept for the file about to start (its rotation size, capped): the budget holds with it written.
    public var nextFileBytes: Int64 = 64 << 20
    public var onPrune: (@Sendable (_ deleted: [(String, Int64)], _ errors: [String]) -> Void)?

    public init(path: String, prefix: String = "kneeload", retention: RecordingRetention? = nil) {
        self.path = path
        self.prefix = prefix
        self.retention = retention
    }

    public func fileName(part: Int, startUnixTimeS: Double?, attempt: Int = 1) -> String {
        var name = prefix + "-" + Self.padded(part, 4)
        if let startUnixTimeS, startUnixTimeS.isFinite { name += "-" + UTCStamp.compact(unixSeconds: startUnixTimeS) }
        if attempt > 1 { name += ".\(attempt)" }
        return name + "." + Self.fileExtension
    }

    public func create(part: Int, startUnixTimeS: Double?) throws(RecordingStorageError) -> any RecordingOutput {
        if let retention {
            let (deleted, errors) = retention.prune(directory: path, prefix: prefix, nextFileBytes: nextFileBytes)
            if !deleted.isEmpty || !errors.isEmpty { onPrune?(deleted, errors) }
        }
        var attempt = 1
        while true {
            let file = path + "/" + fileName(part: part, startUnixTimeS: startUnixTimeS, attempt: attempt)
            do {
                return try PosixRecordingOutput.create(path: file, exclusive: true)
            } catch {
                guard error.code == RecordingStorageError.fileExists, attempt < 1000 else { throw error }
                attempt += 1
            }
        }
    }

    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Exactly one named file, replaced if it exists: `kneeload simulate --recording OUT`. Asking for a second
/// part (a rotation) fails, so give the writer a policy without rotation.
public struct RecordingFile: RecordingStorage {
    public let path: String

    public init(path: String) { self.path = path }

    public func create(part: Int, startUnixTimeS: Double?) throws(RecordingStorageError) -> any RecordingOutput {
        guard part == 1 else {
            throw RecordingStorageError(path: path, operation: "rotate", code: 0, reason: "a single-file recording cannot rotate")
        }
        return try PosixRecordingOutput.create(path: path, exclusive: false)
    }
}
