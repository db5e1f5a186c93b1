/// Tracks the knee sensor's zero drift (a flex sensor or brace that slips reads a few to ±20° off) and
/// corrects the angle.
///
/// Physics used: the knee comes near straight once per stride and when standing. Each completed stride
/// reports its minimum together with the minimum expected for that kind of stride (walking ~3°, running
/// ~10°, stairs ~8°, standing ~1°; biomech.md §5); the difference is a noisy measurement of the offset.
/// An alpha–beta filter (offset and its rate) follows a strap that keeps slipping without the lag a plain
/// average would have, and rejects single odd strides by limiting how far one measurement can pull.
public struct KneeBaseline: Sendable {
    /// Share of each stride's disagreement taken into the offset (about a 2-stride memory): strides are
    /// frequent and their minima consistent (±1–2°), while straps slip over tens of seconds.
    static let offsetGain = 0.5
    /// Share taken into the offset's rate of change, per second of stride interval; with the offset gain
    /// this is a near critically damped alpha–beta tracker (β ≈ α²/(2 − α)).
    static let rateGain = 0.15
    /// One stride may move the offset by at most this much, so a stride whose minimum is not a near-straight
    /// knee (a stumble, a deep step) cannot throw the correction far.
    static let maximumCorrectionPerStrideDeg = 8.0
    /// The drift the engine must handle is ±20°; beyond ±35° the estimate is not believed.
    static let offsetLimitDeg = 35.0
    /// A rate above this (°/s) is not a strap slipping (±20° within half a minute is ~2°/s at most).
    static let rateLimitDegPerS = 3.0
    /// Quiet standing pulls the offset with this time constant (s): a long, reliable reference.
    static let standingTimeConstantS = 2.0

    public private(set) var offsetDeg = 0.0
    public private(set) var rateDegPerS = 0.0
    public private(set) var lastUpdateTime: Double?
    public private(set) var measurements = 0
    private var standingGain = SmoothingGain(timeConstant: standingTimeConstantS)

    public init() {}

    /// The corrected knee flexion.
    @inlinable public func corrected(_ rawDeg: Double, at time: Double) -> Double {
        rawDeg - offset(at: time)
    }

    /// The offset extrapolated to `time` with its rate, limited to a few seconds ahead so a stale rate
    /// cannot run away during a long pause.
    @inlinable public func offset(at time: Double) -> Double {
        guard let last = lastUpdateTime else { return offsetDeg }
        let ahead = Swift.min(Swift.max(time - last, 0), 3)
        return offsetDeg + rateDegPerS * ahead
    }

    /// A completed stride's minimum raw knee reading and the minimum expected for its kind of stride.
    public mutating func observeStrideMinimum(rawMinimumDeg: Double, expectedDeg: Double, at time: Double) {
        let predicted = offset(at: time)
        let measured = rawMinimumDeg - expectedDeg
        guard measured.isFinite else { return }
        var error = measured - predicted
        if measurements == 0 {
            // The first stride sets the offset outright: nothing better is known yet.
            offsetDeg = clampOffset(measured)
            lastUpdateTime = time
            measurements = 1
            return
        }
        let limit = Self.maximumCorrectionPerStrideDeg
        error = Swift.min(Swift.max(error, -limit), limit)
        let interval = Swift.max(time - (lastUpdateTime ?? time), 0.3)
        offsetDeg = clampOffset(predicted + Self.offsetGain * error)
        rateDegPerS += Self.rateGain * error / interval
        rateDegPerS = Swift.min(Swift.max(rateDegPerS, -Self.rateLimitDegPerS), Self.rateLimitDegPerS)
        lastUpdateTime = time
        measurements += 1
    }

    /// Quiet standing with the knee near straight: the raw reading is offset plus ~1°.
    public mutating func observeStanding(rawDeg: Double, expectedDeg: Double, dt: Double, at time: Double) {
        let predicted = offset(at: time)
        let measured = rawDeg - expectedDeg
        guard measured.isFinite else { return }
        let alpha = standingGain.alpha(dt: dt)
        // Flushed: a reading that stays exactly at the expected one, or a rate relaxing through an hour of
        // standing, would otherwise decay into subnormal numbers.
        offsetDeg = clampOffset(predicted + alpha * (measured - predicted)).flushedIfNegligible
        // Standing is not slipping: let the rate relax toward zero on the same time scale.
        rateDegPerS = (rateDegPerS * (1 - alpha)).flushedIfNegligible
        lastUpdateTime = time
        if measurements == 0 { measurements = 1 }
    }

    private func clampOffset(_ x: Double) -> Double {
        Swift.min(Swift.max(x, -Self.offsetLimitDeg), Self.offsetLimitDeg)
    }
}

// In this file: the tracker's state is private to it.
extension KneeBaseline {
    /// Starts from a saved offset, its rate and history (`EngineCalibration`, checked with `problem` first).
    init(restoring saved: EngineCalibration) {
        self.init()
        offsetDeg = saved.kneeOffsetDeg
        rateDegPerS = saved.kneeOffsetRateDegPerS
        lastUpdateTime = saved.kneeOffsetUpdatedT
        measurements = saved.kneeOffsetMeasurements
    }

    func save(into calibration: inout EngineCalibration) {
        calibration.kneeOffsetDeg = offsetDeg
        calibration.kneeOffsetRateDegPerS = rateDegPerS
        calibration.kneeOffsetUpdatedT = lastUpdateTime
        calibration.kneeOffsetMeasurements = measurements
    }
}
