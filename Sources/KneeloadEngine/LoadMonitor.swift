import KneeloadCore

/// The whole per-sample pipeline the daemon and replay share: `KneeLoadEngine` (steps, stair descents, load)
/// feeding `LoadAccounting` (`LoadAccumulator` for session, windows and days; `AlertPolicy` for limits), so
/// that a recording replayed on a laptop raises the same alerts at the same sample as the board did.
public struct LoadMonitor: Sendable {
    public private(set) var engine: KneeLoadEngine
    public private(set) var accounting: LoadAccounting
    public var accumulator: LoadAccumulator { accounting.accumulator }
    public var policy: AlertPolicy { accounting.policy }
    /// Times the accumulator or the policy refused an input (see `LoadAccounting.refusedUpdates`).
    public var refusedUpdates: Int { accounting.refusedUpdates }

    /// Engine time between alert evaluations when nothing changes, seconds.
    public static var evaluationInterval: Double { LoadAccounting.evaluationInterval }

    private var engineEvents = EventBuffer()

    public init(
        configuration: EngineConfiguration = EngineConfiguration(), limits: AlertLimits = AlertLimits(),
        localTime: LocalTime = .unixEpochUTC
    ) throws(AlertPolicyError) {
        engine = KneeLoadEngine(configuration: configuration)
        accounting = LoadAccounting(accumulator: LoadAccumulator(localTime: localTime), policy: try AlertPolicy(limits: limits))
        engineEvents = EventBuffer(reservingCapacity: 16)
    }

    /// Continues from an accumulator carried over from an earlier run (the daemon restoring its saved state
    /// with `LoadAccumulator(continuing:localTime:)`): days, sessions and lifetime totals go on from there.
    ///
    /// A session resumed on the saved clock (a restart within minutes) also takes the engine's learned
    /// `calibration` and the alert policy's state (`alerts`, whose limits give way to `limits`), so alerts
    /// that fired before the restart do not fire again and cooldowns run on.
    public init(
        configuration: EngineConfiguration = EngineConfiguration(), limits: AlertLimits = AlertLimits(),
        continuing accumulator: LoadAccumulator, calibration: EngineCalibration? = nil,
        alerts: AlertPolicy.Snapshot? = nil
    ) throws(AlertPolicyError) {
        var policy = try AlertPolicy(limits: limits)
        if let alerts {
            policy = try AlertPolicy(restoring: alerts)
            try policy.updateLimits(limits)
        }
        engine =
            calibration.map { KneeLoadEngine(configuration: configuration, calibration: $0) }
            ?? KneeLoadEngine(configuration: configuration)
        accounting = LoadAccounting(accumulator: accumulator, policy: policy)
        engineEvents = EventBuffer(reservingCapacity: 16)
    }

    /// New limits from a reloaded configuration; the state of each alert kind is kept.
    public mutating func updateLimits(_ limits: AlertLimits) throws(AlertPolicyError) {
        try accounting.updateLimits(limits)
    }

    /// Processes one sample; step, stair-descent and alert events are appended to `events` in the order they
    /// happen to the engine (steps with their earlier foot-contact times, alerts with the current time).
    public mutating func process(_ sample: SensorSample, events: inout EventBuffer) {
        let acceptedBefore = engine.acceptedSamples
        engine.process(sample, events: &engineEvents)
        guard engine.acceptedSamples != acceptedBefore else { return }
        accounting.accept(
            at: sample.time, engineLoadBWs: engine.cumulativeLoadBWs, engineEvents: &engineEvents, events: &events)
    }

    /// Flushes what the engine still holds (the last stride) at the end of a recording.
    public mutating func finish(events: inout EventBuffer) {
        engine.finish(events: &engineEvents)
        accounting.finish(
            at: engine.timing.lastTime ?? 0, engineLoadBWs: engine.cumulativeLoadBWs, engineEvents: &engineEvents,
            events: &events)
    }

    /// The runner acknowledges every active alert.
    @discardableResult
    public mutating func acknowledge(at t: Double) -> [AlertEvent] {
        accounting.acknowledge(at: t)
    }

    /// A sensor fault reported from outside the engine (by the daemon's sampling loop).
    public mutating func raiseSensorFault(at t: Double, events: inout EventBuffer) {
        accounting.raiseSensorFault(at: t, events: &events)
    }

    public var totals: EngineTotals { engine.totals }
}
