import Foundation
import KneeloadCore
import KneeloadRecording
import Synchronization
import Testing

/// Old recordings make way for new ones: the directory stays within its size budget and keeps the disk's
/// reserve free, deleting oldest first and touching nothing but its own recordings.
@Suite struct RecordingRetentionTests {
    typealias Entry = RecordingRetention.Entry

    @Test func deletesOldestFirstUntilTheBudgetHoldsWithRoomForTheNextFile() {
        let retention = RecordingRetention(maxTotalBytes: 100, minFreeBytes: 0)
        let entries = [
            Entry(name: "kneeload-0001-b.klr", bytes: 30, modifiedNs: 3),
            Entry(name: "kneeload-0002-a.klr", bytes: 30, modifiedNs: 1),  // an earlier run: oldest though named later
            Entry(name: "kneeload-0003-c.klr", bytes: 30, modifiedNs: 5),
        ]
        #expect(retention.namesToDelete(entries, freeBytes: nil, nextFileBytes: 10).isEmpty)
        #expect(retention.namesToDelete(entries, freeBytes: nil, nextFileBytes: 11) == ["kneeload-0002-a.klr"])
        #expect(retention.namesToDelete(entries, freeBytes: nil, nextFileBytes: 50) == ["kneeload-0002-a.klr", "kneeload-0001-b.klr"])
        // Every file, the newest too, when the next file alone fills the budget.
        #expect(retention.namesToDelete(entries, freeBytes: nil, nextFileBytes: 200).count == 3)
    }

    @Test func keepsTheDisksReserveFree() {
        let retention = RecordingRetention(maxTotalBytes: 1 << 40, minFreeBytes: 100)
        let entries = (1...4).map { Entry(name: "kneeload-000\($0).klr", bytes: 40, modifiedNs: Int64($0)) }
        #expect(retention.namesToDelete(entries, freeBytes: 120, nextFileBytes: 0).isEmpty)
        #expect(retention.namesToDelete(entries, freeBytes: 90, nextFileBytes: 0) == ["kneeload-0001.klr"])
        #expect(retention.namesToDelete(entries, freeBytes: 90, nextFileBytes: 50) == ["kneeload-0001.klr", "kneeload-0002.klr"])
        // Recordings cannot free more than they hold: deleting all of them is as far as it goes.
        #expect(retention.namesToDelete(entries, freeBytes: 0, nextFileBytes: 1000).count == 4)
    }

    @Test func aWriterRotatingIntoADirectoryStaysWithinItsBudget() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kl-retention-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Not recordings of this directory: never touched.
        let bystanders = ["state.json", "other-0001.klr", "kneeload-notes.txt"]
        for name in bystanders { try Data(repeating: 7, count: 50_000).write(to: URL(fileURLWithPath: directory + "/" + name)) }

        let budget: Int64 = 60_000
        var storage = RecordingDirectory(path: directory, retention: RecordingRetention(maxTotalBytes: budget, minFreeBytes: 0))
        storage.nextFileBytes = 20_000
        let pruned = Mutex<[String]>([])
        storage.onPrune = { deleted, errors in
            pruned.withLock { $0 += deleted.map(\.0) + errors }
        }
        let samples = try RecordingFixtures.simulated("walk", seconds: 60)
        var writer = RecordingWriter(
            storage: storage, context: RecordingFixtures.context, policy: RecordingPolicy(maxFileBytes: 20_000),
            logger: CapturedLog().logger)
        var largestTotal: Int64 = 0
        for (index, sample) in samples.enumerated() {
            writer.append(sample, sequence: UInt64(index))
            if index % 500 == 0 { largestTotal = max(largestTotal, try recordingsBytes(directory)) }
        }
        writer.close()
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        let recordings = names.filter { $0.hasPrefix("kneeload-") && $0.hasSuffix(".klr") }
        #expect(writer.state.stopReason == "closed")  // by close(), never for want of space
        #expect(writer.state.filesStarted > recordings.count)
        #expect(pruned.withLock { $0.count } == writer.state.filesStarted - recordings.count)
        #expect(largestTotal <= budget + 24_000)  // the budget, plus the block that tips a file over its size
        #expect(try recordingsBytes(directory) <= budget + 24_000)
        for name in bystanders { #expect(names.contains(name)) }
        // What is left is the end of the run, readable, in order.
        let last = try RecordingFixtures.readAll([UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/" + recordings.last!))))
        #expect(last.0.context?.part == writer.state.filesStarted)
        #expect(last.1.last?.time == RecordingGrid.quantize(samples.last!)?.time)
    }

    func recordingsBytes(_ directory: String) throws -> Int64 {
        try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasPrefix("kneeload-") && $0.hasSuffix(".klr") }
            .reduce(Int64(0)) { total, name in
                let size = try FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.size] as? Int64 ?? 0
                return total + size
            }
    }
}
