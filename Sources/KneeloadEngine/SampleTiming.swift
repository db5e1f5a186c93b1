/// Learns the sample period from the timestamps (CONTRACTS §2: the rate comes from the timestamps, never
/// assumed) and classifies each new timestamp as a normal step, a gap with dropped samples, or invalid.
///
/// The period is a running estimate that ignores gaps and glitches: a new interval only moves the estimate
/// when it lies within ±50 % of it. If the rate really changes, eight consecutive intervals that agree with
/// each other but not with the estimate re-seed it, so a recording that switches rate is followed quickly.
public struct SampleTiming: Sendable {
    public enum Step: Equatable, Sendable {
        /// The first sample: there is no interval yet.
        case first
        /// An ordinary interval of `dt` seconds.
        case normal(dt: Double)
        /// An interval longer than `gapFactor` nominal periods; `dropped` samples are missing.
        case gap(dt: Double, dropped: Int)
        /// Time not finite, or not after the previous sample: the caller ignores the sample.
        case invalid
    }

    /// An interval longer than this many nominal periods is a gap (CONTRACTS §2).
    public static let gapFactor = 3.0
    /// Weight of each accepted interval in the running period estimate (about a 20-sample memory), enough to
    /// average out timestamp jitter while following slow clock differences.
    static let periodSmoothing = 0.05
    /// Consecutive intervals, consistent among themselves, that re-seed the estimate after a rate change.
    static let reseedCount = 8

    /// Time of the last accepted sample; nil before the first.
    public var lastTime: Double? { stage == .none ? nil : last }
    public var firstTime: Double? { stage == .none ? nil : first }
    /// Nominal sample period in seconds; nil until two samples have been seen.
    public var period: Double? { stage == .periodKnown ? estimate : nil }
    public private(set) var droppedSamples = 0
    public private(set) var gaps = 0
    private var outlierRun = 0
    private var outlierMean = 0.0
    // The optionals above as plain values and one stage byte: `accept` runs per sample, and testing one byte
    // for the usual case beats unwrapping two optionals and writing their tags back.
    private var stage = Stage.none
    private var last = 0.0
    private var first = 0.0
    private var estimate = 0.0

    private enum Stage: UInt8 {
        case none, firstSeen, periodKnown
    }

    public init() {}

    /// Sample rate in Hz from the period estimate (0 before the second sample).
    public var sampleRateHz: Double { period.map { 1 / $0 } ?? 0 }

    /// Time covered from the first to the last accepted sample.
    public var duration: Double {
        guard let first = firstTime, let last = lastTime else { return 0 }
        return last - first
    }

    @inline(__always)
    public mutating func accept(_ time: Double) -> Step {
        guard time.isFinite else { return .invalid }
        return accept(finite: time)
    }

    /// `accept` for a time known to be finite (the engine checks every value of a sample first).
    @inline(__always)
    mutating func accept(finite time: Double) -> Step {
        guard stage == .periodKnown else { return acceptEarly(time) }
        let dt = time - last
        guard dt > 0 else { return .invalid }
        last = time
        // The usual interval first: within ±50 % of the estimate (> 0) it is far from a gap.
        if dt >= 0.5 * estimate && dt <= 1.5 * estimate {
            estimate = estimate + Self.periodSmoothing * (dt - estimate)
            outlierRun = 0
            return .normal(dt: dt)
        }
        // 1 % tolerance: decimal timestamps of an exact 3-period interval must not become a gap.
        if dt > Self.gapFactor * estimate * 1.01 {
            let dropped = max(0, Int((dt / estimate).rounded()) - 1)
            droppedSamples += dropped
            gaps += 1
            trackOutlier(dt)
            return .gap(dt: dt, dropped: dropped)
        }
        trackOutlier(dt)
        return .normal(dt: dt)
    }

    /// The first two accepted samples: the first has no interval; the very first interval seeds the estimate
    /// (a later consistent run corrects a bad seed).
    private mutating func acceptEarly(_ time: Double) -> Step {
        guard stage == .firstSeen else {
            last = time
            first = time
            stage = .firstSeen
            return .first
        }
        let dt = time - last
        guard dt > 0 else { return .invalid }
        last = time
        estimate = dt
        stage = .periodKnown
        return .normal(dt: dt)
    }

    /// Counts a run of intervals that disagree with the estimate but agree with each other; such a run is a
    /// genuine rate change (or a bad first interval), so it replaces the estimate.
    private mutating func trackOutlier(_ dt: Double) {
        if outlierRun > 0 && abs(dt - outlierMean) <= 0.25 * outlierMean {
            outlierRun += 1
            outlierMean += (dt - outlierMean) / Double(outlierRun)
        } else {
            outlierRun = 1
            outlierMean = dt
        }
        if outlierRun >= Self.reseedCount {
            estimate = outlierMean
            outlierRun = 0
        }
    }
}
