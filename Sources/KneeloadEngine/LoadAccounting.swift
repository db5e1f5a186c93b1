/// What `LoadMonitor` does with the engine's output: steps and load into `LoadAccumulator`, totals through
/// `AlertPolicy`. It sees only what the engine hands over per accepted sample (its time, the engine's
/// cumulative load and the events since the last one), so a replay can run it on another thread than the
/// engine and still produce exactly what `LoadMonitor` produces.
///
/// Load enters the accumulator at the time the engine accounts for it: a step's impulse when its step event
/// is emitted (a stride or so after its foot contact), quasi-static load sample by sample. The step events
/// themselves keep their foot-contact times. Alerts are evaluated whenever load or counts change and at
/// least every `evaluationInterval` of engine time (for cooldowns and windows that empty), so an alert
/// carries the time of the sample at which its value passed the limit.
public struct LoadAccounting: Sendable {
    public private(set) var accumulator: LoadAccumulator
    public private(set) var policy: AlertPolicy
    /// Times the accumulator or the policy refused an input (it cannot happen with the engine's checked
    /// times; counted rather than trapped so a bug there can never stop monitoring).
    public private(set) var refusedUpdates = 0

    /// Engine time between alert evaluations when nothing changes, seconds.
    public static let evaluationInterval = 0.1

    /// The engine's cumulative load already added to the accumulator, BW·s.
    private var accountedLoadBWs = 0.0
    private var lastEvaluation = -Double.infinity

    public init(accumulator: LoadAccumulator, policy: AlertPolicy) {
        self.accumulator = accumulator
        self.policy = policy
    }

    /// One sample the engine accepted at `t`, after which its cumulative load was `engineLoadBWs`, with the
    /// events it emitted since the previous accepted sample (`engineEvents`, emptied here). What happens is
    /// appended to `events`: the engine's events, then alerts.
    @inline(__always)
    public mutating func accept(
        at t: Double, engineLoadBWs: Double, engineEvents: inout EventBuffer, events: inout EventBuffer
    ) {
        if accumulator.currentSession == nil { update { (a) throws(LoadAccumulatorError) in try a.startSession(at: t) } }
        // Most samples bring no step event, no load and no evaluation: that is decided here, inlined into the
        // caller, without the call into the full bookkeeping (and its register saving) below.
        if engineEvents.count == 0 && !(engineLoadBWs - accountedLoadBWs > 0) && t - lastEvaluation < Self.evaluationInterval {
            return
        }
        accountChanges(at: t, engineLoadBWs: engineLoadBWs, engineEvents: &engineEvents, events: &events, force: false)
    }

    /// Accounts the longest prefix of `run` in which `accept(at:…)` would only add quasi-static load: samples
    /// without engine events, in the current rolling-window bin and local day, whose alert inputs stay within
    /// the bounds for which the policy provably fires nothing. The sums get the same additions in the same
    /// order as sample-by-sample calls give them, so the result is identical; they just run in registers,
    /// without a call, check and evaluation per sample. Returns the prefix's length: the caller passes the next
    /// sample to `accept(at:…)` (0 when that sample needs it), and may then try again.
    public mutating func acceptQuietPrefix(of run: UnsafeBufferPointer<KneeLoadEngine.AcceptedSample>) -> Int {
        guard let quiet = policy.quiet, let policyLatestT = policy.latestT, let session = accumulator.currentSession,
            var sums = accumulator.sessionLoadSums
        else { return 0 }
        // What a run without events cannot change must be quiet already.
        guard quiet.stairDescents.contains(Double(session.stairDescentSteps)), quiet.sessionStartT == session.startT,
            quiet.largestRecentSessionLoadBWs == session.largestRecentSessionLoadBWs
        else { return 0 }
        let end = min(accumulator.quasiStaticRunEnd, quiet.until)
        var latestT = max(accumulator.latestT, policyLatestT)
        var accounted = accountedLoadBWs
        var evaluated = lastEvaluation
        var added = false
        var count = 0
        for sample in run {
            let t = sample.t
            guard sample.eventCount == 0, t >= latestT, t < end else { break }
            let load = sample.engineLoadBWs - accounted
            if load > 0 {
                guard load <= LoadAccumulator.maximumLoadIncrement else { break }
                let next = sums.adding(load)
                guard quiet.sessionLoad.contains(next.sessionBWs), quiet.loadRate.contains(next.loadLastMinuteBWs)
                else { break }
                sums = next
                accounted = sample.engineLoadBWs
                evaluated = t
                latestT = t
                added = true
            } else if t - evaluated >= Self.evaluationInterval {
                break
            }
            count += 1
        }
        // Samples without load changed nothing.
        guard added else { return count }
        accumulator.store(sums, latestT: latestT)
        policy.latestT = latestT
        accountedLoadBWs = accounted
        lastEvaluation = evaluated
        return count
    }

    /// The end of the input: what the engine flushed at its finish, accounted at `t` with a final evaluation.
    public mutating func finish(
        at t: Double, engineLoadBWs: Double, engineEvents: inout EventBuffer, events: inout EventBuffer
    ) {
        accountChanges(
            at: max(t, accumulator.latestT), engineLoadBWs: engineLoadBWs, engineEvents: &engineEvents,
            events: &events, force: true)
    }

    /// New limits from a reloaded configuration; the state of each alert kind is kept.
    public mutating func updateLimits(_ limits: AlertLimits) throws(AlertPolicyError) {
        try policy.updateLimits(limits)
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

    @inline(never)
    private mutating func accountChanges(
        at t: Double, engineLoadBWs: Double, engineEvents: inout EventBuffer, events: inout EventBuffer,
        force: Bool
    ) {
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
        let load = engineLoadBWs - accountedLoadBWs
        if load > 0 {
            accountedLoadBWs = engineLoadBWs
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
