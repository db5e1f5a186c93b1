/// Cumulative knee-load accounting for one runner: session, rolling-window, daily and multi-week totals.
///
/// Evidence (shared/research/biomech.md §2):
/// - "ACWR": acute (7-day) and chronic (28-day) loads as EWMAs with λ = 2/(N + 1) (Williams 2017), see
///   `AcuteChronicLoad`; the ratio is advice only (its thresholds do not hold up, Impellizzeri 2020).
/// - "Progression rules": a session more than 10 % longer than the longest of the previous 30 days carried a
///   higher overuse-injury risk (Frandsen 2025, Garmin-RUNSAFE; HRR 1.64 for +10–30 %); biomech.md suggests
///   applying it to session load, which `largestRecentSessionLoadBWs`/`sessionProgressionRatio` support.
/// - CONTRACTS §4: the session load and the load of the last minute are what the alert limits apply to.
///
/// Inputs come from the step detector and the per-sample load estimate: `add(loadBWs:at:)` takes one sample's
/// load increment (P̂·Δt, already integrated by the caller). Time `t` is engine time in seconds from the start of
/// the engine's clock, monotonic; `advance(to:)` lets windows and days roll over when no load arrives. Loads and
/// steps outside a session count towards the windows and the day, not towards any session.
///
/// Pure and deterministic: no clock reads, no I/O; all buffers are allocated at init, so the per-sample calls
/// do not allocate. `snapshot` / `init(restoring:)` save and restore the exact state.
public struct LoadAccumulator: Sendable {
    /// Largest engine time accepted, in seconds (about 317 years).
    public static let maximumTime = 1e10
    /// Largest single load increment accepted, in BW·s (20 BW held for 50 s): far above any real sample, and
    /// low enough that the fixed-point window sums cannot overflow.
    public static let maximumLoadIncrement = 1000.0
    /// Completed days kept in `dailyHistory` (biomech.md §2 needs 28 for the chronic load, 30 for the
    /// longest-session rule).
    public static let dailyHistoryCapacity = 64
    /// Ended sessions kept in `sessionHistory` (the longest-session rule uses the per-day maxima in the daily
    /// history, so it stays exact however many sessions a day has).
    public static let sessionHistoryCapacity = 128
    /// Days before a session's start day that the longest-session rule looks back over (Frandsen 2025).
    public static let progressionLookbackDays = 30
    /// Below this chronic load (BW·s per day, about one running step) the acute:chronic ratio is `nil`.
    public static let minimumChronicLoadBWs = 1.0
    /// Resolution of the rolling windows, in seconds (see `RollingLoadWindows`).
    public static let windowResolutionS = 1.0 / Double(RollingLoadWindows.binsPerSecond)

    public internal(set) var localTime: LocalTime {
        didSet { dayCheckFromT = -.infinity }
    }
    /// The latest engine time seen (0 at the start).
    public internal(set) var latestT: Double = 0
    var windows: RollingLoadWindows
    /// The local day in progress, with its totals so far.
    public internal(set) var today: DayRecord
    var days: BoundedHistory<DayRecord>
    /// EWMAs after the last completed day.
    var ewma = AcuteChronicLoad()
    /// Days completed since this accounting began (including days without data).
    public internal(set) var completedDays = 0
    public internal(set) var currentSession: CurrentSession?
    var sessions: BoundedHistory<SessionRecord>
    /// Knee load since the accumulator was created, in BW·s.
    public internal(set) var lifetimeLoadBWs: Double = 0
    /// Before this time `today` cannot have ended: a second before the next local midnight, far more than the
    /// rounding of `localTime.localDay(at:)`, which is then evaluated only near midnight instead of per input.
    /// −∞ until the first look-up.
    private(set) var dayCheckFromT = -Double.infinity

    /// Starts empty at engine time 0, on the local day `localTime` gives for t = 0. No session is active:
    /// call `startSession(at:)`.
    public init(localTime: LocalTime) {
        self.localTime = localTime
        windows = RollingLoadWindows()
        today = DayRecord(day: localTime.localDay(at: 0))
        days = BoundedHistory(capacity: Self.dailyHistoryCapacity)
        sessions = BoundedHistory(capacity: Self.sessionHistoryCapacity)
    }

    // MARK: Input

    /// Moves time forward to `t`: rolling windows drop what has left them and local days roll over (each
    /// skipped day closes with zero load).
    public mutating func advance(to t: Double) throws(LoadAccumulatorError) {
        try check(t, "advance(to:)")
        moveTime(to: t)
    }

    /// Adds one sample's load increment (BW·s) at time `t`.
    public mutating func add(loadBWs: Double, at t: Double) throws(LoadAccumulatorError) {
        try check(t, "add(loadBWs:at:)")
        guard loadBWs.isFinite, loadBWs >= 0, loadBWs <= Self.maximumLoadIncrement else {
            throw .invalidLoad(loadBWs: loadBWs, t: t)
        }
        moveTime(to: t)
        windows.add(units: RollingLoadWindows.units(loadBWs))
        today.loadBWs += loadBWs
        lifetimeLoadBWs += loadBWs
        currentSession?.loadBWs += loadBWs
    }

    /// Counts one foot contact of the instrumented leg at `t` (not on stairs: see `addStairDescentStep`).
    public mutating func addStep(at t: Double) throws(LoadAccumulatorError) {
        try check(t, "addStep(at:)")
        moveTime(to: t)
        today.steps += 1
        currentSession?.steps += 1
    }

    /// Counts one foot contact made going down stairs. It is a step too, so it counts in both `steps` and
    /// `stairDescentSteps`: call this INSTEAD of `addStep(at:)` for such a contact, not in addition.
    public mutating func addStairDescentStep(at t: Double) throws(LoadAccumulatorError) {
        try check(t, "addStairDescentStep(at:)")
        moveTime(to: t)
        today.steps += 1
        today.stairDescentSteps += 1
        currentSession?.steps += 1
        currentSession?.stairDescentSteps += 1
    }

    /// Starts a session at `t`, ending the current one first if there is one. The longest-session look-back is
    /// fixed here: ended sessions that started on the start day or the 30 days before it.
    public mutating func startSession(at t: Double) throws(LoadAccumulatorError) {
        try check(t, "startSession(at:)")
        moveTime(to: t)
        endSession()
        currentSession = CurrentSession(
            startT: t, startDay: today.day, largestRecentSessionLoadBWs: largestRecentSessionLoad())
    }

    /// Ends the current session at the latest time seen, recording it in the session history and in its start
    /// day's record. Does nothing when no session is active.
    public mutating func endSession() {
        guard let session = currentSession else { return }
        currentSession = nil
        sessions.append(
            SessionRecord(
                startDay: session.startDay, startEpochSeconds: localTime.epochSeconds(at: session.startT),
                durationS: latestT - session.startT, loadBWs: session.loadBWs, steps: session.steps,
                stairDescentSteps: session.stairDescentSteps))
        let record = { (day: inout DayRecord) in
            day.sessions += 1
            day.largestSessionLoadBWs = max(day.largestSessionLoadBWs, session.loadBWs)
        }
        let age = session.startDay.distance(to: today.day)
        if age == 0 {
            record(&today)
        } else {
            // The history holds consecutive days ending yesterday, so the start day is `age − 1` back.
            days.modifyElement(age: age - 1, record)
        }
    }

    // MARK: Totals

    /// Knee load of the current session, BW·s (0 without a session).
    public var sessionLoadBWs: Double { currentSession?.loadBWs ?? 0 }
    public var sessionSteps: Int { currentSession?.steps ?? 0 }
    public var sessionStairDescentSteps: Int { currentSession?.stairDescentSteps ?? 0 }
    /// Seconds since the current session started (0 without a session).
    public var sessionDurationS: Double { currentSession.map { latestT - $0.startT } ?? 0 }

    /// Knee load of the last 60 s (within the 1/8 s resolution described in `RollingLoadWindows`), BW·s.
    public var loadLastMinuteBWs: Double { windows.shortWindowBWs }
    /// Knee load of the last 600 s, same resolution, BW·s.
    public var loadLastTenMinutesBWs: Double { windows.longWindowBWs }

    /// Completed local days, oldest first: consecutive days ending yesterday, at most `dailyHistoryCapacity`.
    public var dailyHistory: [DayRecord] { days.ordered }
    /// Ended sessions, oldest first, at most `sessionHistoryCapacity`.
    public var sessionHistory: [SessionRecord] { sessions.ordered }

    /// Days of history including today (1 on the first day): the EWMAs are only meaningful after weeks.
    public var daysOfHistory: Int { completedDays + 1 }

    /// Acute (7-day) and chronic (28-day) EWMA loads, counting today with its load so far, BW·s per day.
    public var acuteChronicLoad: AcuteChronicLoad { ewma.including(todayLoadBWs: today.loadBWs) }
    public var acuteLoadBWs: Double { acuteChronicLoad.acuteBWs }
    public var chronicLoadBWs: Double { acuteChronicLoad.chronicBWs }

    /// Acute:chronic workload ratio (EWMA, today included); `nil` while the chronic load is below
    /// `minimumChronicLoadBWs`. Advice only (biomech.md §2).
    public var acuteChronicRatio: Double? {
        let loads = acuteChronicLoad
        guard loads.chronicBWs >= Self.minimumChronicLoadBWs else { return nil }
        return loads.acuteBWs / loads.chronicBWs
    }

    /// Largest ended session of the current session's look-back, BW·s; `nil` without a session or history.
    public var largestRecentSessionLoadBWs: Double? { currentSession?.largestRecentSessionLoadBWs }

    /// Current session load over the largest of its look-back; `nil` without a session or history.
    public var sessionProgressionRatio: Double? {
        guard let session = currentSession, let largest = session.largestRecentSessionLoadBWs else { return nil }
        return session.loadBWs / largest
    }

    /// The longest-session rule: the current session's load exceeds `factor` × the largest session of its
    /// look-back. False when there is no such history.
    public func progressionExceeded(factor: Double) -> Bool {
        guard let session = currentSession, let largest = session.largestRecentSessionLoadBWs else { return false }
        return session.loadBWs > factor * largest
    }

    /// What `AlertPolicy.evaluate` needs, taken from the current totals.
    public var alertInputs: AlertInputs {
        AlertInputs(
            sessionLoadBWs: sessionLoadBWs, loadLastMinuteBWs: loadLastMinuteBWs,
            sessionStairDescentSteps: sessionStairDescentSteps,
            largestRecentSessionLoadBWs: largestRecentSessionLoadBWs, sessionStartT: currentSession?.startT)
    }

    // MARK: Internals

    @inline(__always)
    private func check(_ t: Double, _ operation: String) throws(LoadAccumulatorError) {
        guard t.isFinite, t >= 0, t <= Self.maximumTime else { throw .invalidTime(operation: operation, t: t) }
        guard t >= latestT else { throw .timeWentBackwards(operation: operation, t: t, latest: latestT) }
    }

    /// `t` has been checked: finite, in range, not before `latestT`.
    private mutating func moveTime(to t: Double) {
        windows.advance(toBin: RollingLoadWindows.bin(at: t))
        if t >= dayCheckFromT {
            let day = localTime.localDay(at: t)
            if day > today.day { rollDays(to: day) }
            dayCheckFromT = localTime.engineTime(atStartOf: today.day.advanced(by: 1)) - 1
        }
        latestT = t
    }

    /// Closes today and every skipped day (as zero-load days), then opens `newDay`.
    mutating func rollDays(to newDay: LocalDay) {
        ewma.closeDay(loadBWs: today.loadBWs)
        days.append(today)
        let skipped = today.day.distance(to: newDay) - 1
        ewma.closeEmptyDays(skipped)
        completedDays += 1 + skipped
        // Only the newest `capacity` skipped days can still be in the history; keep it consecutive.
        let kept = min(skipped, days.capacity)
        for offset in stride(from: kept, to: 0, by: -1) {
            days.append(DayRecord(day: newDay.advanced(by: -offset)))
        }
        today = DayRecord(day: newDay)
    }

    /// Largest ended-session load over today and the `progressionLookbackDays` days before it.
    private func largestRecentSessionLoad() -> Double? {
        var largest = today.largestSessionLoadBWs
        for age in 0..<Self.progressionLookbackDays {
            guard let record = days.element(age: age) else { break }
            largest = max(largest, record.largestSessionLoadBWs)
        }
        return largest > 0 ? largest : nil
    }
}
