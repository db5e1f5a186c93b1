import GaitSimulator
import KneeloadCore
import KneeloadRecording
import KneeloadSimulation
import Logging

/// Recording files kept in memory, with an optional capacity after which writes fail like a full disk.
final class MemoryRecordingStorage: RecordingStorage {
    final class File: RecordingOutput {
        let name: String
        private(set) var bytes: [UInt8] = []
        /// The size of the file after each write: where frames end.
        private(set) var writeEnds: [Int] = []
        private(set) var syncs = 0
        private(set) var closed = false
        unowned let storage: MemoryRecordingStorage

        init(name: String, storage: MemoryRecordingStorage) {
            self.name = name
            self.storage = storage
        }

        func write(_ more: [UInt8]) throws(RecordingStorageError) {
            if let capacity = storage.capacity, storage.used + more.count > capacity {
                throw RecordingStorageError(path: name, operation: "write", code: 28, reason: "No space left on device")
            }
            bytes += more
            storage.used += more.count
            writeEnds.append(bytes.count)
        }

        func synchronize() throws(RecordingStorageError) { syncs += 1 }
        func close() throws(RecordingStorageError) { closed = true }
    }

    var capacity: Int?
    var used = 0
    private(set) var files: [File] = []

    init(capacity: Int? = nil) { self.capacity = capacity }

    func create(part: Int, startUnixTimeS: Double?) throws(RecordingStorageError) -> any RecordingOutput {
        let file = File(name: "part-\(part)", storage: self)
        files.append(file)
        return file
    }
}

/// Log lines kept for inspection.
final class CapturedLog: @unchecked Sendable {
    private(set) var lines: [String] = []
    func append(_ line: String) { lines.append(line) }

    var logger: Logger {
        Logger(label: "test") { _ in Handler(log: self) }
    }

    struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { log.append("\(event.level) \(event.message)") }
    }
}

enum RecordingFixtures {
    /// `seconds` of a built-in scenario through the simulated rig.
    static func simulated(_ scenario: String, seconds: Double, rate: Double = 200, seed: UInt64 = 7) throws -> [SensorSample] {
        let rig = SimulatedRig(scenario: try Scenario.builtIn(named: scenario), seed: seed)
        var samples: [SensorSample] = []
        try SimulationRunner(rig: rig, rateHz: rate).run(duration: seconds) { sample, _ in samples.append(sample) }
        return samples
    }

    static let context = RecordingContext(
        source: "test", nominalRateHz: 200, axisRemap: "x,y,z", imuChip: "mpu6050", kneeSensorChip: "ads1115",
        accelRangeG: 16, gyroRangeDps: 2000, flexCalibration: .init(straightVolts: 1.146, bentVolts: 1.877, bentDeg: 90),
        configuration: "limits:\n  session_load_bw_s: 5000\n")

    /// Writes `samples` into memory; returns the storage and the quantized samples `append` handed back.
    static func record(
        _ samples: [SensorSample], policy: RecordingPolicy = RecordingPolicy(), events: [Int: RecordingEvent] = [:]
    ) -> (MemoryRecordingStorage, [SensorSample]) {
        let storage = MemoryRecordingStorage()
        var writer = RecordingWriter(storage: storage, context: context, policy: policy, logger: CapturedLog().logger)
        var quantized: [SensorSample] = []
        for (index, sample) in samples.enumerated() {
            if let event = events[index] { writer.note(event) }
            quantized.append(writer.append(sample, sequence: UInt64(index)))
        }
        writer.close()
        return (storage, quantized)
    }

    static func readAll(_ bytes: [UInt8]) throws -> (RecordingReader, [SensorSample]) {
        var reader = try RecordingReader(file: "test.klr", bytes: bytes)
        var samples: [SensorSample] = []
        while let sample = reader.next() { samples.append(sample) }
        return (reader, samples)
    }
}
