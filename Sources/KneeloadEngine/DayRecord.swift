/// Totals of one local day: the unit of the acute/chronic (7/28-day) loads of biomech.md §2 "ACWR", and, through
/// `largestSessionLoadBWs`, the look-back of the longest-session rule (biomech.md §2 "Progression rules").
public struct DayRecord: Codable, Sendable, Equatable {
    public var day: LocalDay
    /// Knee load added during this local day, in BW·s (inside or outside sessions).
    public var loadBWs: Double = 0
    public var steps: Int = 0
    public var stairDescentSteps: Int = 0
    /// Sessions that started on this day and have ended.
    public var sessions: Int = 0
    /// The largest load of those sessions, in BW·s (a session crossing midnight belongs to its start day).
    public var largestSessionLoadBWs: Double = 0

    public init(day: LocalDay) {
        self.day = day
    }
}
