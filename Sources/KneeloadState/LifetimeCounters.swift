import KneeloadEngine

/// Counts over the daemon's whole life, across restarts. Each engine run starts its `EngineTotals` at zero, so
/// the daemon keeps the counters it loaded as a base and checkpoints `base.adding(engine totals)`: the file always
/// holds absolute values, never increments, so a restart can never count anything twice.
public struct LifetimeCounters: Codable, Sendable, Equatable {
    /// Samples the engine accepted.
    public var samples: Int
    /// Samples missing from gaps in the data (CONTRACTS §2).
    public var droppedSamples: Int
    /// Samples the engine ignored (non-finite, time not increasing).
    public var rejectedSamples: Int
    public var steps: Int
    public var stairDescentSteps: Int
    public var stairDescentFlights: Int
    /// Seconds of sampled data (first to last accepted sample of each run, summed).
    public var sampledSeconds: Double

    public init(
        samples: Int = 0, droppedSamples: Int = 0, rejectedSamples: Int = 0, steps: Int = 0,
        stairDescentSteps: Int = 0, stairDescentFlights: Int = 0, sampledSeconds: Double = 0
    ) {
        self.samples = samples
        self.droppedSamples = droppedSamples
        self.rejectedSamples = rejectedSamples
        self.steps = steps
        self.stairDescentSteps = stairDescentSteps
        self.stairDescentFlights = stairDescentFlights
        self.sampledSeconds = sampledSeconds
    }

    /// These counters plus one engine run's totals (the run's own totals are absolute from its start).
    public func adding(_ run: EngineTotals) -> LifetimeCounters {
        LifetimeCounters(
            samples: samples + run.samples, droppedSamples: droppedSamples + run.droppedSamples,
            rejectedSamples: rejectedSamples + run.rejectedSamples, steps: steps + run.steps,
            stairDescentSteps: stairDescentSteps + run.stairDescentSteps,
            stairDescentFlights: stairDescentFlights + run.stairDescentFlights,
            sampledSeconds: sampledSeconds + run.durationS)
    }

    /// What is wrong with these counters, or `nil` when they are consistent.
    var problem: String? {
        let counts = [
            ("samples", samples), ("droppedSamples", droppedSamples), ("rejectedSamples", rejectedSamples),
            ("steps", steps), ("stairDescentSteps", stairDescentSteps), ("stairDescentFlights", stairDescentFlights),
        ]
        if let (name, value) = counts.first(where: { $0.1 < 0 }) { return "lifetime.\(name) \(value) is negative" }
        if stairDescentSteps > steps {
            return "lifetime.stairDescentSteps \(stairDescentSteps) exceeds lifetime.steps \(steps)"
        }
        if stairDescentFlights > stairDescentSteps {
            return "lifetime.stairDescentFlights \(stairDescentFlights) exceeds lifetime.stairDescentSteps "
                + "\(stairDescentSteps)"
        }
        if !(sampledSeconds.isFinite && sampledSeconds >= 0) {
            return "lifetime.sampledSeconds \(sampledSeconds) must be finite and ≥ 0"
        }
        return nil
    }
}
