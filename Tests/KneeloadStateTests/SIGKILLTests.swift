import Foundation
import KneeloadCore
import Testing

@testable import KneeloadState

/// Kills `kneeload-state-crash-check` with SIGKILL at random moments while it saves checkpoint after checkpoint,
/// and checks after every kill that the state file loads whole with the last or the next checkpoint's totals.
@Suite struct SIGKILLTests {
    /// The helper sits next to the test bundle in the build products folder (built as this target's dependency).
    private static var helper: URL {
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent(), Bundle.main.bundleURL,
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        ]
        for folder in candidates {
            let candidate = folder.appendingPathComponent("kneeload-state-crash-check")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../.build/debug/kneeload-state-crash-check").standardized
    }

    /// Enough to land in every phase of a save; each costs a process start (about 20 ms) and a save or two.
    private static let kills = 30

    @Test func aKilledSaverLeavesTheLastOrNextCheckpointWhole() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var random = SeededGenerator(seed: 2024)
        var lastPrinted = 0
        var killedAfterRename = 0
        var killedBeforeRename = 0

        for run in 0..<Self.kills {
            let process = Process()
            process.executableURL = Self.helper
            process.arguments = [directory.path, "1000000"]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            var printed = Data()
            if run % 8 != 7 {
                // Most kills land once saving is under way: wait for the first report, then 0–15 ms more (a
                // save takes several ms), so kills fall inside writes, fsyncs, renames and between saves.
                while !printed.contains(UInt8(ascii: "\n")) {
                    let chunk = output.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    printed.append(chunk)
                }
                usleep(UInt32(random.next() % 15_000))
            } else {
                // The others at any moment from the start, loading included.
                usleep(UInt32(random.next() % 30_000))
            }
            #expect(kill(process.processIdentifier, SIGKILL) == 0)
            printed.append(output.fileHandleForReading.readDataToEndOfFile())
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "run \(run) ended by itself")
            let lines = String(decoding: printed, as: UTF8.self).split(separator: "\n")
            if let last = lines.last, last.hasPrefix("saved "), let n = Int(last.dropFirst(6)) {
                lastPrinted = n
            }
            if directory.names.contains(where: { $0.hasPrefix("state.json.tmp-") }) { killedBeforeRename += 1 }

            let log = LogRecorder()
            let outcome = makeStore(directory.path, log).load()
            #expect(!directory.names.contains { $0 != "state.json" }, "run \(run): \(directory.names)")
            guard case .restored(let state) = outcome else {
                // Only a kill before the very first save may leave no file; never a damaged one.
                #expect(outcome == .freshStart && lastPrinted == 0, "run \(run): \(outcome)")
                continue
            }
            let saved = state.lifetime.samples
            #expect(saved == lastPrinted || saved == lastPrinted + 1, "run \(run): file \(saved), printed \(lastPrinted)")
            if saved == lastPrinted + 1 { killedAfterRename += 1 }
            // Never torn: every part of the file belongs to the same checkpoint.
            #expect(state.lifetime.steps == saved)
            #expect(state.accumulator.today.steps == saved)
            #expect(state.accumulator.lifetimeLoadBWs == 0.25 * Double(saved))
            lastPrinted = saved
        }
        print(
            "SIGKILL check: \(Self.kills) kills, \(lastPrinted) checkpoints; \(killedBeforeRename) kills left a temporary file, "
                + "\(killedAfterRename) came between a rename and its report")
        // Most runs got to save at least once.
        #expect(lastPrinted > Self.kills / 2)
    }
}
