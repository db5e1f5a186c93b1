// kneeload-bench: engine and replay throughput (CSV and binary recording), recording size, and allocations
// per sample, printed as plain figures.
//
//   swift run -c release kneeload-bench [samples]
//
// The samples are the built-in `mixed` scenario recorded once at 200 Hz through the simulated rig, repeated
// back to back with shifted timestamps until there are enough (10 million by default). Allocations are
// counted by malloc-interposer, which has to be preloaded: the benchmark re-executes itself with LD_PRELOAD
// set when the library sits next to it, and says so when counting is unavailable.

import GaitSimulator
import KneeloadCore
import KneeloadEngine
import KneeloadRecording
import KneeloadReplay
import KneeloadSimulation
import Logging
import MallocInterposerSwift

#if canImport(Glibc)
    import Glibc
#endif

preloadInterposerIfNeeded()

let requested = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 10_000_000
let rate = 200.0

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

func printLine(_ text: String) {
    let bytes = Array((text + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
}

func format(_ value: Double, _ decimals: Int) -> String {
    var bytes: [UInt8] = []
    FixedPointText.append(value, decimals: decimals, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
}

// One recording of `mixed` through the chips and drivers.
let scenario = try Scenario.builtIn(named: "mixed")
var recording: [SensorSample] = []
try SimulationRunner(rig: SimulatedRig(scenario: scenario), rateHz: rate).run { sample, _ in recording.append(sample) }
let period = 1 / rate
let span = Double(recording.count) * period
var samples: [SensorSample] = []
samples.reserveCapacity(requested)
while samples.count < requested {
    let shift = Double(samples.count / recording.count) * span
    for sample in recording where samples.count < requested {
        var shifted = sample
        shifted.time += shift
        samples.append(shifted)
    }
}
printLine("workload: \(samples.count) samples at \(Int(rate)) Hz (\(format(Double(samples.count) / rate / 3600, 2)) h), the mixed scenario repeated")

/// Runs `body` over every sample; returns seconds and allocations per sample (nil when not counted).
/// Never inlined, so `valgrind --tool=callgrind --toggle-collect='*measure*'` counts the measured loops only.
@inline(never)
func measure(_ name: String, count: Int, _ body: (inout EventBuffer) -> Void) {
    var events = EventBuffer(reservingCapacity: 256)
    let counting = interposerActive()
    if counting {
        MallocInterposerSwift.reset()
        MallocInterposerSwift.hook()
    }
    let start = now()
    body(&events)
    let seconds = now() - start
    var allocations = "not counted (malloc-interposer not preloaded)"
    if counting {
        MallocInterposerSwift.unhook()
        let allocated = MallocInterposerSwift.getStatistics().mallocCount
        allocations = "\(allocated) allocations in all, \(format(Double(allocated) / Double(count), 6)) per sample"
    }
    printLine("\(name): \(format(Double(count) / seconds / 1e6, 2)) M samples/s (\(format(seconds, 3)) s); \(allocations)")
}

measure("engine (KneeLoadEngine)", count: samples.count) { events in
    var engine = KneeLoadEngine(configuration: EngineConfiguration(bodyHeightM: scenario.subject.heightM))
    for sample in samples {
        engine.process(sample, events: &events)
        if events.count > 128 { events.removeAll() }
    }
    engine.finish(events: &events)
    precondition(engine.totals.steps > 0)
}

measure("monitor (engine + accumulator + alerts)", count: samples.count) { events in
    var monitor = try! LoadMonitor(configuration: EngineConfiguration(bodyHeightM: scenario.subject.heightM))
    for sample in samples {
        monitor.process(sample, events: &events)
        if events.count > 128 { events.removeAll() }
    }
    monitor.finish(events: &events)
    precondition(monitor.totals.steps > 0)
}

measure("engine in runs of 4096 samples, as `kneeload replay` feeds it", count: samples.count) { events in
    var engine = KneeLoadEngine(configuration: EngineConfiguration(bodyHeightM: scenario.subject.heightM))
    samples.withUnsafeBufferPointer { all in
        var start = 0
        while start < all.count {
            let end = min(start + 4096, all.count)
            engine.process(contentsOf: UnsafeBufferPointer(rebasing: all[start..<end]), events: &events)
            events.removeAll()
            start = end
        }
    }
    engine.finish(events: &events)
    precondition(engine.totals.steps > 0)
}

// Output fingerprints: every event's and the final totals' exact bits, hashed, for one hour with and without
// the gyro, the monitor with low limits in cooldown mode so alerts fire and re-arm. A speed-up must leave them
// unchanged (the replay JSON rounds to three decimals; these catch a change in the last bit).
struct Fingerprint {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ word: UInt64) {
        value = (value ^ word) &* 0x0000_0100_0000_01b3
    }

    mutating func add(_ number: Double) { add(number.bitPattern) }

    mutating func add(_ events: EventBuffer) {
        for event in events.events {
            switch event {
            case .step(let s):
                add(UInt64(1))
                add(s)
            case .stairDescentStep(let s):
                add(UInt64(2))
                add(s)
            case .alert(let a):
                add(UInt64(3 + AlertKind.allCases.firstIndex(of: a.kind)! * 2 + (a.level == .alert ? 1 : 0)))
                add(a.t)
                add(a.value)
                add(a.limit)
            }
        }
    }

    mutating func add(_ step: StepLoad) {
        add(step.time)
        add(step.peakBW)
        add(step.impulseBWs)
    }

    mutating func add(_ totals: EngineTotals) {
        for count in [totals.samples, totals.rejectedSamples, totals.droppedSamples, totals.steps,
            totals.stairDescentSteps, totals.stairDescentFlights]
        {
            add(UInt64(count))
        }
        for number in [totals.durationS, totals.sampleRateHz, totals.cumulativeLoadBWs, totals.quasiStaticLoadBWs,
            totals.peakBW]
        {
            add(number)
        }
    }

    var hex: String { String(value, radix: 16) }
}

var lowLimits = AlertLimits()
lowLimits.sessionLoadBWs = 40
lowLimits.loadRateBWsPerMin = 15
lowLimits.sessionStairDescentSteps = 4
lowLimits.rearm = .cooldown
lowLimits.cooldownS = 20
for withGyro in [true, false] {
    var engineFingerprint = Fingerprint()
    var monitorFingerprint = Fingerprint()
    var engine = KneeLoadEngine(configuration: EngineConfiguration(bodyHeightM: scenario.subject.heightM))
    var monitor = try LoadMonitor(configuration: EngineConfiguration(bodyHeightM: scenario.subject.heightM), limits: lowLimits)
    var engineEvents = EventBuffer(reservingCapacity: 256)
    var monitorEvents = EventBuffer(reservingCapacity: 256)
    for var sample in samples.prefix(Int(3600 * rate)) {
        if !withGyro { sample.gyro = nil }
        engine.process(sample, events: &engineEvents)
        monitor.process(sample, events: &monitorEvents)
        engineFingerprint.add(engineEvents)
        engineEvents.removeAll()
        monitorFingerprint.add(monitorEvents)
        monitorEvents.removeAll()
    }
    engine.finish(events: &engineEvents)
    monitor.finish(events: &monitorEvents)
    engineFingerprint.add(engineEvents)
    engineFingerprint.add(engine.totals)
    monitorFingerprint.add(monitorEvents)
    monitorFingerprint.add(monitor.totals)
    monitorFingerprint.add(monitor.accumulator.lifetimeLoadBWs)
    monitorFingerprint.add(monitor.accumulator.loadLastTenMinutesBWs)
    printLine("output fingerprint, one hour \(withGyro ? "with" : "without") gyro: engine \(engineFingerprint.hex), monitor \(monitorFingerprint.hex)")
}

// Replay from CSV: one hour at 200 Hz written by the CSV writer, then parsed.
// One hour, or all the samples when fewer are asked for (a short run under callgrind).
let hour = min(Int(3600 * rate), samples.count)
var writer = ReplayCSVWriter(hasGyro: true)
for sample in samples.prefix(hour) { writer.append(sample) }
let csv = writer.buffer
let parseStart = now()
var reader = try ReplayCSVReader(file: "bench.csv", bytes: csv)
var rows = 0
while let _ = try reader.next() { rows += 1 }
let parseSeconds = now() - parseStart
printLine("csv parse: \(format(Double(rows) / parseSeconds / 1e6, 2)) M rows/s (\(rows) rows, \(csv.count >> 20) MiB, \(format(parseSeconds, 3)) s)")

var replayEvents = EventBuffer(reservingCapacity: 256)
let replayStart = now()
var replayReader = try ReplayCSVReader(file: "bench.csv", bytes: csv)
var replayMonitor = try LoadMonitor(configuration: EngineConfiguration(bodyHeightM: scenario.subject.heightM))
while let sample = try replayReader.next() {
    replayMonitor.process(sample, events: &replayEvents)
    if replayEvents.count > 128 { replayEvents.removeAll() }
}
let replaySeconds = now() - replayStart
printLine("csv replay (parse + monitor), one hour at 200 Hz: \(format(Double(rows) / replaySeconds / 1e6, 2)) M rows/s (\(format(replaySeconds, 3)) s)")
measureReplay("csv replay as `kneeload replay` runs it on two cores (parse ‖ monitor)", csv, rows: rows, unit: "rows")

// The binary recording of the same hour: size, write time, decode and replay throughput.
let writeStart = now()
let storage = BenchRecordingStorage()
var recorder = RecordingWriter(
    storage: storage, context: RecordingContext(source: "kneeload-bench", nominalRateHz: rate), logger: Logger(label: "bench"))
for (index, sample) in samples.prefix(hour).enumerated() { recorder.append(sample, sequence: UInt64(index)) }
recorder.close()
let writeSeconds = now() - writeStart
let recordingBytes = storage.bytes
printLine(
    "recording, one hour at 200 Hz: \(format(Double(recordingBytes.count) / Double(hour), 2)) bytes/sample "
        + "(\(recordingBytes.count >> 10) KiB; CSV \(format(Double(csv.count) / Double(hour), 1)) bytes/row); "
        + "written at \(format(Double(hour) / writeSeconds / 1e6, 2)) M samples/s")
var decodeSeconds = Double.infinity
var decoded = 0
for _ in 0..<3 {
    let start = now()
    var recordingReader = try RecordingReader(file: "bench.klr", bytes: recordingBytes)
    decoded = 0
    var checksum = 0.0
    while let sample = recordingReader.next() {
        decoded += 1
        checksum += sample.kneeFlexDeg
    }
    decodeSeconds = min(decodeSeconds, now() - start)
    precondition(decoded == hour && checksum.isFinite && recordingReader.diagnostics.isEmpty)
}
printLine("recording decode, one hour at 200 Hz: \(format(Double(decoded) / decodeSeconds / 1e6, 2)) M samples/s (\(format(decodeSeconds, 3)) s, best of 3)")
var recordingEvents = EventBuffer(reservingCapacity: 256)
let recordingReplayStart = now()
var recordingReplayReader = try RecordingReader(file: "bench.klr", bytes: recordingBytes)
var recordingMonitor = try LoadMonitor(configuration: EngineConfiguration(bodyHeightM: scenario.subject.heightM))
while let sample = recordingReplayReader.next() {
    recordingMonitor.process(sample, events: &recordingEvents)
    if recordingEvents.count > 128 { recordingEvents.removeAll() }
}
let recordingReplaySeconds = now() - recordingReplayStart
printLine("recording replay (decode + monitor), one hour at 200 Hz: \(format(Double(hour) / recordingReplaySeconds / 1e6, 2)) M samples/s (\(format(recordingReplaySeconds, 3)) s)")
measureReplay("recording replay as `kneeload replay` runs it (decode ‖ engine ‖ accounting)", recordingBytes, rows: hour, unit: "samples")

/// `ReplaySession` as the replay command uses it: reading on a thread of its own, and for a recording (or CSV
/// with more than two cores) the engine too, while this one accounts the load and evaluates alerts; events
/// collected and put in time order. Best of 3.
func measureReplay(_ name: String, _ bytes: [UInt8], rows: Int, unit: String) {
    var best = Double.infinity
    for _ in 0..<3 {
        let start = now()
        let session = try! ReplaySession(
            input: bytes, file: "bench", configuration: EngineConfiguration(bodyHeightM: scenario.subject.heightM),
            limits: AlertLimits(), readAhead: true)
        best = min(best, now() - start)
        precondition(session.summary.samples == rows)
    }
    printLine("\(name), one hour at 200 Hz: \(format(Double(rows) / best / 1e6, 2)) M \(unit)/s (\(format(best, 3)) s, best of 3)")
}

/// The recording kept in memory, so the benchmark measures encoding and decoding, not the disk.
final class BenchRecordingStorage: RecordingStorage, RecordingOutput {
    private(set) var bytes: [UInt8] = []
    let name = "memory"
    func create(part: Int, startUnixTimeS: Double?) throws(RecordingStorageError) -> any RecordingOutput { self }
    func write(_ more: [UInt8]) throws(RecordingStorageError) { bytes += more }
    func synchronize() throws(RecordingStorageError) {}
    func close() throws(RecordingStorageError) {}
}

/// True when the interposer is loaded into this process and sees allocations.
func interposerActive() -> Bool {
    MallocInterposerSwift.initialize()
    MallocInterposerSwift.reset()
    MallocInterposerSwift.hook()
    let probe = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 16)
    probe.deallocate()
    MallocInterposerSwift.unhook()
    return MallocInterposerSwift.getStatistics().mallocCount > 0
}

/// Re-executes with malloc-interposer preloaded, once, when its library is next to this executable.
func preloadInterposerIfNeeded() {
    guard getenv("KNEELOAD_BENCH_PRELOADED") == nil else { return }
    var path = [CChar](repeating: 0, count: 4096)
    let length = readlink("/proc/self/exe", &path, path.count - 1)
    guard length > 0 else { return }
    let executable = String(decoding: path[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let directory = executable.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    let library = directory + "/libMallocInterposerSwift.so"
    guard access(library, R_OK) == 0 else { return }
    setenv("KNEELOAD_BENCH_PRELOADED", "1", 1)
    setenv("LD_PRELOAD", library, 1)
    var arguments = CommandLine.arguments.map { strdup($0) }
    arguments.append(nil)
    execv(executable, &arguments)
    // execv only returns on failure: carry on without counting.
}
