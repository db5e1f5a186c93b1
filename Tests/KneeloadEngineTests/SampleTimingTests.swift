import KneeloadEngine
import Testing

@Suite struct SampleTimingTests {
    @Test(arguments: [25.0, 60.0, 200.0, 1000.0])
    func learnsRateFromTimestamps(rate: Double) {
        var timing = SampleTiming()
        for k in 0..<500 { _ = timing.accept(Double(k) / rate + 3.0) }
        #expect(abs(timing.sampleRateHz - rate) < 1e-6 * rate)
        #expect(timing.droppedSamples == 0)
        #expect(abs(timing.duration - 499 / rate) < 1e-9)
    }

    @Test func countsDroppedSamplesInGapsLongerThanThreePeriods() {
        var timing = SampleTiming()
        var t = 0.0
        for _ in 0..<100 {
            _ = timing.accept(t)
            t += 0.01
        }
        // A gap of 3 periods is not a gap; one of 10 periods drops 9 samples (CONTRACTS §2).
        t += 0.02
        if case .gap = timing.accept(t) { Issue.record("3 periods is not a gap") }
        #expect(timing.droppedSamples == 0)
        t += 0.10
        guard case .gap(_, let dropped) = timing.accept(t) else {
            Issue.record("a 10-period interval must be a gap")
            return
        }
        #expect(dropped == 9)
        #expect(timing.droppedSamples == 9)
        // The estimate is not disturbed by the gap.
        #expect(abs(timing.sampleRateHz - 100) < 0.5)
    }

    @Test func rejectsTimeGoingBackwardsOrNotFinite() {
        var timing = SampleTiming()
        _ = timing.accept(1.0)
        _ = timing.accept(1.01)
        #expect(timing.accept(1.005) == .invalid)
        #expect(timing.accept(1.01) == .invalid)
        #expect(timing.accept(.nan) == .invalid)
        #expect(timing.accept(.infinity) == .invalid)
        #expect(timing.accept(1.02) == .normal(dt: 1.02 - 1.01))
    }

    @Test func toleratesJitterAndFollowsARateChange() {
        var timing = SampleTiming()
        var random = SplitMix(seed: 7)
        var t = 0.0
        for _ in 0..<2000 {
            _ = timing.accept(t)
            t += 0.005 * (1 + 0.04 * (random.unit() * 2 - 1))
        }
        #expect(abs(timing.sampleRateHz - 200) < 3)
        for _ in 0..<200 {
            t += 0.02
            _ = timing.accept(t)
        }
        #expect(abs(timing.sampleRateHz - 50) < 1)
    }

    @Test func aBadFirstIntervalIsCorrected() {
        var timing = SampleTiming()
        _ = timing.accept(0)
        _ = timing.accept(0.5)  // the recorder started late
        var t = 0.5
        for _ in 0..<50 {
            t += 0.01
            _ = timing.accept(t)
        }
        #expect(abs(timing.sampleRateHz - 100) < 1)
    }
}

/// A tiny deterministic generator for test signals.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
