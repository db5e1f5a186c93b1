/// The gains α = 1 − e^(−dt/τ) of the engine's per-sample low-pass filters (knee, angular rate, pressure, the
/// calibration's short means, and the gait detector's amplitude memory) for the current sample interval. All
/// run on the same intervals, so one cache check per sample serves them all instead of one each; the rule is
/// `SmoothingGain`'s: the exponentials are recomputed only when dt changes by more than 0.01 %.
///
/// A filter that skips samples (no gyro or barometer in them), or a detector started afresh mid-stream, gets
/// the gain of an interval within that same 0.01 % of its own, as its own `SmoothingGain` would.
struct SampleGains: Sendable {
    private(set) var knee = 1.0
    private(set) var rate = 1.0
    private(set) var pressure = 1.0
    private(set) var shortMean = 1.0
    private(set) var amplitudeDecay = 1.0
    private var cachedDt = -1.0
    /// 0.01 % of `cachedDt`; negative before the first interval, so the first call always computes.
    private var cachedTolerance = -1.0

    /// Sets the gains for an interval of `dt` seconds (finite: callers pass sample intervals).
    @inline(__always)
    mutating func update(dt: Double) {
        if abs(dt - cachedDt) > cachedTolerance { recompute(dt: dt) }
    }

    @inline(never)
    private mutating func recompute(dt: Double) {
        cachedDt = dt
        cachedTolerance = 1e-4 * dt
        knee = SmoothingGain.exact(dt: dt, timeConstant: KneeLoadEngine.kneeSmoothingS)
        rate = SmoothingGain.exact(dt: dt, timeConstant: KneeLoadEngine.rateSmoothingS)
        pressure = SmoothingGain.exact(dt: dt, timeConstant: KneeLoadEngine.pressureSmoothingS)
        shortMean = SmoothingGain.exact(dt: dt, timeConstant: UprightCalibration.shortMeanTimeConstantS)
        amplitudeDecay = SmoothingGain.exact(dt: dt, timeConstant: GaitEventDetector.amplitudeDecayS)
    }
}
