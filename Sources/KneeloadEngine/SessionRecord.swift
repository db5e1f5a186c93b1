/// One ended session, kept so the runner can see recent sessions and so the longest-session rule of
/// Frandsen 2025 (biomech.md §2 "Progression rules") has something to compare against.
public struct SessionRecord: Codable, Sendable, Equatable {
    /// The local day the session started on.
    public var startDay: LocalDay
    /// Wall-clock (Unix epoch) seconds at the start, from the session's `LocalTime`.
    public var startEpochSeconds: Double
    public var durationS: Double
    public var loadBWs: Double
    public var steps: Int
    public var stairDescentSteps: Int

    public init(
        startDay: LocalDay, startEpochSeconds: Double, durationS: Double, loadBWs: Double, steps: Int,
        stairDescentSteps: Int
    ) {
        self.startDay = startDay
        self.startEpochSeconds = startEpochSeconds
        self.durationS = durationS
        self.loadBWs = loadBWs
        self.steps = steps
        self.stairDescentSteps = stairDescentSteps
    }
}
