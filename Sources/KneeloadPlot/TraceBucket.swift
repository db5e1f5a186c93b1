/// What the plot keeps of the samples in one stretch of time: the knee angle's range (so peaks survive
/// downsampling), the highest one-minute load and the highest session load reached.
public struct TraceBucket: Sendable, Hashable {
    public var samples = 0
    public var kneeMinDeg = Double.infinity
    public var kneeMaxDeg = -Double.infinity
    /// Knee load of the last minute, BW·s (the `load_rate` alert's value).
    public var loadLastMinuteMaxBWs = 0.0
    /// Session knee load, BW·s (the `cumulative_load` alert's value).
    public var sessionLoadMaxBWs = 0.0

    public init() {}

    public var isEmpty: Bool { samples == 0 }

    mutating func add(kneeFlexDeg: Double, loadLastMinuteBWs: Double, sessionLoadBWs: Double) {
        samples += 1
        kneeMinDeg = min(kneeMinDeg, kneeFlexDeg)
        kneeMaxDeg = max(kneeMaxDeg, kneeFlexDeg)
        loadLastMinuteMaxBWs = max(loadLastMinuteMaxBWs, loadLastMinuteBWs)
        sessionLoadMaxBWs = max(sessionLoadMaxBWs, sessionLoadBWs)
    }

    mutating func merge(_ other: TraceBucket) {
        guard !other.isEmpty else { return }
        samples += other.samples
        kneeMinDeg = min(kneeMinDeg, other.kneeMinDeg)
        kneeMaxDeg = max(kneeMaxDeg, other.kneeMaxDeg)
        loadLastMinuteMaxBWs = max(loadLastMinuteMaxBWs, other.loadLastMinuteMaxBWs)
        sessionLoadMaxBWs = max(sessionLoadMaxBWs, other.sessionLoadMaxBWs)
    }
}
