/// The session in progress: its running totals, and the largest session of the 30 days before it, which the
/// longest-session rule compares against (Frandsen 2025 Garmin-RUNSAFE, biomech.md §2 "Progression rules").
public struct CurrentSession: Codable, Sendable, Equatable {
    /// Engine time of the start.
    public internal(set) var startT: Double
    public internal(set) var startDay: LocalDay
    public internal(set) var loadBWs: Double = 0
    public internal(set) var steps: Int = 0
    public internal(set) var stairDescentSteps: Int = 0
    /// Largest load of an ended session that started in the look-back (`startDay` and the 30 days before it),
    /// fixed when this session starts; `nil` when there is none with a positive load.
    public internal(set) var largestRecentSessionLoadBWs: Double?

    init(startT: Double, startDay: LocalDay, largestRecentSessionLoadBWs: Double?) {
        self.startT = startT
        self.startDay = startDay
        self.largestRecentSessionLoadBWs = largestRecentSessionLoadBWs
    }
}
