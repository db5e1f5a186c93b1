import Foundation
import KneeloadCore
import KneeloadEngine
import Testing

@testable import KneeloadState

@Suite struct CorruptStateFileTests {
    /// Writes `bytes` as the state file, loads, and checks the common contract: a fresh start, the file moved
    /// aside unchanged under the timestamped name, and one error line naming the file, the problem and where it
    /// went. Returns the problem.
    private func loadCorrupt(_ bytes: [UInt8]) throws -> StateFileProblem {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = LogRecorder()
        let store = makeStore(directory.path, log)
        try writeFile(store.filePath, bytes)
        let outcome = store.load()
        guard case .setAside(let problem, let movedTo) = outcome else {
            Issue.record("expected the file to be set aside, got \(outcome)")
            return .invalidContent("not set aside")
        }
        #expect(outcome.state == nil)
        let target = directory.file("state.json.corrupt-20250314T081500Z")
        #expect(movedTo == target)
        #expect(directory.names == ["state.json.corrupt-20250314T081500Z"])
        #expect(try readFile(target) == bytes)
        #expect(log.lines.count == 1)
        #expect(log.lines.first?.level == .error)
        #expect(
            log.lines.first?.text
                == "state file \(store.filePath) \(problem); moved it to \(target) and starting fresh")
        return problem
    }

    /// The encoding of `state` without the validation `save` applies.
    private func unvalidatedBytes(_ state: DaemonState) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return [UInt8](try encoder.encode(state))
    }

    @Test func garbageIsSetAsideWithThePositionOfTheError() throws {
        var random = SeededGenerator(seed: 3)
        let garbage = (0..<500).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        guard case .notJSON = try loadCorrupt(garbage) else {
            Issue.record("random bytes should not be JSON")
            return
        }
        let problem = try loadCorrupt(Array("{\"formatVersion\": 1,\n  \"lifetime\": {\"steps\": 12 13}}".utf8))
        #expect(
            problem.description
                == "is not valid JSON: expected ',' or '}' but found '1' at line 2, column 28 (byte 48)")
    }

    @Test func aFileTruncatedAtAnyLengthIsNotJSON() throws {
        let bytes = try StateStore.encode(try richState())
        // Every length up to 300 bytes, then every 997th: inside keys, numbers, literals, arrays and objects.
        let lengths = Array(0..<300) + Array(stride(from: 300, to: bytes.count, by: 997))
        for length in lengths {
            do {
                _ = try StateStore.decode(Array(bytes[0..<length]))
                Issue.record("a \(length)-byte prefix decoded")
            } catch .notJSON(let error) {
                // The error is at the end, or at the start of the string the end cut off.
                if error.message.hasPrefix("unterminated string") {
                    #expect(error.byteOffset < length && bytes[error.byteOffset] == UInt8(ascii: "\""))
                } else {
                    #expect(error.message == "unexpected end of file", "length \(length)")
                    #expect(error.byteOffset == length)
                }
            } catch {
                Issue.record("a \(length)-byte prefix gave \(error)")
            }
        }
        // And through the store: moved aside, never a crash.
        for length in [0, 1, bytes.count / 2, bytes.count - 1] {
            guard case .notJSON = try loadCorrupt(Array(bytes[0..<length])) else {
                Issue.record("length \(length) not reported as JSON error")
                continue
            }
        }
        #expect(try loadCorrupt([]).description == "is not valid JSON: unexpected end of file at line 1, column 1 (byte 0)")
    }

    @Test func anotherFormatVersionIsSetAside() throws {
        var state = try richState()
        state.formatVersion = 2
        let problem = try loadCorrupt(try unvalidatedBytes(state))
        #expect(problem == .wrongVersion(found: 2, expected: 1))
        #expect(problem.description == "has format version 2, this daemon reads version 1")
        #expect(try loadCorrupt(Array(#"{"accumulator": {}}"#.utf8)) == .wrongVersion(found: nil, expected: 1))
        #expect(
            try loadCorrupt(Array(#"{"formatVersion": "1"}"#.utf8))
                == .invalidContent("formatVersion is not of type Int"))
        #expect(try loadCorrupt(Array("[1, 2]".utf8)) == .invalidContent("the top level is not a JSON object"))
    }

    @Test func missingAndMistypedKeysAreNamed() throws {
        #expect(
            try loadCorrupt(Array(#"{"formatVersion": 1}"#.utf8)) == .invalidContent("savedAtEpochSeconds is missing"))
        var text = String(decoding: try StateStore.encode(try richState()), as: UTF8.self)
        text = text.replacingOccurrences(of: #""stairDescentFlights":17"#, with: #""stairDescentFlights":"many""#)
        #expect(
            try loadCorrupt(Array(text.utf8)) == .invalidContent("lifetime.stairDescentFlights is not of type Int"))
        text = String(decoding: try StateStore.encode(try richState()), as: UTF8.self)
        text = text.replacingOccurrences(of: #""utcOffsetSeconds":3600"#, with: #""utcOffsetSeconds":999999"#)
        let problem = try loadCorrupt(Array(text.utf8))
        #expect(problem.description.contains("accumulator.localTime: local time: UTC offset 999999 s"))
    }

    @Test func valuesThatDoNotFitTogetherAreSetAside() throws {
        let good = try richState()
        var state = good
        state.accumulator.today.loadBWs = -1
        #expect(
            try loadCorrupt(try unvalidatedBytes(state))
                == .invalidContent("load accumulator snapshot: today's record has a negative or non-finite total"))

        state = good
        state.accumulator.lifetimeLoadBWs = -0.5
        #expect(
            try loadCorrupt(try unvalidatedBytes(state))
                == .invalidContent("load accumulator snapshot: lifetimeLoadBWs must be finite and ≥ 0"))

        state = good
        state.accumulator.windowBins[17] = -3
        #expect(
            try loadCorrupt(try unvalidatedBytes(state))
                == .invalidContent("load accumulator snapshot: windowBins holds a negative load"))

        state = good
        state.accumulator.dailyHistory.removeFirst(2)
        state.accumulator.dailyHistory.append(state.accumulator.today)
        guard case .invalidContent(let problem) = try loadCorrupt(try unvalidatedBytes(state)) else {
            Issue.record("days out of order accepted")
            return
        }
        #expect(problem.contains("dailyHistory["))

        state = good
        state.lifetime.steps = -4
        #expect(try loadCorrupt(try unvalidatedBytes(state)) == .invalidContent("lifetime.steps -4 is negative"))

        state = good
        state.lifetime.stairDescentSteps = state.lifetime.steps + 1
        #expect(
            try loadCorrupt(try unvalidatedBytes(state))
                == .invalidContent("lifetime.stairDescentSteps 4322 exceeds lifetime.steps 4321"))

        state = good
        state.savedAtEpochSeconds = 1e300
        #expect(
            try loadCorrupt(try unvalidatedBytes(state))
                == .invalidContent("savedAtEpochSeconds 1e+300 is not a plausible wall-clock time"))
    }

    @Test func anUnreadableFileIsSetAside() throws {
        // A directory where the file should be: open succeeds, read fails with EISDIR (permission bits would
        // not stop a test running as root).
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = LogRecorder()
        let store = makeStore(directory.path, log)
        try FileManager.default.createDirectory(atPath: store.filePath, withIntermediateDirectories: false)
        let outcome = store.load()
        let target = directory.file("state.json.corrupt-20250314T081500Z")
        #expect(outcome == .setAside(problem: .unreadable(errno: EISDIR), movedTo: target))
        #expect(log.lines.first?.text.contains("state.json cannot be read: Is a directory (errno 21)") == true)
        // The next checkpoint goes where the bad file was.
        try store.save(try richState())
        #expect(store.load().state == (try richState()))
    }

    @Test func anOversizedFileIsSetAsideWithoutReadingItAll() throws {
        let bytes = [UInt8](repeating: UInt8(ascii: " "), count: StateStore.maximumFileBytes + 1)
        let problem = try loadCorrupt(bytes)
        #expect(problem == .tooLarge(bytes: StateStore.maximumFileBytes + 1, limit: StateStore.maximumFileBytes))
    }

    @Test func setAsideFilesNeverOverwriteEachOther() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = makeStore(directory.path, LogRecorder())
        var targets: [String?] = []
        for index in 0..<3 {
            try writeFile(store.filePath, Array("bad \(index)".utf8))
            if case .setAside(_, let movedTo) = store.load() { targets.append(movedTo) }
        }
        let base = directory.file("state.json.corrupt-20250314T081500Z")
        #expect(targets == [base, base + "-2", base + "-3"])
        #expect(try readFile(base + "-3") == Array("bad 2".utf8))
    }

    @Test func aStateThatWouldNotLoadIsNeverSaved() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = makeStore(directory.path, LogRecorder())
        let good = try richState()
        try store.save(good)
        var bad = good
        bad.accumulator.currentSession = nil
        bad.accumulator.latestT = .nan
        #expect(throws: StateStoreError.self) { try store.save(bad) }
        bad = good
        bad.lifetime.sampledSeconds = .infinity
        #expect(
            throws: StateStoreError.invalidState(.invalidContent("lifetime.sampledSeconds inf must be finite and ≥ 0"))
        ) { try store.save(bad) }
        #expect(store.load().state == good)
        #expect(directory.names == ["state.json"])
    }
}
