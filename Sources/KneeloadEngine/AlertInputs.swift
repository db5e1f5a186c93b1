/// The totals `AlertPolicy.evaluate` checks against `AlertLimits`; `LoadAccumulator.alertInputs` fills it.
public struct AlertInputs: Sendable, Equatable {
    /// Knee load of the current session, BW·s.
    public var sessionLoadBWs: Double
    /// Knee load of the last minute, BW·s.
    public var loadLastMinuteBWs: Double
    public var sessionStairDescentSteps: Int
    /// Largest session of the look-back of the longest-session rule, BW·s; `nil` when there is none, which
    /// turns the rule off.
    public var largestRecentSessionLoadBWs: Double?
    /// Engine time the current session started, `nil` without a session. When it changes between evaluations the
    /// policy starts a new session by itself (`AlertPolicy.startSession()`).
    public var sessionStartT: Double?

    public init(
        sessionLoadBWs: Double, loadLastMinuteBWs: Double, sessionStairDescentSteps: Int,
        largestRecentSessionLoadBWs: Double? = nil, sessionStartT: Double? = nil
    ) {
        self.sessionLoadBWs = sessionLoadBWs
        self.loadLastMinuteBWs = loadLastMinuteBWs
        self.sessionStairDescentSteps = sessionStairDescentSteps
        self.largestRecentSessionLoadBWs = largestRecentSessionLoadBWs
        self.sessionStartT = sessionStartT
    }
}
