import GaitSimulator
import KneeloadCore
import KneeloadEngine
import KneeloadRecording
import KneeloadSimulation
import Logging
import Testing

@testable import KneeloadReplay

/// Reading ahead on a second thread changes nothing a replay reports: the same samples in the same order, an
/// input error after exactly the samples before it, the same diagnostics, events and totals.
@Suite struct PipelinedSampleSourceTests {
    static let samples: [SensorSample] = {
        let rig = SimulatedRig(scenario: try! Scenario.builtIn(named: "mixed"), seed: 3)
        var samples: [SensorSample] = []
        try! SimulationRunner(rig: rig, rateHz: 200).run(duration: 120) { sample, _ in samples.append(sample) }
        return samples
    }()

    static func csv(badRowAfter bad: Int? = nil) -> [UInt8] {
        var writer = ReplayCSVWriter(hasGyro: true)
        for (index, sample) in samples.enumerated() {
            writer.append(sample)
            if index == bad { writer.append(SensorSample(time: .nan, accel: .zero, gyro: .zero, kneeFlexDeg: 0)) }
        }
        var bytes = writer.buffer
        if bad != nil, let range = findNaNRow(bytes) {
            bytes.replaceSubrange(range, with: Array("0.5,1,zero,0".utf8))
        }
        return bytes
    }

    /// The row the NaN sample became (the writer may write "nan"), to be replaced by a malformed one.
    static func findNaNRow(_ bytes: [UInt8]) -> Range<Int>? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let line = text.split(separator: "\n", omittingEmptySubsequences: false).first(where: { $0.lowercased().hasPrefix("nan") })
        else { return nil }
        let start = text.utf8.distance(from: text.startIndex, to: line.startIndex)
        return start..<(start + line.utf8.count)
    }

    static func recording(damaged: Bool) throws -> [UInt8] {
        final class Memory: RecordingStorage, @unchecked Sendable {
            final class File: RecordingOutput {
                var bytes: [UInt8] = []
                let name = "memory.klr"
                func write(_ more: [UInt8]) throws(RecordingStorageError) { bytes += more }
                func synchronize() throws(RecordingStorageError) {}
                func close() throws(RecordingStorageError) {}
            }
            let file = File()
            func create(part: Int, startUnixTimeS: Double?) throws(RecordingStorageError) -> any RecordingOutput { file }
        }
        let storage = Memory()
        let context = RecordingContext(
            source: "test", nominalRateHz: 200, axisRemap: "x,y,z", imuChip: "mpu6050", kneeSensorChip: "ads1115",
            accelRangeG: 16, gyroRangeDps: 2000, flexCalibration: nil, configuration: "")
        var writer = RecordingWriter(
            storage: storage, context: context, policy: .singleFile, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        for (index, sample) in samples.enumerated() { writer.append(sample, sequence: UInt64(index)) }
        writer.close()
        var bytes = storage.file.bytes
        if damaged {
            // Two frames' worth of damage in the middle and one near the end.
            bytes[bytes.count / 2] ^= 0x5a
            bytes[bytes.count / 2 + 3000] ^= 0x01
            bytes[bytes.count - 900] ^= 0x80
        }
        return bytes
    }

    func drain<Source: ReplaySampleSource>(_ source: inout Source) -> ([SensorSample], String?) {
        var read: [SensorSample] = []
        do {
            while let sample = try source.nextSample() { read.append(sample) }
            return (read, nil)
        } catch {
            return (read, "\(error)")
        }
    }

    @Test func aRecordingReadsTheSameWithItsDiagnostics() throws {
        let bytes = try Self.recording(damaged: true)
        var direct = try RecordingReader(file: "r.klr", bytes: bytes)
        let expected = drain(&direct)
        #expect(!direct.diagnostics.isEmpty)
        #expect(expected.0.count > 3 * 4096)
        var pipelined = PipelinedSampleSource(try RecordingReader(file: "r.klr", bytes: bytes))
        let got = drain(&pipelined)
        #expect(got.0 == expected.0)
        #expect(got.1 == nil && expected.1 == nil)
        #expect(pipelined.finishedBase?.diagnostics == direct.diagnostics)
        #expect(pipelined.fractionRead == 1)
    }

    @Test(arguments: [0, 4095, 4096, 10_000, samples.count - 1])
    func aCSVErrorComesAfterExactlyTheSamplesBeforeIt(badRowAfter: Int) throws {
        let bytes = Self.csv(badRowAfter: badRowAfter)
        var direct = try ReplayCSVReader(file: "r.csv", bytes: bytes)
        let expected = drain(&direct)
        #expect(expected.0.count == badRowAfter + 1)
        #expect(expected.1?.contains("zero") == true, "\(expected.1 ?? "no error")")
        var pipelined = PipelinedSampleSource(try ReplayCSVReader(file: "r.csv", bytes: bytes))
        let got = drain(&pipelined)
        #expect(got.0 == expected.0)
        #expect(got.1 == expected.1)
        // And once ended it stays ended.
        #expect((try? pipelined.nextSample()) == .some(nil))
    }

    /// Replays `bytes` on one thread, then with reading and with reading and the engine on threads of their own;
    /// expects the same report every way.
    @discardableResult
    func expectSameReplayEitherWay(_ bytes: [UInt8], limits: AlertLimits) throws -> ReplaySession {
        func replay(_ threading: ReplayThreading) throws -> ReplaySession {
            if RecordingFormat.isRecording(bytes) {
                return try ReplaySession(
                    recording: bytes, file: "f", configuration: EngineConfiguration(), limits: limits, threading: threading)
            }
            return try ReplaySession(
                csv: bytes, file: "f", configuration: EngineConfiguration(), limits: limits, threading: threading)
        }
        let serial = try replay(.serial)
        for threading in [ReplayThreading.readAhead, .readAheadAndEngine] {
            let other = try replay(threading)
            #expect(other.events == serial.events, "\(threading)")
            #expect(other.summary.totals == serial.summary.totals, "\(threading)")
            #expect(other.summary.alerts == serial.summary.alerts, "\(threading)")
            #expect(other.summary.warnings == serial.summary.warnings, "\(threading)")
            #expect(other.summary.diagnostics == serial.summary.diagnostics, "\(threading)")
            #expect(other.summary.samples == serial.summary.samples, "\(threading)")
            #expect(other.summary.maxLoadLastMinuteBWs == serial.summary.maxLoadLastMinuteBWs, "\(threading)")
        }
        return serial
    }

    @Test func aReplayReportsTheSameEitherWay() throws {
        var limits = AlertLimits()
        limits.sessionLoadBWs = 40
        limits.sessionStairDescentSteps = 10
        for bytes in [Self.csv(), try Self.recording(damaged: true)] {
            let serial = try expectSameReplayEitherWay(bytes, limits: limits)
            #expect(!serial.summary.alerts.isEmpty && serial.summary.totals.steps > 50)
        }
    }

    /// Alerts that fire, re-arm and fire again (cooldown mode, low limits) come out the same from the engine
    /// on its own thread as from `LoadMonitor`, batch edges included.
    @Test func theEngineOnItsOwnThreadGivesTheSameAlerts() throws {
        var limits = AlertLimits()
        limits.sessionLoadBWs = 30
        limits.loadRateBWsPerMin = 8
        limits.sessionStairDescentSteps = 4
        limits.rearm = .cooldown
        limits.cooldownS = 5
        let serial = try expectSameReplayEitherWay(Self.csv(), limits: limits)
        #expect(serial.summary.alerts.count > 10)
        #expect(Set(serial.summary.alerts.map(\.kind)).count >= 2)
    }

    @Test(arguments: [0, 4096, 10_000])
    func aReplayStopsWithTheSameCSVErrorEitherWay(badRowAfter: Int) throws {
        let bytes = Self.csv(badRowAfter: badRowAfter)
        func error(_ threading: ReplayThreading) -> String? {
            do {
                _ = try ReplaySession(
                    csv: bytes, file: "f.csv", configuration: EngineConfiguration(), limits: AlertLimits(),
                    threading: threading)
                return nil
            } catch {
                return "\(error)"
            }
        }
        let serial = error(.serial)
        #expect(serial?.contains("zero") == true, "\(serial ?? "no error")")
        #expect(error(.readAhead) == serial)
        #expect(error(.readAheadAndEngine) == serial)
    }

    @Test func threadsAreChosenBySizeCoresAndReading() {
        let large = ReplayThreading.threadsFromBytes
        #expect(ReplayThreading.choose(readAhead: nil, byteCount: large - 1, cheapReading: true, observed: false, cores: 4) == .serial)
        #expect(ReplayThreading.choose(readAhead: nil, byteCount: large, cheapReading: true, observed: false, cores: 1) == .serial)
        #expect(ReplayThreading.choose(readAhead: false, byteCount: large, cheapReading: true, observed: false, cores: 4) == .serial)
        // Decoding is cheap: two cores take three threads. Parsing CSV is not: the engine needs a third core.
        #expect(ReplayThreading.choose(readAhead: nil, byteCount: large, cheapReading: true, observed: false, cores: 2) == .readAheadAndEngine)
        #expect(ReplayThreading.choose(readAhead: nil, byteCount: large, cheapReading: false, observed: false, cores: 2) == .readAhead)
        #expect(ReplayThreading.choose(readAhead: nil, byteCount: large, cheapReading: false, observed: false, cores: 4) == .readAheadAndEngine)
        // A plot watches LoadMonitor after every sample: engine and accounting stay together.
        #expect(ReplayThreading.choose(readAhead: true, byteCount: 10, cheapReading: true, observed: true, cores: 4) == .readAhead)
    }

    @Test func leavingTheEngineStageEarlyDoesNotHang() throws {
        let bytes = Self.csv()
        for batches in [0, 1, 3] {
            var stage: EngineStage<ReplayCSVReader>? = EngineStage(
                try ReplayCSVReader(file: "r.csv", bytes: bytes), configuration: EngineConfiguration())
            for _ in 0..<batches { _ = try stage?.cursor.advance() }
            stage = nil
            #expect(stage == nil)
        }
    }

    @Test func leavingEarlyDoesNotHang() throws {
        let bytes = Self.csv()
        for taken in [0, 1, 5000] {
            var pipelined: PipelinedSampleSource<ReplayCSVReader>? = PipelinedSampleSource(try ReplayCSVReader(file: "r.csv", bytes: bytes))
            for _ in 0..<taken { _ = try pipelined?.nextSample() }
            pipelined = nil
            #expect(pipelined == nil)
        }
    }
}
