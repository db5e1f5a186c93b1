import Foundation
import Logging

/// The daemon's checkpoint file, `state.json` in its state directory (CONTRACTS §5: `$STATE_DIRECTORY`, else
/// `/var/lib/kneeload`).
///
/// - `load()` at start: a missing file is a fresh start; a file that is unreadable, not JSON, of another format
///   version or inconsistent is renamed to `state.json.corrupt-<UTC time>` with one log line saying what is
///   wrong, and the daemon starts fresh. It never throws and never traps. Temporary files left by a crash
///   during a save are removed.
/// - `save(_:)` on the checkpoint schedule and at shutdown: atomic (see `DurableFile.replace`), so after a
///   SIGKILL or power loss at any moment the file holds the last or the one before last checkpoint, whole.
///
/// The encoding is JSON with sorted keys and no whitespace: the same state always gives the same bytes, and
/// Doubles are written in their shortest round-trip form, so they load back bit for bit.
public struct StateStore: Sendable {
    public static let fileName = "state.json"
    /// Default when `$STATE_DIRECTORY` is not set (CONTRACTS §5).
    public static let defaultDirectory = "/var/lib/kneeload"
    /// The largest state file read: a full state is about 100 kB (4800 window bins, 64 days, 128 sessions).
    public static let maximumFileBytes = 4 * 1024 * 1024
    /// rwxr-x---: the daemon's user writes, its group may read (systemd's StateDirectoryMode= default is 0755;
    /// nothing here is for other users).
    public static let directoryMode: mode_t = 0o750
    public static let fileMode: mode_t = 0o640

    public let directory: String
    private let logger: Logger
    private let wallClock: @Sendable () -> Double

    public var filePath: String { directory + "/" + Self.fileName }
    /// This process's temporary file; the pid keeps two processes from writing into the same one.
    var temporaryPath: String { filePath + Self.temporarySuffix + String(getpid()) }
    static let temporarySuffix = ".tmp-"
    static let setAsideSuffix = ".corrupt-"

    /// `wallClock` gives Unix epoch seconds for the names of set-aside files (tests pass a fixed one).
    public init(
        directory: String, logger: Logger,
        wallClock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        self.logger = logger
        self.wallClock = wallClock
    }

    /// The state directory systemd gave the service (`StateDirectory=` sets `$STATE_DIRECTORY`, a colon-separated
    /// list when several are configured: the first is ours), else `/var/lib/kneeload`.
    public static func directory(environment: [String: String]) -> String {
        let first = environment["STATE_DIRECTORY"]?.split(separator: ":").first.map(String.init) ?? ""
        return first.isEmpty ? defaultDirectory : first
    }

    /// Creates the state directory (mode 0750) if it does not exist. `save` does this too; calling it at start
    /// reports an unusable directory before the first checkpoint is due.
    public func prepareDirectory() throws(StateStoreError) {
        try DurableFile.createDirectory(directory, mode: Self.directoryMode)
    }

    // MARK: Load

    /// The state of the last checkpoint, or why there is none. Logs one line with the outcome.
    public func load() -> StateLoadOutcome {
        removeStaleTemporaryFiles()
        let path = filePath
        let problem: StateFileProblem
        switch DurableFile.readContents(path, limit: Self.maximumFileBytes) {
        case .missing:
            logger.notice("no state file at \(path): starting fresh")
            return .freshStart
        case .failed(let code):
            problem = .unreadable(errno: code)
        case .tooLarge(let bytes):
            problem = .tooLarge(bytes: bytes, limit: Self.maximumFileBytes)
        case .contents(let bytes):
            do throws(StateFileProblem) {
                let state = try Self.decode(bytes)
                let saved = UTCTimestamp.iso8601(state.savedAtEpochSeconds)
                let totals = "lifetime load \(state.accumulator.lifetimeLoadBWs) BW·s, \(state.lifetime.steps) steps"
                logger.info("restored state from \(path), saved at \(saved): \(totals)")
                return .restored(state)
            } catch {
                problem = error
            }
        }
        return setAside(path, problem)
    }

    /// Parses and validates a state file's bytes.
    static func decode(_ bytes: [UInt8]) throws(StateFileProblem) -> DaemonState {
        let data = Data(bytes)
        let decoder = JSONDecoder()
        // The version first, so that a file of another version is reported as such rather than as missing keys.
        let version: Int?
        do {
            version = try decoder.decode(VersionField.self, from: data).formatVersion
        } catch {
            throw problem(decoding: error, bytes)
        }
        guard version == DaemonState.currentFormatVersion else {
            throw .wrongVersion(found: version, expected: DaemonState.currentFormatVersion)
        }
        let state: DaemonState
        do {
            state = try decoder.decode(DaemonState.self, from: data)
        } catch {
            throw problem(decoding: error, bytes)
        }
        try state.validate()
        return state
    }

    private struct VersionField: Decodable {
        var formatVersion: Int?
    }

    private static func problem(decoding error: any Error, _ bytes: [UInt8]) -> StateFileProblem {
        if let syntax = JSONSyntaxCheck.firstError(in: bytes) { return .notJSON(syntax) }
        guard let error = error as? DecodingError else { return .invalidContent(String(describing: error)) }
        func path(_ keys: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let all = keys + (last.map { [$0] } ?? [])
            guard !all.isEmpty else { return "the top level" }
            return all.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }
                .description
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .invalidContent("\(path(context.codingPath, key)) is missing")
        case .valueNotFound(_, let context):
            return .invalidContent("\(path(context.codingPath)) is null")
        case .typeMismatch(let type, let context):
            let name = String(describing: type)
            let expected =
                name.hasPrefix("Dictionary") ? "a JSON object" : name.hasPrefix("Array") ? "a JSON array" : "of type \(name)"
            return .invalidContent("\(path(context.codingPath)) is not \(expected)")
        case .dataCorrupted(let context):
            return .invalidContent("\(path(context.codingPath)): \(context.debugDescription)")
        @unknown default:
            return .invalidContent(String(describing: error))
        }
    }

    /// Renames a bad state file out of the way, so the next checkpoint does not overwrite it, and logs why.
    private func setAside(_ path: String, _ problem: StateFileProblem) -> StateLoadOutcome {
        let stamp = UTCTimestamp.compact(wallClock())
        var target = path + Self.setAsideSuffix + stamp
        var attempt = 1
        while DurableFile.exists(target) {
            attempt += 1
            target = path + Self.setAsideSuffix + stamp + "-\(attempt)"
        }
        guard rename(path, target) == 0 else {
            let reason = systemErrorText(errno)
            let consequence = "starting fresh, and the next checkpoint will replace it"
            logger.error("state file \(path) \(problem); could not move it aside (rename: \(reason)): \(consequence)")
            return .setAside(problem: problem, movedTo: nil)
        }
        // Best effort: if the rename is lost in a power cut, the next start finds the same file and tries again.
        try? DurableFile.syncDirectory(directory)
        logger.error("state file \(path) \(problem); moved it to \(target) and starting fresh")
        return .setAside(problem: problem, movedTo: target)
    }

    /// A save interrupted before its rename leaves its temporary file; the state file itself is still whole.
    private func removeStaleTemporaryFiles() {
        let prefix = Self.fileName + Self.temporarySuffix
        for name in DurableFile.entries(of: directory) where name.hasPrefix(prefix) {
            let path = directory + "/" + name
            if unlink(path) == 0 {
                logger.notice("removed \(path), left by a checkpoint interrupted before it was complete")
            } else {
                logger.warning("cannot remove stale \(path): \(systemErrorText(errno))")
            }
        }
    }

    // MARK: Save

    /// Writes `state` as the new checkpoint, atomically and durably. On any error the previous state file is
    /// untouched. A state that would not load back (it fails `DaemonState.validate`) is refused. One save at a
    /// time per process (they share this process's temporary file): the daemon's loop, or one task for it.
    public func save(_ state: DaemonState) throws(StateStoreError) {
        let bytes = try Self.encode(state)
        do {
            try DurableFile.replace(
                filePath, with: bytes, temporaryPath: temporaryPath, directory: directory, mode: Self.fileMode)
        } catch .system(.open, _, let code) where code == ENOENT || code == ENOTDIR {
            // The directory is missing (first start, or removed while running): create it and try once more;
            // if it cannot be, the error names the directory rather than the temporary file.
            try prepareDirectory()
            try DurableFile.replace(
                filePath, with: bytes, temporaryPath: temporaryPath, directory: directory, mode: Self.fileMode)
        }
    }

    /// The exact bytes `save` writes for `state`.
    public static func encode(_ state: DaemonState) throws(StateStoreError) -> [UInt8] {
        do throws(StateFileProblem) {
            try state.validate()
        } catch {
            throw .invalidState(error)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return [UInt8](try encoder.encode(state))
        } catch {
            throw .invalidState(.invalidContent("cannot be encoded: \(error)"))
        }
    }
}
