import Foundation
import Testing

@testable import KneeloadEngine

@Suite struct SineSeriesTests {
    /// Units in the last place between two doubles of the same sign.
    private func ulps(_ a: Double, _ b: Double) -> Int64 {
        abs(Int64(bitPattern: a.bitPattern) - Int64(bitPattern: b.bitPattern))
    }

    @Test func quarterTurnIsWithinTwoUlpsOfLibm() {
        var worst: Int64 = 0
        var worstBelowHalfKneeMaximum: Int64 = 0
        let count = 200_000
        for k in 0...count {
            let x = Double.pi / 2 * Double(k) / Double(count)
            let d = ulps(SineSeries.sine(upToQuarterTurn: x), sin(x))
            worst = max(worst, d)
            // 0.96 rad: half of the model's largest knee angle (110°), where the gait load reads it.
            if x <= 0.96 { worstBelowHalfKneeMaximum = max(worstBelowHalfKneeMaximum, d) }
        }
        #expect(worst <= 2)
        #expect(worstBelowHalfKneeMaximum <= 1)
        #expect(SineSeries.sine(upToQuarterTurn: 0) == 0)
    }

    @Test func halfTurnFollowsTheSineBeyondAQuarter() {
        let count = 100_000
        for k in 0...count {
            let x = Double.pi * Double(k) / Double(count)
            // Near π the reflection π − x carries π's own rounding (~1.2e-16): compare absolutely.
            #expect(abs(SineSeries.sine(upToHalfTurn: x) - sin(x)) < 4e-16, "x = \(x)")
        }
    }
}
