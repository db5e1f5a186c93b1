extension LoadAccumulator {
    /// The complete state of a `LoadAccumulator`. Restoring it and continuing gives bit-identical results to never
    /// having stopped (all values are stored exactly; the window ring is stored oldest bin first).
    public struct Snapshot: Codable, Sendable, Equatable {
        public var localTime: LocalTime
        public var latestT: Double
        /// Absolute index of the newest window bin (⌊8·latestT⌋).
        public var currentWindowBin: Int
        /// The rolling-window bins, oldest first, in units of 1e-9 BW·s (`RollingLoadWindows`).
        public var windowBins: [Int64]
        public var today: DayRecord
        /// Completed days, oldest first.
        public var dailyHistory: [DayRecord]
        /// EWMAs after the last completed day.
        public var acuteChronicLoad: AcuteChronicLoad
        public var completedDays: Int
        public var currentSession: CurrentSession?
        /// Ended sessions, oldest first.
        public var sessionHistory: [SessionRecord]
        public var lifetimeLoadBWs: Double
    }

    public var snapshot: Snapshot {
        Snapshot(
            localTime: localTime, latestT: latestT, currentWindowBin: windows.currentBin,
            windowBins: windows.orderedBins, today: today, dailyHistory: days.ordered, acuteChronicLoad: ewma,
            completedDays: completedDays, currentSession: currentSession, sessionHistory: sessions.ordered,
            lifetimeLoadBWs: lifetimeLoadBWs)
    }

    /// Restores exactly the state `snapshot` was taken from, on the same engine clock. Checks that the parts fit
    /// together, since a snapshot may come from a damaged file.
    public init(restoring snapshot: Snapshot) throws(LoadAccumulatorError) {
        try Self.validate(snapshot)
        guard let windows = RollingLoadWindows(orderedBins: snapshot.windowBins, currentBin: snapshot.currentWindowBin)
        else { throw .invalidSnapshot("window ring does not fit") }
        self.init(localTime: snapshot.localTime)
        self.windows = windows
        latestT = snapshot.latestT
        today = snapshot.today
        days = BoundedHistory(capacity: Self.dailyHistoryCapacity, elements: snapshot.dailyHistory)
        ewma = snapshot.acuteChronicLoad
        completedDays = snapshot.completedDays
        currentSession = snapshot.currentSession
        sessions = BoundedHistory(capacity: Self.sessionHistoryCapacity, elements: snapshot.sessionHistory)
        lifetimeLoadBWs = snapshot.lifetimeLoadBWs
    }

    /// Carries the history of `snapshot` (days, EWMAs, sessions) over to a new engine clock starting at t = 0 with
    /// `localTime`, as after a daemon restart: the session in progress is ended at its latest time, the rolling
    /// windows start empty (the gap between the clocks is not known to be short), and the days between the old
    /// and the new clock close as zero-load days.
    public init(continuing snapshot: Snapshot, localTime: LocalTime) throws(LoadAccumulatorError) {
        var carried = try LoadAccumulator(restoring: snapshot)
        carried.endSession()
        let newDay = localTime.localDay(at: 0)
        guard newDay >= carried.today.day else {
            throw .localDayBeforeHistory(newDay: newDay, lastDay: carried.today.day)
        }
        if newDay > carried.today.day { carried.rollDays(to: newDay) }
        carried.localTime = localTime
        carried.latestT = 0
        carried.windows = RollingLoadWindows()
        self = carried
    }

    private static func validate(_ s: Snapshot) throws(LoadAccumulatorError) {
        func require(_ condition: Bool, _ problem: @autoclosure () -> String) throws(LoadAccumulatorError) {
            if !condition { throw .invalidSnapshot(problem()) }
        }
        func isLoad(_ value: Double) -> Bool { value.isFinite && value >= 0 }
        func isValidDay(_ record: DayRecord) -> Bool {
            isLoad(record.loadBWs) && isLoad(record.largestSessionLoadBWs) && record.steps >= 0
                && record.stairDescentSteps >= 0 && record.stairDescentSteps <= record.steps && record.sessions >= 0
        }

        try require(
            s.latestT.isFinite && s.latestT >= 0 && s.latestT <= maximumTime,
            "latestT \(s.latestT) must be finite and in 0...\(maximumTime)")
        try require(
            s.currentWindowBin == RollingLoadWindows.bin(at: s.latestT),
            "currentWindowBin \(s.currentWindowBin) does not match latestT \(s.latestT)")
        try require(
            s.windowBins.count == RollingLoadWindows.longWindowBins,
            "windowBins has \(s.windowBins.count) bins, expected \(RollingLoadWindows.longWindowBins)")
        try require(s.windowBins.allSatisfy { $0 >= 0 }, "windowBins holds a negative load")
        try require(
            s.today.day == s.localTime.localDay(at: s.latestT),
            "today is \(s.today.day) but latestT \(s.latestT) falls on \(s.localTime.localDay(at: s.latestT))")
        try require(isValidDay(s.today), "today's record has a negative or non-finite total")
        try require(
            s.dailyHistory.count <= dailyHistoryCapacity,
            "dailyHistory has \(s.dailyHistory.count) days, at most \(dailyHistoryCapacity) allowed")
        for (offset, record) in s.dailyHistory.enumerated() {
            let expected = s.today.day.advanced(by: offset - s.dailyHistory.count)
            try require(record.day == expected, "dailyHistory[\(offset)] is \(record.day), expected \(expected)")
            try require(isValidDay(record), "dailyHistory[\(offset)] has a negative or non-finite total")
        }
        try require(
            s.completedDays >= s.dailyHistory.count,
            "completedDays \(s.completedDays) is fewer than the \(s.dailyHistory.count) days in dailyHistory")
        try require(
            isLoad(s.acuteChronicLoad.acuteBWs) && isLoad(s.acuteChronicLoad.chronicBWs),
            "EWMA loads must be finite and ≥ 0")
        try require(isLoad(s.lifetimeLoadBWs), "lifetimeLoadBWs must be finite and ≥ 0")
        if let session = s.currentSession {
            try require(
                session.startT.isFinite && session.startT >= 0 && session.startT <= s.latestT,
                "session start \(session.startT) must be in 0...latestT")
            try require(
                session.startDay == s.localTime.localDay(at: session.startT),
                "session start day \(session.startDay) does not match its start time")
            try require(
                isLoad(session.loadBWs) && session.steps >= 0 && session.stairDescentSteps >= 0
                    && session.stairDescentSteps <= session.steps,
                "session totals must be finite and ≥ 0")
            if let largest = session.largestRecentSessionLoadBWs {
                try require(largest.isFinite && largest > 0, "largestRecentSessionLoadBWs must be finite and > 0")
            }
        }
        try require(
            s.sessionHistory.count <= sessionHistoryCapacity,
            "sessionHistory has \(s.sessionHistory.count) sessions, at most \(sessionHistoryCapacity) allowed")
        for (offset, record) in s.sessionHistory.enumerated() {
            try require(
                isLoad(record.loadBWs) && isLoad(record.durationS) && record.startEpochSeconds.isFinite
                    && record.steps >= 0 && record.stairDescentSteps >= 0,
                "sessionHistory[\(offset)] has a negative or non-finite value")
        }
    }
}
