/// Decides when knee-load alerts fire, from the totals of `LoadAccumulator` and the limits of CONTRACTS §4.
///
/// Evidence: the limits and their "fire once, again only after acknowledgement or cooldown" rule are CONTRACTS
/// §4; `session_progression` is the longest-session rule of Frandsen 2025 (biomech.md §2 "Progression rules":
/// a session > 10 % longer than the longest of the previous 30 days, HRR 1.64). The CONTRACTS limits themselves
/// are configuration, not literature values.
///
/// Rules, per kind, each level (warning, alert) with its own state `armed` → `fired` → `acknowledged`:
/// - A level fires when it is armed and its value is strictly above its threshold (the limit; for a warning
///   `warning_fraction` × the limit). It then stays quiet, whatever the value does, until it re-arms.
/// - Re-arming, mode `acknowledge`: only an acknowledged level re-arms, and only once the value is at or below
///   `rearm_fraction` × its threshold (hysteresis); it fires again on the next passage above the threshold. For
///   session values this means the next session; for the load rate, the next time it climbs back.
/// - Re-arming, mode `cooldown`: a level re-arms `cooldown_s` after it fired (acknowledged or not) and fires
///   again at once if the value is still above its threshold.
/// - A warning fires only while the value is at or below the limit. If one evaluation finds the value past both
///   thresholds, only the alert fires; an alert also silences the warning of its kind (it counts as fired then).
/// - A new session re-arms the session-bound kinds (cumulative load, stair descents, progression) and drops
///   their active alerts: it starts from zero. The policy sees it when `AlertInputs.sessionStartT` changes, or
///   when `startSession()` is called.
/// - `sensor_fault` is raised by the daemon through `raise(.sensorFault, at:)`; each report is a "passage": in
///   `acknowledge` mode it fires again on the first report after an acknowledgement, in `cooldown` mode on the
///   first report once the cooldown has passed.
/// - Within one evaluation, events come in `AlertKind.allCases` order.
///
/// `evaluate` returns an empty array (no allocation) when nothing fires, so it can run per sample.
public struct AlertPolicy: Sendable {
    /// The state of one level of one kind.
    public struct LevelState: Codable, Sendable, Equatable {
        public enum Phase: String, Codable, Sendable {
            case armed, fired, acknowledged
        }

        public internal(set) var phase: Phase = .armed
        /// Engine time it last fired (or was silenced by its alert); `nil` if never.
        public internal(set) var lastFiredT: Double?

        mutating func fire(at t: Double) {
            phase = .fired
            lastFiredT = t
        }
    }

    /// The two levels of one kind.
    public struct KindState: Codable, Sendable, Equatable {
        public var kind: AlertKind
        public internal(set) var warning = LevelState()
        public internal(set) var alert = LevelState()

        init(kind: AlertKind) {
            self.kind = kind
        }
    }

    public private(set) var limits: AlertLimits
    /// One per kind, in `AlertKind.allCases` order.
    public internal(set) var kindStates: [KindState]
    /// Alerts and warnings that fired and are not yet acknowledged, oldest first; at most one per kind (a newer
    /// event of a kind replaces the older).
    public internal(set) var activeAlerts: [AlertEvent] = []
    /// The latest time seen; `nil` before the first call.
    public internal(set) var latestT: Double?
    /// `AlertInputs.sessionStartT` of the latest evaluation.
    public internal(set) var sessionStartT: Double?
    /// Inputs for which the next evaluation changes nothing; nil once anything else changed the state.
    private(set) var quiet: AlertQuietBounds?

    public init(limits: AlertLimits = AlertLimits()) throws(AlertPolicyError) {
        let problems = limits.validate()
        guard problems.isEmpty else { throw .invalidLimits(problems) }
        self.limits = limits
        kindStates = AlertKind.allCases.map(KindState.init(kind:))
        activeAlerts.reserveCapacity(AlertKind.allCases.count)
    }

    /// The kinds of `activeAlerts`, for `kneeload status` (`alerts_active`).
    public var activeKinds: [AlertKind] { activeAlerts.map(\.kind) }

    /// Replaces the limits (configuration reload), keeping every state: a fired alert stays fired.
    public mutating func updateLimits(_ newLimits: AlertLimits) throws(AlertPolicyError) {
        let problems = newLimits.validate()
        guard problems.isEmpty else { throw .invalidLimits(problems) }
        limits = newLimits
        quiet = nil
    }

    /// Checks the totals at time `t` and returns the events that fire now (usually none).
    public mutating func evaluate(at t: Double, _ inputs: AlertInputs) throws(AlertPolicyError) -> [AlertEvent] {
        if quietBoundsHold(at: t, inputs) {
            latestT = t
            return []
        }
        try checkTime(t, "evaluate(at:)")
        try checkInput("sessionLoadBWs", inputs.sessionLoadBWs, t)
        try checkInput("loadLastMinuteBWs", inputs.loadLastMinuteBWs, t)
        try checkInput("sessionStairDescentSteps", Double(inputs.sessionStairDescentSteps), t)
        if let largest = inputs.largestRecentSessionLoadBWs {
            try checkInput("largestRecentSessionLoadBWs", largest, t)
        }
        if let start = inputs.sessionStartT, !start.isFinite {
            throw .invalidInput(name: "sessionStartT", value: start, t: t)
        }
        latestT = t
        if inputs.sessionStartT != sessionStartT {
            startSession()
            sessionStartT = inputs.sessionStartT
        }

        // In `AlertKind.allCases` order, spelled out: iterating `allCases` would build an array per call.
        var events: [AlertEvent] = []
        check(.cumulativeLoad, value: inputs.sessionLoadBWs, limit: limits.sessionLoadBWs, at: t, into: &events)
        check(.loadRate, value: inputs.loadLastMinuteBWs, limit: limits.loadRateBWsPerMin, at: t, into: &events)
        check(
            .stairDescents, value: Double(inputs.sessionStairDescentSteps),
            limit: Double(limits.sessionStairDescentSteps), at: t, into: &events)
        // `.sensorFault` comes from `raise`. The longest-session rule is off without history (Frandsen's rule
        // compares with earlier sessions).
        if let largest = inputs.largestRecentSessionLoadBWs, largest > 0 {
            check(
                .sessionProgression, value: inputs.sessionLoadBWs, limit: limits.progressionFactor * largest, at: t,
                into: &events)
        }
        quiet = AlertQuietBounds(self, inputs: inputs)
        return events
    }

    /// Whether `evaluate(at: t, inputs)` can take its shortcut: the inputs are within the quiet bounds the
    /// previous evaluation left, so nothing fires and no level changes.
    @inline(__always)
    func quietBoundsHold(at t: Double, _ inputs: AlertInputs) -> Bool {
        guard let quiet, let latestT else { return false }
        return quiet.hold(at: t, latestT: latestT, inputs)
    }

    /// A fault reported by the daemon at `t`. Returns the event if it fires now.
    public mutating func raise(_ external: ExternalAlertKind, at t: Double) throws(AlertPolicyError) -> AlertEvent? {
        try checkTime(t, "raise(_:at:)")
        latestT = t
        quiet = nil
        let kind = external.alertKind
        let index = Self.index(of: kind)
        switch limits.rearm {
        case .acknowledge:
            if kindStates[index].alert.phase == .acknowledged { kindStates[index].alert.phase = .armed }
        case .cooldown:
            if Self.cooldownIsOver(kindStates[index].alert, at: t, limits: limits) {
                kindStates[index].alert.phase = .armed
            }
        }
        guard kindStates[index].alert.phase == .armed else { return nil }
        kindStates[index].alert.fire(at: t)
        let event = AlertEvent(t: t, kind: kind, level: .alert, value: 1, limit: 0)
        activate(event)
        return event
    }

    /// The runner acknowledges every active alert and warning at `t`. Returns what was active.
    @discardableResult
    public mutating func acknowledge(at t: Double) throws(AlertPolicyError) -> [AlertEvent] {
        try checkTime(t, "acknowledge(at:)")
        latestT = t
        quiet = nil
        for index in kindStates.indices {
            if kindStates[index].warning.phase == .fired { kindStates[index].warning.phase = .acknowledged }
            if kindStates[index].alert.phase == .fired { kindStates[index].alert.phase = .acknowledged }
        }
        let acknowledged = activeAlerts
        activeAlerts.removeAll(keepingCapacity: true)
        return acknowledged
    }

    /// A new session begins: the session-bound kinds re-arm and their active alerts are dropped.
    public mutating func startSession() {
        quiet = nil
        for index in kindStates.indices where kindStates[index].kind.isSessionBound {
            kindStates[index].warning = LevelState()
            kindStates[index].alert = LevelState()
        }
        activeAlerts.removeAll { $0.kind.isSessionBound }
    }

    // MARK: Internals

    // Inlined into `evaluate`, where `kind` is a constant: its index and whether it has a warning fold away.
    @inline(__always)
    private mutating func check(
        _ kind: AlertKind, value: Double, limit: Double, at t: Double, into events: inout [AlertEvent]
    ) {
        let index = Self.index(of: kind)
        let warningThreshold: Double? =
            kind.hasWarning && limits.warningFraction > 0 ? limits.warningFraction * limit : nil

        // Decide on a copy and write only a level that re-arms: a level that stays fired (the usual case
        // once an alert is out) then costs no write into the array (a uniqueness check per level and
        // evaluation).
        if Self.rearmIsDue(kindStates[index].alert, value: value, threshold: limit, at: t, limits: limits) {
            kindStates[index].alert.phase = .armed
        }
        if let warningThreshold,
            Self.rearmIsDue(kindStates[index].warning, value: value, threshold: warningThreshold, at: t, limits: limits)
        {
            kindStates[index].warning.phase = .armed
        }

        if kindStates[index].alert.phase == .armed, value > limit {
            kindStates[index].alert.fire(at: t)
            // The alert supersedes the warning: a warning after the alert would say less, later.
            kindStates[index].warning.fire(at: t)
            let event = AlertEvent(t: t, kind: kind, level: .alert, value: value, limit: limit)
            activate(event)
            events.append(event)
        } else if let warningThreshold, kindStates[index].warning.phase == .armed, value > warningThreshold,
            value <= limit
        {
            kindStates[index].warning.fire(at: t)
            let event = AlertEvent(t: t, kind: kind, level: .warning, value: value, limit: warningThreshold)
            activate(event)
            events.append(event)
        }
    }

    // These two are static and take the limits as an argument, and read a copy of the level: a method on
    // `self` called with `inout` access to an element of `kindStates` makes Swift copy `self`, and the write
    // then copies the array (an allocation per evaluation, found by kneeload-bench).
    /// Whether a level that is not armed re-arms at `t` with `value`: acknowledged and back below the re-arm
    /// fraction of its threshold, or, in cooldown mode, its cooldown over.
    @inline(__always)
    private static func rearmIsDue(
        _ state: LevelState, value: Double, threshold: Double, at t: Double, limits: AlertLimits
    ) -> Bool {
        guard state.phase != .armed else { return false }
        switch limits.rearm {
        case .acknowledge:
            return state.phase == .acknowledged && value <= limits.rearmFraction * threshold
        case .cooldown:
            return cooldownIsOver(state, at: t, limits: limits)
        }
    }

    private static func cooldownIsOver(_ state: LevelState, at t: Double, limits: AlertLimits) -> Bool {
        guard state.phase != .armed, let fired = state.lastFiredT else { return false }
        return t >= fired + limits.cooldownS
    }

    /// Makes `event` the active entry of its kind.
    private mutating func activate(_ event: AlertEvent) {
        if let existing = activeAlerts.firstIndex(where: { $0.kind == event.kind }) {
            activeAlerts.remove(at: existing)
        }
        activeAlerts.append(event)
    }

    @inline(__always)
    private func checkTime(_ t: Double, _ operation: String) throws(AlertPolicyError) {
        guard t.isFinite else { throw .invalidTime(operation: operation, t: t) }
        if let latestT, t < latestT { throw .timeWentBackwards(operation: operation, t: t, latest: latestT) }
    }

    @inline(__always)
    private func checkInput(_ name: String, _ value: Double, _ t: Double) throws(AlertPolicyError) {
        guard value.isFinite, value >= 0 else { throw .invalidInput(name: name, value: value, t: t) }
    }

    static func index(of kind: AlertKind) -> Int {
        switch kind {
        case .cumulativeLoad: 0
        case .loadRate: 1
        case .stairDescents: 2
        case .sensorFault: 3
        case .sessionProgression: 4
        }
    }
}
