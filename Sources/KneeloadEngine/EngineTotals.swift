/// Running totals of a session, in CONTRACTS §3 units. `KneeLoadEngine.totals` is current after every sample
/// (steps are counted when their events are emitted, a stride or so after the foot contact).
public struct EngineTotals: Sendable, Hashable {
    /// Samples accepted (finite, time increasing).
    public var samples = 0
    /// Samples ignored: a non-finite value or time not after the previous sample.
    public var rejectedSamples = 0
    /// Time from the first to the last accepted sample, seconds.
    public var durationS = 0.0
    /// From the robust period estimate.
    public var sampleRateHz = 0.0
    /// CONTRACTS §2: round(gap / period) − 1 for every gap longer than 3 nominal periods.
    public var droppedSamples = 0
    public var steps = 0
    public var stairDescentSteps = 0
    public var stairDescentFlights = 0
    /// All knee load, BW·s: step impulses plus quasi-static (standing, squatting) load.
    public var cumulativeLoadBWs = 0.0
    /// The part of `cumulativeLoadBWs` from standing and squatting without gait.
    public var quasiStaticLoadBWs = 0.0
    /// Largest force seen, BW (step peaks and quasi-static).
    public var peakBW = 0.0

    public init() {}
}
