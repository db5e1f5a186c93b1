import KneeloadCore
import KneeloadEngine
import KneeloadRecording

/// Replays a recording through `LoadMonitor`, the same pipeline the daemon runs, as fast as it can and
/// deterministically: the same bytes in give the same summary and the same events out.
public struct ReplaySession {
    public struct Summary: Sendable {
        public var file: String
        /// "csv" or "recording".
        public var format: String
        public var samples: Int
        public var hasGyro: Bool
        public var hasPressure: Bool
        public var totals: EngineTotals
        public var alerts: [AlertEvent]
        public var warnings: [AlertEvent]
        /// The largest knee load of any one-minute window, BW·s.
        public var maxLoadLastMinuteBWs: Double
        /// Damaged or cut-short parts of a recording that were stepped over (always empty for CSV).
        public var diagnostics: [RecordingDiagnostic] = []

        /// Frames lost to damage, not counting a cut-short last frame.
        public var damagedFrames: Int { diagnostics.filter { !$0.isTruncatedTail }.count }
        public var truncated: Bool { diagnostics.contains { $0.isTruncatedTail } }
    }

    /// Every event of the run in time order (steps at their foot contacts, alerts when they fired); equal
    /// times keep the order the pipeline produced them in.
    public private(set) var events: [EngineEvent] = []
    public private(set) var summary: Summary

    /// Sees every sample of the run and the pipeline just after it took the sample in (the plot's trace).
    public typealias Observer = (SensorSample, LoadMonitor) -> Void

    /// Runs `bytes` named `file`: a recording when it starts with the recording's magic number, else CSV.
    public init(
        input bytes: [UInt8], file: String, configuration: EngineConfiguration, limits: AlertLimits,
        progress: ((Double) -> Void)? = nil, observer: Observer? = nil, readAhead: Bool? = nil
    ) throws(ReplayError) {
        if RecordingFormat.isRecording(bytes) {
            try self.init(
                recording: bytes, file: file, configuration: configuration, limits: limits, progress: progress,
                observer: observer, readAhead: readAhead)
        } else {
            try self.init(
                csv: bytes, file: file, configuration: configuration, limits: limits, progress: progress, observer: observer,
                readAhead: readAhead)
        }
    }

    /// Runs the CSV in `bytes` (named `file` in messages). A malformed row stops the run with its
    /// `ReplayCSVError`; nothing is returned for a partial run, as CONTRACTS §2 makes it an input error.
    ///
    /// `readAhead`: parse on a second thread (and run the engine on a third where that gains time) while the
    /// pipeline runs (nil: when the input is large and there is a second core). The output is the same either way.
    public init(
        csv bytes: [UInt8], file: String, configuration: EngineConfiguration, limits: AlertLimits,
        progress: ((Double) -> Void)? = nil, observer: Observer? = nil, readAhead: Bool? = nil
    ) throws(ReplayError) {
        let threading = ReplayThreading.choose(
            readAhead: readAhead, byteCount: bytes.count, cheapReading: false, observed: observer != nil)
        try self.init(
            csv: bytes, file: file, configuration: configuration, limits: limits, progress: progress, observer: observer,
            threading: threading)
    }

    init(
        csv bytes: [UInt8], file: String, configuration: EngineConfiguration, limits: AlertLimits,
        progress: ((Double) -> Void)? = nil, observer: Observer? = nil, threading: ReplayThreading
    ) throws(ReplayError) {
        let reader: ReplayCSVReader
        do {
            reader = try ReplayCSVReader(file: file, bytes: bytes)
        } catch {
            throw .input(error)
        }
        (events, summary, _) = try Self.run(
            reader, threading: threading, file: file, configuration: configuration, limits: limits, progress: progress,
            observer: observer)
    }

    /// Runs the recording in `bytes`. Damaged frames are stepped over and listed in `summary.diagnostics`;
    /// only a recording that cannot be read at all (not one, header damaged) throws.
    /// `readAhead` as for CSV.
    public init(
        recording bytes: [UInt8], file: String, configuration: EngineConfiguration, limits: AlertLimits,
        progress: ((Double) -> Void)? = nil, observer: Observer? = nil, readAhead: Bool? = nil
    ) throws(ReplayError) {
        let threading = ReplayThreading.choose(
            readAhead: readAhead, byteCount: bytes.count, cheapReading: true, observed: observer != nil)
        try self.init(
            recording: bytes, file: file, configuration: configuration, limits: limits, progress: progress,
            observer: observer, threading: threading)
    }

    init(
        recording bytes: [UInt8], file: String, configuration: EngineConfiguration, limits: AlertLimits,
        progress: ((Double) -> Void)? = nil, observer: Observer? = nil, threading: ReplayThreading
    ) throws(ReplayError) {
        let reader: RecordingReader
        do {
            reader = try RecordingReader(file: file, bytes: bytes)
        } catch {
            throw .recording(error)
        }
        let finished: RecordingReader?
        (events, summary, finished) = try Self.run(
            reader, threading: threading, file: file, configuration: configuration, limits: limits, progress: progress,
            observer: observer)
        summary.diagnostics = finished?.diagnostics ?? []
    }

    /// Runs `reader` through the pipeline as `threading` says; returns the reader as it ended too, for what it
    /// noted along the way (a recording's diagnostics).
    private static func run<Source: ReplaySampleSource>(
        _ reader: Source, threading: ReplayThreading, file: String, configuration: EngineConfiguration,
        limits: AlertLimits, progress: ((Double) -> Void)?, observer: Observer?
    ) throws(ReplayError) -> ([EngineEvent], Summary, Source?) {
        // An observer sees `LoadMonitor` after every sample, which needs the engine and the accounting together.
        switch observer != nil && threading == .readAheadAndEngine ? .readAhead : threading {
        case .serial:
            var serial = reader
            let (events, summary) = try run(
                &serial, file: file, configuration: configuration, limits: limits, progress: progress, observer: observer)
            return (events, summary, serial)
        case .readAhead:
            var pipelined = PipelinedSampleSource(reader)
            let (events, summary) = try run(
                &pipelined, file: file, configuration: configuration, limits: limits, progress: progress,
                observer: observer)
            return (events, summary, pipelined.finishedBase)
        case .readAheadAndEngine:
            return try runStaged(reader, file: file, configuration: configuration, limits: limits, progress: progress)
        }
    }

    private static func run<Source: ReplaySampleSource>(
        _ reader: inout Source, file: String, configuration: EngineConfiguration, limits: AlertLimits,
        progress: ((Double) -> Void)?, observer: Observer?
    ) throws(ReplayError) -> ([EngineEvent], Summary) {
        var monitor: LoadMonitor
        do {
            monitor = try LoadMonitor(configuration: configuration, limits: limits, localTime: .unixEpochUTC)
        } catch {
            throw .configuration("\(error)")
        }
        var buffer = EventBuffer(reservingCapacity: 64)
        var collected: [EngineEvent] = []
        var samples = 0
        var maxWindow = 0.0
        let progressEvery = 1 << 16
        while let sample = try reader.nextSample() {
            monitor.process(sample, events: &buffer)
            observer?(sample, monitor)
            samples += 1
            if !buffer.isEmpty {
                collected.append(contentsOf: buffer.events)
                buffer.removeAll()
                maxWindow = max(maxWindow, monitor.accumulator.loadLastMinuteBWs)
            }
            if let progress, samples % progressEvery == 0 { progress(reader.fractionRead) }
        }
        monitor.finish(events: &buffer)
        collected.append(contentsOf: buffer.events)
        maxWindow = max(maxWindow, monitor.accumulator.loadLastMinuteBWs)
        return summarize(
            collected, file: file, format: Source.format, samples: samples, hasGyro: reader.hasGyro,
            hasPressure: reader.hasPressure, totals: monitor.totals, maxWindow: maxWindow)
    }

    /// The same run on three threads: reading (`PipelinedSampleSource`), the engine (`EngineStage`) and, on
    /// this one, `LoadAccounting`, given exactly what `LoadMonitor.process` would give it. Returns the reader
    /// as it ended, for what it noted along the way.
    private static func runStaged<Source: ReplaySampleSource>(
        _ reader: Source, file: String, configuration: EngineConfiguration, limits: AlertLimits,
        progress: ((Double) -> Void)?
    ) throws(ReplayError) -> ([EngineEvent], Summary, Source?) {
        var accounting: LoadAccounting
        do {
            accounting = LoadAccounting(
                accumulator: LoadAccumulator(localTime: .unixEpochUTC), policy: try AlertPolicy(limits: limits))
        } catch {
            throw .configuration("\(error)")
        }
        let hasGyro = reader.hasGyro
        let hasPressure = reader.hasPressure
        var stage = EngineStage(reader, configuration: configuration)
        var engineEvents = EventBuffer(reservingCapacity: 16)
        var buffer = EventBuffer(reservingCapacity: 64)
        var collected: [EngineEvent] = []
        var maxWindow = 0.0
        var end: EngineStage<Source>.End?
        var accounted = 0
        var nextProgress = 1 << 16
        while try stage.cursor.advance() {
            let extra = stage.cursor.extra
            var eventIndex = 0
            while stage.cursor.next < stage.cursor.end {
                // Most samples only add quasi-static load: those are accounted a run at a time.
                stage.cursor.next += accounting.acceptQuietPrefix(
                    of: UnsafeBufferPointer(start: stage.cursor.next, count: stage.cursor.end - stage.cursor.next))
                guard stage.cursor.next < stage.cursor.end else { break }
                let output = stage.cursor.next.pointee
                stage.cursor.next += 1
                if output.eventCount > 0 {
                    for index in eventIndex..<(eventIndex + output.eventCount) {
                        engineEvents.append(extra.events.events[index])
                    }
                    eventIndex += output.eventCount
                }
                accounting.accept(
                    at: output.t, engineLoadBWs: output.engineLoadBWs, engineEvents: &engineEvents, events: &buffer)
                if !buffer.isEmpty {
                    collected.append(contentsOf: buffer.events)
                    buffer.removeAll()
                    maxWindow = max(maxWindow, accounting.accumulator.loadLastMinuteBWs)
                }
            }
            if let last = extra.end { end = last }
            accounted += stage.cursor.pipe.tails[stage.cursor.slot].count
            if let progress, accounted >= nextProgress {
                progress(stage.cursor.fraction)
                nextProgress = accounted + (1 << 16)
            }
        }
        // The stage hands over its end with the last batch unless that batch carried an input error, which
        // `advance` has thrown.
        guard var end else { throw .configuration("internal error: the replay's engine stage ended without its totals") }
        accounting.finish(
            at: end.engine.timing.lastTime ?? 0, engineLoadBWs: end.engine.totals.cumulativeLoadBWs,
            engineEvents: &end.finishEvents, events: &buffer)
        collected.append(contentsOf: buffer.events)
        maxWindow = max(maxWindow, accounting.accumulator.loadLastMinuteBWs)
        let (events, summary) = summarize(
            collected, file: file, format: Source.format, samples: end.samples, hasGyro: hasGyro,
            hasPressure: hasPressure, totals: end.engine.totals, maxWindow: maxWindow)
        return (events, summary, end.base)
    }

    /// Events in time order and the run's summary.
    private static func summarize(
        _ collected: [EngineEvent], file: String, format: String, samples: Int, hasGyro: Bool, hasPressure: Bool,
        totals: EngineTotals, maxWindow: Double
    ) -> ([EngineEvent], Summary) {
        // Stable sort by time: steps are reported a stride after their contact.
        let events = collected.enumerated().sorted { a, b in
            a.element.time != b.element.time ? a.element.time < b.element.time : a.offset < b.offset
        }.map(\.element)
        var alerts: [AlertEvent] = []
        var warnings: [AlertEvent] = []
        for case .alert(let alert) in events {
            if alert.level == .alert { alerts.append(alert) } else { warnings.append(alert) }
        }
        let summary = Summary(
            file: file, format: format, samples: samples, hasGyro: hasGyro, hasPressure: hasPressure,
            totals: totals, alerts: alerts, warnings: warnings, maxLoadLastMinuteBWs: maxWindow)
        return (events, summary)
    }
}

public enum ReplayError: Error, CustomStringConvertible {
    case input(ReplayCSVError)
    case recording(RecordingError)
    case configuration(String)

    public var description: String {
        switch self {
        case .input(let error): "\(error)"
        case .recording(let error): "\(error)"
        case .configuration(let text): text
        }
    }
}
