import KneeloadEngine
import Testing

/// Pins the model's angle terms to the table in shared/research/biomech.md §1.1.
@Suite struct PatellofemoralModelTests {
    @Test(arguments: [
        (0.0, 0.46, 46.0), (10, 0.55, 47.6), (20, 0.65, 47.0), (30, 0.74, 44.9), (40, 0.83, 41.5),
        (50, 0.90, 37.5), (60, 0.95, 33.3), (70, 0.98, 29.3), (80, 0.99, 26.2), (90, 0.98, 24.2),
    ])
    func matchesPublishedTable(theta: Double, k: Double, momentArmMM: Double) {
        #expect(abs(PatellofemoralModel.forceRatio(kneeFlexDeg: theta) - k) < 0.006)
        #expect(abs(PatellofemoralModel.momentArm(kneeFlexDeg: theta) * 1000 - momentArmMM) < 0.06)
    }
}
