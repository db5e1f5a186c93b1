import KneeloadCore

/// The whole per-sample pipeline the daemon and replay share: `KneeLoadEngine` (steps, stair descents, load)
/// feeding `LoadAccumulator` (session, windows, days) and `AlertPolicy` (limits), so that a recording
/// replayed on a laptop raises the same alerts at the same sample as the board did.
///
/// Load enters the accumulator at the time the engine accounts for it: a step's impulse when its step event
/// is emitted (a stride or so after its foot contact), quasi-static load sample by sample. The step events
/// themselves keep their foot-contact times. Alerts are evaluated whenever load or counts change and at
/// least every `evaluationInterval` of engine time (for cooldowns and windows that empty), so an alert
/// carries the time of the sample at which its value passed the limit.
public struct LoadMonitor: Sendable {
    public private(set) var engine: KneeLoadEngine
    public private(set) var accumulator: LoadAccumulator
    public private(set) var policy: AlertPolicy
    /// Times the accumulator or the policy refused an input (it cannot happen with the engine's checked
    /// times; counted rather than trapped so a bug there can never stop monitoring).
    public private(set) var refusedUpdates = 0

    /// Engine time between alert evaluations when nothing changes, seconds.
    public static let evaluationInterval = 0.1

    private var accountedLoadBWs = 0.0
    private var lastEvaluation = -Double.infinity
    private var engineEvents = EventBuffer()

    public init(
        configuration: EngineConfiguration = EngineConfiguration(), limits: AlertLimits = AlertLimits(),
        localTime: LocalTime = .unixEpochUTC
    ) throws(AlertPolicyError) {
        engine = KneeLoadEngine(configuration: configuration)
        accumulator = LoadAccumulator(localTime: localTime)
        policy = try AlertPolicy(limits: limits)
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
        try self.init(configuration: configuration, limits: limits, localTime: accumulator.localTime)
        self.accumulator = accumulator
        if let calibration { engine = KneeLoadEngine(configuration: configuration, calibration: calibration) }
        if let alerts {
            policy = try AlertPolicy(restoring: alerts)
            try policy.updateLimits(limits)
        }
    }

    /// New limits from a reloaded configuration; the state of each alert kind is kept.
    public mutating func updateLimits(_ limits: AlertLimits) throws(AlertPolicyError) {
        try policy.updateLimits(limits)
    }

    /// Processes one sample; step, stair-descent and alert events are appended to `events` in the order they
    /// happen to the engine (steps with their earlier foot-contact times, alerts with the current time).
    public mutating func process(_ sample: SensorSample, events: inout EventBuffer) {
        let acceptedBefore = engine.acceptedSamples
        engine.process(sample, events: &engineEvents)
        guard engine.acceptedSamples != acceptedBefore else { return }
        if accumulator.currentSession == nil { update { (a) throws(LoadAccumulatorError) in try a.startSession(at: sample.time) } }
        account(at: sample.time, events: &events)
    }

    /// Flushes what the engine still holds (the last stride) at the end of a recording.
    public mutating func finish(events: inout EventBuffer) {
        engine.finish(events: &engineEvents)
        account(at: max(engine.timing.lastTime ?? 0, accumulator.latestT), events: &events, force: true)
    }

    /// The runner acknowledges every active alert.
    @discardableResult
    public mutating func acknowledge(at t: Double) -> [AlertEvent] {
        do {
            return try policy.acknowledge(at: t)
        } catch {
            refusedUpdates += 1
            return []
        }
    }

    /// A sensor fault reported from outside the engine (by the daemon's sampling loop).
    public mutating func raiseSensorFault(at t: Double, events: inout EventBuffer) {
        do {
            if let event = try policy.raise(.sensorFault, at: t) { events.append(.alert(event)) }
        } catch {
            refusedUpdates += 1
        }
    }

    public var totals: EngineTotals { engine.totals }

    /// Most samples bring no step event, no load and no evaluation: that is decided here, inlined into
    /// `process`, without the call into the full bookkeeping (and its register saving) below.
    @inline(__always)
    private mutating func account(at t: Double, events: inout EventBuffer, force: Bool = false) {
        if !force && engineEvents.count == 0 && !(engine.cumulativeLoadBWs - accountedLoadBWs > 0)
            && t - lastEvaluation < Self.evaluationInterval
        {
            return
        }
        accountChanges(at: t, events: &events, force: force)
    }

    @inline(never)
    private mutating func accountChanges(at t: Double, events: inout EventBuffer, force: Bool) {
        var changed = force
        var index = 0
        // Indexed reads, no copy of the array: emptying it afterwards must not trigger copy-on-write.
        let count = engineEvents.count
        while index < count {
            let event = engineEvents.events[index]
            events.append(event)
            if case .step = event {
                // A descent step comes as .step then .stairDescentStep: count it once, as a descent.
                if index + 1 < count, case .stairDescentStep = engineEvents.events[index + 1] {
                    events.append(engineEvents.events[index + 1])
                    index += 1
                    update { (a) throws(LoadAccumulatorError) in try a.addStairDescentStep(at: t) }
                } else {
                    update { (a) throws(LoadAccumulatorError) in try a.addStep(at: t) }
                }
                changed = true
            }
            index += 1
        }
        if count > 0 { engineEvents.removeAll() }
        let load = engine.cumulativeLoadBWs - accountedLoadBWs
        if load > 0 {
            accountedLoadBWs = engine.cumulativeLoadBWs
            update { (a) throws(LoadAccumulatorError) in try a.add(loadBWs: load, at: t) }
            changed = true
        }
        guard changed || t - lastEvaluation >= Self.evaluationInterval else { return }
        lastEvaluation = t
        // A step or load just added at `t` has moved the accumulator to `t` already; moving it there again
        // would change nothing (and cost a check, a window and a local-day look-up per sample).
        if accumulator.latestT != t { update { (a) throws(LoadAccumulatorError) in try a.advance(to: t) } }
        let fired: [AlertEvent]
        do {
            fired = try policy.evaluate(at: t, accumulator.alertInputs)
        } catch {
            refusedUpdates += 1
            return
        }
        for alert in fired { events.append(.alert(alert)) }
    }

    private mutating func update(_ body: (inout LoadAccumulator) throws(LoadAccumulatorError) -> Void) {
        do {
            try body(&accumulator)
        } catch {
            refusedUpdates += 1
        }
    }
}
