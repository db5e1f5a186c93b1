import KneeloadEngine
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct KneeBaselineTests {
    /// A strap slipping ±20° over a minute, strides every 1.1 s: the corrected minimum stays close.
    @Test(arguments: [40.0, 60.0, 120.0])
    func followsSlowDriftFromStrideMinima(driftPeriod: Double) {
        var baseline = KneeBaseline()
        var random = SplitMix(seed: 3)
        var worst = 0.0
        var t = 0.0
        while t < 300 {
            let drift = 20 * sin(2 * Double.pi * t / driftPeriod + 0.7)
            // The stride's true minimum varies a little from stride to stride (±1.5°).
            let trueMinimum = 3 + 3 * (random.unit() - 0.5)
            baseline.observeStrideMinimum(rawMinimumDeg: trueMinimum + drift, expectedDeg: 3, at: t)
            if t > 10 { worst = max(worst, abs(baseline.offset(at: t + 0.5) - 20 * sin(2 * Double.pi * (t + 0.5) / driftPeriod + 0.7))) }
            t += 1.1
        }
        // The drift is ±20°; the residual must be well under it.
        #expect(worst < (driftPeriod < 50 ? 6 : 4))
    }

    @Test func oneOddStrideCannotThrowTheCorrectionFar() {
        var baseline = KneeBaseline()
        for k in 0..<20 { baseline.observeStrideMinimum(rawMinimumDeg: 13, expectedDeg: 3, at: Double(k)) }
        #expect(abs(baseline.offsetDeg - 10) < 0.5)
        baseline.observeStrideMinimum(rawMinimumDeg: 60, expectedDeg: 3, at: 20)
        #expect(baseline.offset(at: 20) <= 14.5)
        for k in 21..<30 { baseline.observeStrideMinimum(rawMinimumDeg: 13, expectedDeg: 3, at: Double(k)) }
        #expect(abs(baseline.offset(at: 30) - 10) < 1.5)
    }

    @Test func standingPullsTheOffsetToTheStandingReading() {
        var baseline = KneeBaseline()
        var t = 0.0
        while t < 10 {
            baseline.observeStanding(rawDeg: -11, expectedDeg: 1, dt: 0.01, at: t)
            t += 0.01
        }
        #expect(abs(baseline.corrected(-11, at: t) - 1) < 0.1)
    }
}
