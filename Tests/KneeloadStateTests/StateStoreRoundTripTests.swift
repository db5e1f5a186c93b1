import Foundation
import KneeloadCore
import KneeloadEngine
import Testing

@testable import KneeloadState

@Suite struct StateStoreRoundTripTests {
    @Test func savedStateLoadsBackExactly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = LogRecorder()
        let store = makeStore(directory.path, log)
        let state = try richState()
        #expect(state.accumulator.dailyHistory.count >= 4)
        #expect(state.accumulator.sessionHistory.count == 4)
        #expect(state.accumulator.currentSession != nil)
        #expect(state.accumulator.windowBins.contains { $0 > 0 })

        try store.save(state)
        let outcome = store.load()
        #expect(outcome == .restored(state))
        // Bit for bit, not just ==: 0.0 and -0.0 compare equal, and so would a sloppier format's near misses.
        let restored = try #require(outcome.state)
        #expect(restored.savedAtEpochSeconds.bitPattern == state.savedAtEpochSeconds.bitPattern)
        #expect(restored.accumulator.lifetimeLoadBWs.bitPattern == state.accumulator.lifetimeLoadBWs.bitPattern)
        #expect(
            restored.accumulator.sessionHistory.map(\.loadBWs.bitPattern)
                == state.accumulator.sessionHistory.map(\.loadBWs.bitPattern))
        #expect(directory.names == ["state.json"])
        #expect(log.lines.count == 1)
        #expect(log.lines.first?.level == .info)
        #expect(log.lines.first?.text.contains("restored state from \(store.filePath)") == true)
    }

    @Test func doublesOfEveryMagnitudeRoundTripBitForBit() throws {
        var random = SeededGenerator(seed: 7)
        var values: [Double] = [0.1, 1.0 / 3, .leastNonzeroMagnitude, .leastNormalMagnitude, 1e22, 0]
        while values.count < 3 * 128 * 6 {
            // Random bit patterns of positive finite doubles: every exponent and mantissa.
            let value = Double(bitPattern: random.next() & 0x7FFF_FFFF_FFFF_FFFF)
            if value.isFinite { values.append(value) }
        }
        var state = try richState()
        let day = state.accumulator.today.day
        // Three doubles in each of the 128 session records a state holds, six states.
        for start in stride(from: 0, to: values.count, by: 3 * 128) {
            let chunk = Array(values[start..<start + 3 * 128])
            state.accumulator.sessionHistory = (0..<128).map { i in
                SessionRecord(
                    startDay: day, startEpochSeconds: chunk[3 * i], durationS: chunk[3 * i + 1],
                    loadBWs: chunk[3 * i + 2], steps: 0, stairDescentSteps: 0)
            }
            let decoded = try StateStore.decode(try StateStore.encode(state))
            let decodedValues = decoded.accumulator.sessionHistory.flatMap { [$0.startEpochSeconds, $0.durationS, $0.loadBWs] }
            #expect(decodedValues.map(\.bitPattern) == chunk.map(\.bitPattern))
        }
    }

    @Test func encodingIsDeterministicCompactAndSorted() throws {
        let state = try richState()
        let first = try StateStore.encode(state)
        let second = try StateStore.encode(try StateStore.decode(first))
        #expect(first == second)
        let text = String(decoding: first, as: UTF8.self)
        #expect(!text.contains(" ") && !text.contains("\n"))
        #expect(text.hasPrefix(#"{"accumulator":{"acuteChronicLoad":"#))
        #expect(text.contains(#""formatVersion":1,"lifetime":{"droppedSamples":12,"#))
        // Well under the reading limit even with every history full.
        #expect(first.count < StateStore.maximumFileBytes / 10)
    }

    @Test func savingAgainReplacesTheFileWithTheNewTotals() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = makeStore(directory.path, LogRecorder())
        var state = try richState()
        try store.save(state)
        state.lifetime.samples += 1000
        state.lifetime.steps += 10
        try store.save(state)
        #expect(store.load().state?.lifetime == state.lifetime)
        #expect(directory.names == ["state.json"])
        let mode = try FileManager.default.attributesOfItem(atPath: store.filePath)[.posixPermissions] as? Int
        #expect(mode == 0o640)
    }

    @Test func noFileIsAFreshStart() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = LogRecorder()
        let store = makeStore(directory.path, log)
        #expect(store.load() == .freshStart)
        #expect(log.lines.map(\.text) == ["no state file at \(directory.path)/state.json: starting fresh"])
        // A directory that does not exist yet is a fresh start too (save creates it).
        #expect(makeStore(directory.file("later"), log).load() == .freshStart)
    }

    @Test func aMissingDirectoryIsCreatedWithMode0750() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let state = try richState()
        let store = makeStore(directory.file("kneeload") + "/", LogRecorder())
        #expect(store.directory == directory.file("kneeload"))
        try store.save(state)
        let attributes = try FileManager.default.attributesOfItem(atPath: store.directory)
        // umask may only remove bits: none beyond 0750 are set, and the owner can use it.
        let mode = try #require(attributes[.posixPermissions] as? Int)
        #expect(mode & ~0o750 == 0 && mode & 0o700 == 0o700)
        #expect(store.load().state == state)
        try store.prepareDirectory()  // exists already: fine
    }

    @Test func theDirectoryComesFromStateDirectory() {
        #expect(StateStore.directory(environment: [:]) == "/var/lib/kneeload")
        #expect(StateStore.directory(environment: ["STATE_DIRECTORY": ""]) == "/var/lib/kneeload")
        #expect(StateStore.directory(environment: ["STATE_DIRECTORY": "/var/lib/kneeload-test"]) == "/var/lib/kneeload-test")
        // systemd lists several StateDirectory= entries separated by colons; the first is the service's own.
        #expect(StateStore.directory(environment: ["STATE_DIRECTORY": "/var/lib/a:/var/lib/b"]) == "/var/lib/a")
    }

    @Test func fileNameTimestampsAreUTC() {
        #expect(UTCTimestamp.compact(testEpoch + 900.25) == "20250314T081500Z")
        #expect(UTCTimestamp.iso8601(testEpoch - 1) == "2025-03-14T07:59:59Z")
        #expect(UTCTimestamp.iso8601(testEpoch - 28_801) == "2025-03-13T23:59:59Z")
        #expect(UTCTimestamp.iso8601(-1) == "1969-12-31T23:59:59Z")
        #expect(UTCTimestamp.iso8601(.nan) == "1970-01-01T00:00:00Z")
    }
}
