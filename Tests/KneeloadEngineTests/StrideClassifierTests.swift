import Testing

@testable import KneeloadEngine

/// The stair-descent rules on hand-made stride features: a barely-bending descender's stride (landing at 8°,
/// 40° stance peak, no dip, 65 % stance, the knee flexing from its landing for 70 % of the stride).
@Suite struct StrideClassifierTests {
    static func descentStride(lateFlexionDeg: Double, kneeRiseShare: Double? = 0.7) -> StrideFeatures {
        var f = StrideFeatures()
        f.contactTime = 10
        f.toeOffTime = 10.65
        f.periodS = 1
        f.toeOffMeasured = false
        f.kneeAtContactDeg = 10
        f.straightestKneeNearContactDeg = 8
        f.loadedPeakKneeDeg = 35
        f.kneeEarlyStanceDeg = 20
        f.kneeLateStanceDeg = 20 + lateFlexionDeg
        f.stancePeakKneeDeg = 40
        f.loadedDipDeg = 0
        f.pushOffDipDeg = 0
        f.kneeRiseShare = kneeRiseShare
        return f
    }

    @Test func aClearDescentStrideIsACandidateEitherWay() {
        for continuing in [false, true] {
            let (mode, candidate) = StrideClassifier.classify(Self.descentStride(lateFlexionDeg: 20), continuingDescent: continuing)
            #expect(mode == .stairDescent && candidate)
        }
    }

    /// Late flexion between the continuing (10°) and entry (12°) values: only continues a run.
    @Test func aMarginalStrideOnlyContinuesARun() {
        let marginal = Self.descentStride(lateFlexionDeg: 11)
        #expect(!StrideClassifier.classify(marginal, continuingDescent: false).descentCandidate)
        #expect(StrideClassifier.classify(marginal, continuingDescent: true).descentCandidate)
        let walkingLike = Self.descentStride(lateFlexionDeg: 9)
        #expect(!StrideClassifier.classify(walkingLike, continuingDescent: true).descentCandidate)
    }

    /// Pedalling: the knee flexes for only half of the revolution, however much it bends under load.
    @Test func aStrideThatFlexesForHalfOfItIsNoDescent() {
        for continuing in [false, true] {
            let pedalling = Self.descentStride(lateFlexionDeg: 20, kneeRiseShare: 0.5)
            #expect(!StrideClassifier.classify(pedalling, continuingDescent: continuing).descentCandidate)
        }
        // A bout's last stride has no next marker to measure the share against: the other rules decide.
        #expect(StrideClassifier.classify(Self.descentStride(lateFlexionDeg: 20, kneeRiseShare: nil)).descentCandidate)
    }
}
