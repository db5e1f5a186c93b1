import Foundation
import KneeloadCore
import KneeloadEngine
import Logging
import Testing

@testable import KneeloadState

/// Log lines a `StateStore` wrote, for checking what an operator would read.
final class LogRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [(level: Logger.Level, text: String)] = []

    var lines: [(level: Logger.Level, text: String)] { lock.withLock { recorded } }

    var logger: Logger {
        Logger(label: "kneeload-state-test") { _ in RecordingHandler(recorder: self) }
    }

    fileprivate func append(_ level: Logger.Level, _ text: String) {
        lock.withLock { recorded.append((level, text)) }
    }
}

private struct RecordingHandler: LogHandler {
    let recorder: LogRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        recorder.append(event.level, event.message.description)
    }
}

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("kneeload-state-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { path + "/" + name }

    var names: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
}

/// 2025-03-14 08:00 UTC.
let testEpoch = 1_741_939_200.0

/// A state with every part filled: several days and ended sessions, an open session, a full window ring, and
/// loads that are arbitrary doubles (so an inexact number format would show).
func richState(seed: UInt64 = 1) throws -> DaemonState {
    var random = SeededGenerator(seed: seed)
    var accumulator = LoadAccumulator(
        localTime: try LocalTime(epochSecondsAtStart: testEpoch, utcOffsetSeconds: 3600))
    var t = 0.0
    for session in 0..<5 {
        try accumulator.startSession(at: t)
        for _ in 0..<2000 {
            t += 0.05 + random.nextUnit() * 0.1
            try accumulator.add(loadBWs: random.nextUnit() * 0.3, at: t)
            if random.nextUnit() < 0.1 {
                if random.nextUnit() < 0.2 {
                    try accumulator.addStairDescentStep(at: t)
                } else {
                    try accumulator.addStep(at: t)
                }
            }
        }
        // Sessions a day and a bit apart, so days close with their loads; the last one stays open.
        if session < 4 { t += 90_000 + random.nextUnit() * 1000 }
    }
    let lifetime = LifetimeCounters(
        samples: 1_234_567, droppedSamples: 12, rejectedSamples: 3, steps: 4321, stairDescentSteps: 210,
        stairDescentFlights: 17, sampledSeconds: 6172.835 + random.nextUnit())
    return DaemonState(
        savedAtEpochSeconds: testEpoch + t + random.nextUnit(), accumulator: accumulator.snapshot, lifetime: lifetime)
}

func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

func readFile(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// A store with a fixed wall clock (2025-03-14 08:15:00 UTC), so set-aside names are predictable.
func makeStore(_ directory: String, _ log: LogRecorder) -> StateStore {
    StateStore(directory: directory, logger: log.logger, wallClock: { testEpoch + 900.25 })
}
