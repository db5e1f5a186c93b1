import KneeloadCore
import KneeloadRecording
import Testing

@Suite struct RecordingDamageTests {
    /// A small recording with several frames, and where each write (magic + header, then one frame each) ends.
    static let small: (bytes: [UInt8], frameEnds: [Int], samples: [SensorSample], perFrame: [Int]) = {
        let samples = try! RecordingFixtures.simulated("stairs", seconds: 2, rate: 100)
        let storage = MemoryRecordingStorage()
        var writer = RecordingWriter(
            storage: storage, context: RecordingFixtures.context, policy: RecordingPolicy(samplesPerBlock: 40),
            logger: CapturedLog().logger)
        var quantized: [SensorSample] = []
        var perFrame: [Int] = [0]  // samples complete after each write
        for (index, sample) in samples.enumerated() {
            let writes = storage.files.first?.writeEnds.count ?? 0
            quantized.append(writer.append(sample, sequence: UInt64(index)))
            if let file = storage.files.first, file.writeEnds.count > writes, writes > 0 { perFrame.append(index + 1) }
        }
        writer.close()
        let file = storage.files[0]
        perFrame.append(quantized.count)
        return (file.bytes, file.writeEnds, quantized, perFrame)
    }()

    @Test func truncationAtEveryByteLosesAtMostTheLastFrame() throws {
        let (bytes, ends, samples, perFrame) = Self.small
        #expect(ends.count == perFrame.count)
        #expect(ends.count >= 5)
        for length in 0...bytes.count {
            let cut = Array(bytes[0..<length])
            let reader: RecordingReader
            do {
                reader = try RecordingReader(file: "cut", bytes: cut)
            } catch {
                // Only a cut inside the magic or the header frame makes the file unreadable.
                #expect(length < ends[0], "length \(length): \(error)")
                continue
            }
            var copy = reader
            var read: [SensorSample] = []
            while let sample = copy.next() { read.append(sample) }
            let complete = ends.lastIndex { $0 <= length }!
            #expect(read == Array(samples.prefix(perFrame[complete])), "length \(length)")
            if ends.contains(length) {
                #expect(copy.diagnostics.isEmpty, "length \(length)")
            } else {
                #expect(copy.diagnostics.count == 1 && copy.diagnostics[0].isTruncatedTail, "length \(length)")
                #expect(copy.diagnostics.first?.offset == ends[complete], "length \(length)")
            }
        }
    }

    @Test func aDamagedFrameIsReportedAtItsOffsetAndTheRestIsRead() throws {
        let (bytes, ends, samples, perFrame) = Self.small
        var damaged = bytes
        damaged[ends[1] + 20] ^= 0x40  // inside the second samples frame
        let (reader, read) = try RecordingFixtures.readAll(damaged)
        #expect(reader.diagnostics.count == 1)
        let diagnostic = try #require(reader.diagnostics.first)
        #expect(diagnostic.offset == ends[1])
        #expect(diagnostic.problem == .checksumMismatch)
        #expect(diagnostic.skippedBytes == ends[2] - ends[1])
        #expect(diagnostic.description.contains("test.klr: byte \(ends[1]): frame checksum mismatch"))
        let lost = perFrame[2] - perFrame[1]
        #expect(read == Array(samples[0..<perFrame[1]] + samples[perFrame[2]...]))
        #expect(read.count == samples.count - lost)
    }

    @Test func garbageBetweenFramesIsSkippedWithItsOffset() throws {
        let (bytes, ends, samples, _) = Self.small
        let garbage = [UInt8](repeating: 0x55, count: 37) + [0xE2, 0x4B, 0x46]  // and a sync word cut short
        let spliced = Array(bytes[0..<ends[2]]) + garbage + Array(bytes[ends[2]...])
        let (reader, read) = try RecordingFixtures.readAll(spliced)
        #expect(read == samples)
        #expect(reader.diagnostics == [RecordingDiagnostic(file: "test.klr", offset: ends[2], problem: .noFrameSync, skippedBytes: 40)])
    }

    @Test func notARecordingAndADamagedHeaderAreErrorsWithOffsets() {
        #expect(throws: RecordingError(file: "x", offset: 0, problem: .notARecording)) {
            try RecordingReader(file: "x", bytes: Array("t_s,ax_g\n".utf8))
        }
        var bytes = Self.small.bytes
        bytes[20] ^= 1  // inside the header payload
        #expect(throws: RecordingError(file: "x", offset: 8, problem: .headerDamaged("checksum mismatch"))) {
            try RecordingReader(file: "x", bytes: bytes)
        }
    }

    /// Thousands of seeded mutations: every one either fails with a positioned error or reads to the end,
    /// with sane samples and diagnostics inside the file.
    @Test func mutatedRecordingsNeverTrap() throws {
        let original = Self.small.bytes
        var random = SeededGenerator(seed: 5)
        var readable = 0
        var diagnosed = 0
        for _ in 0..<3000 {
            var bytes = original
            for _ in 0..<(1 + Int(random.next() % 4)) { Self.mutate(&bytes, &random) }
            do {
                var reader = try RecordingReader(file: "m", bytes: bytes)
                var previous = -Double.infinity
                while let sample = reader.next() {
                    #expect(sample.time > previous)
                    #expect(sample.accel.x.isFinite && sample.kneeFlexDeg.isFinite)
                    previous = sample.time
                }
                readable += 1
                if !reader.diagnostics.isEmpty { diagnosed += 1 }
                for diagnostic in reader.diagnostics {
                    #expect(diagnostic.offset >= 8 && diagnostic.offset <= bytes.count)
                }
            } catch {
                #expect(error.offset >= 0 && error.offset <= 8)
            }
        }
        #expect(readable > 1000 && diagnosed > 500)
    }

    @Test func mutatedCSVsNeverTrap() throws {
        let samples = try RecordingFixtures.simulated("walk", seconds: 1, rate: 50)
        var writer = ReplayCSVWriter(hasGyro: true, extraColumns: ["label"], comments: ["fuzz"])
        for sample in samples { writer.append(sample, extra: ["walk"]) }
        let original = writer.buffer
        var random = SeededGenerator(seed: 11)
        var failures = 0
        for _ in 0..<3000 {
            var bytes = original
            for _ in 0..<(1 + Int(random.next() % 3)) { Self.mutate(&bytes, &random) }
            do {
                var reader = try ReplayCSVReader(file: "m.csv", bytes: bytes)
                while let sample = try reader.next() { #expect(sample.time.isFinite) }
            } catch {
                failures += 1
                #expect(error.line >= 1 && error.file == "m.csv")
            }
        }
        #expect(failures > 100)
    }

    static func mutate(_ bytes: inout [UInt8], _ random: inout SeededGenerator) {
        guard !bytes.isEmpty else {
            bytes.append(UInt8(truncatingIfNeeded: random.next()))
            return
        }
        let at = Int(random.next() % UInt64(bytes.count))
        switch random.next() % 6 {
        case 0: bytes[at] ^= UInt8(1) << UInt8(random.next() % 8)
        case 1: bytes[at] = UInt8(truncatingIfNeeded: random.next())
        case 2: bytes.removeSubrange(at..<min(bytes.count, at + 1 + Int(random.next() % 64)))
        case 3: bytes.insert(contentsOf: (0..<(1 + random.next() % 16)).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
        case 4:
            let end = min(bytes.count, at + 1 + Int(random.next() % 200))
            bytes.insert(contentsOf: Array(bytes[at..<end]), at: Int(random.next() % UInt64(bytes.count)))
        default: bytes.removeSubrange(at...)
        }
    }
}
