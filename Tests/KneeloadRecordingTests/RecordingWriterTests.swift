import KneeloadCore
import KneeloadRecording
import Testing

@Suite struct RecordingWriterTests {
    @Test func rotatesBySizeAndByAgeIntoReadableParts() throws {
        let samples = try RecordingFixtures.simulated("walk", seconds: 30)
        for policy in [RecordingPolicy(maxFileBytes: 20_000), RecordingPolicy(maxFileAgeS: 7)] {
            let (storage, quantized) = RecordingFixtures.record(samples, policy: policy)
            #expect(storage.files.count >= 4)
            var joined: [SensorSample] = []
            for (index, file) in storage.files.enumerated() {
                let (reader, read) = try RecordingFixtures.readAll(file.bytes)
                #expect(reader.diagnostics.isEmpty)
                #expect(reader.context?.part == index + 1)
                #expect(file.closed && file.syncs > 0)
                if policy.maxFileAgeS == 7 {
                    #expect(read.last!.time - read.first!.time < 7)
                } else {
                    #expect(file.bytes.count < 20_000 + 4_000)
                }
                joined += read
            }
            #expect(joined == quantized)
        }
    }

    @Test func aFullDiskStopsRecordingButAppendStillQuantizes() throws {
        let samples = try RecordingFixtures.simulated("walk", seconds: 10)
        let storage = MemoryRecordingStorage(capacity: 6_000)
        let log = CapturedLog()
        var writer = RecordingWriter(storage: storage, context: RecordingFixtures.context, logger: log.logger)
        var returned: [SensorSample] = []
        for (index, sample) in samples.enumerated() { returned.append(writer.append(sample, sequence: UInt64(index))) }
        #expect(!writer.state.active)
        #expect(writer.state.stopReason?.contains("No space left on device") == true)
        #expect(log.lines.filter { $0.contains("recording stopped") }.count == 1)
        #expect(returned == samples.map { RecordingGrid.quantize($0)! })
        // What did reach the disk reads back as a prefix of the samples.
        let (reader, read) = try RecordingFixtures.readAll(storage.files[0].bytes)
        #expect(reader.diagnostics.isEmpty)
        #expect(!read.isEmpty && read == Array(returned.prefix(read.count)))
        // Space freed: resume starts a new part.
        storage.capacity = nil
        writer.resume()
        writer.append(SensorSample(time: 100, accel: Vector3(1, 0, 0), gyro: Vector3(0, 0, 0), kneeFlexDeg: 5), sequence: 20_000)
        writer.close()
        #expect(storage.files.count == 2)
        #expect(try RecordingFixtures.readAll(storage.files[1].bytes).1.map(\.time) == [100])
    }

    @Test func aChangeOfShapeOrConfigurationStartsANewFile() throws {
        let storage = MemoryRecordingStorage()
        var writer = RecordingWriter(storage: storage, context: RecordingFixtures.context, logger: CapturedLog().logger)
        writer.append(SensorSample(time: 0, accel: Vector3(1, 0, 0), gyro: Vector3(1, 2, 3), kneeFlexDeg: 5), sequence: 0)
        writer.append(SensorSample(time: 0.01, accel: Vector3(1, 0, 0), gyro: nil, kneeFlexDeg: 5), sequence: 1)
        var changed = RecordingFixtures.context
        changed.configuration = "limits:\n  session_stair_descent_steps: 10\n"
        writer.changeContext(changed, time: 0.015)
        writer.append(SensorSample(time: 0.02, accel: Vector3(1, 0, 0), gyro: nil, kneeFlexDeg: 5), sequence: 2)
        writer.close()
        #expect(storage.files.count == 3)
        let second = try RecordingFixtures.readAll(storage.files[1].bytes)
        #expect(!second.0.hasGyro && second.1.count == 1)
        #expect(second.0.events.map(\.event.kind) == [.configurationChange])
        let third = try RecordingFixtures.readAll(storage.files[2].bytes)
        #expect(third.0.context?.configuration == changed.configuration)
        #expect(third.0.context?.part == 3)
    }

    @Test func unrecordableSamplesAreCountedNotWritten() throws {
        let storage = MemoryRecordingStorage()
        var writer = RecordingWriter(storage: storage, context: RecordingFixtures.context, logger: CapturedLog().logger)
        writer.append(SensorSample(time: 0, accel: Vector3(1, 0, 0), gyro: nil, kneeFlexDeg: 5), sequence: 0)
        let bad = SensorSample(time: 0.01, accel: Vector3(.nan, 0, 0), gyro: nil, kneeFlexDeg: 5)
        #expect(writer.append(bad, sequence: 1).accel.x.isNaN)
        writer.append(SensorSample(time: 0, accel: Vector3(1, 0, 0), gyro: nil, kneeFlexDeg: 5), sequence: 2)
        writer.close()
        #expect(writer.state.unrecordableSamples == 2)
        #expect(try RecordingFixtures.readAll(storage.files[0].bytes).1.count == 1)
    }

    @Test func fileNamesSortInRecordingOrderAndCarryTheUTCStart() {
        let directory = RecordingDirectory(path: "/x")
        #expect(directory.fileName(part: 3, startUnixTimeS: 1_700_000_000.7) == "kneeload-0003-20231114T221320Z.klr")
        #expect(directory.fileName(part: 12, startUnixTimeS: 951_782_400, attempt: 2) == "kneeload-0012-20000229T000000Z.2.klr")
        #expect(directory.fileName(part: 1, startUnixTimeS: nil) == "kneeload-0001.klr")
    }
}
