import Foundation
import GaitSimulator
import KneeloadCore
import KneeloadEngine
import Testing

/// The engine on the built-in `cycling` scenario (walk, ~4 min of pedalling at 55–92 rpm, two stretches
/// out of the saddle, walk): the foot never lands while pedalling, so every step or stair-descent step the
/// engine counts between getting on and getting off the bicycle is a false one.
///
/// What holds today: with and without a gyro, no stair-descent step at 50/60/100/200 Hz, seeds 1–3, on the
/// clean rig and the bad rigs of `ScenarioSweepTests.badRig`. What does not (recorded as a known issue, so a
/// fix shows up as an unexpected pass): about one step per crank revolution is counted.
@Suite struct CyclingEngineTests {
    struct Count {
        var steps = 0
        var descents = 0
        var truthSteps = 0
        /// Descent steps over the whole scenario (the walks before and after have none either).
        var totalDescents = 0
    }

    /// Steps and descent steps whose contact falls between the start of the first cycling segment and the
    /// end of the last one.
    static func whilePedalling(_ scenario: Scenario, rate: Double) -> Count {
        let o = SimulatedScenarioTests.run(scenario, rate: rate)
        let cycling = o.truth.segments.filter { $0.activity == .cycle }
        let start = cycling.first!.startS, end = cycling.last!.endS
        func inside(_ t: Double) -> Bool { t >= start && t <= end }
        return Count(
            steps: o.steps.filter { inside($0.time) }.count, descents: o.descents.filter { inside($0.time) }.count,
            truthSteps: o.truth.steps.filter { inside($0.tS) }.count, totalDescents: o.totals.stairDescentSteps)
    }

    static func scenarios(gyro: Bool) -> [(Scenario, Double, String)] {
        var list: [(Scenario, Double, String)] = []
        for seed in UInt64(1)...3 {
            for rate in [50.0, 60, 100, 200] {
                list.append((SimulatedScenarioTests.builtIn("cycling", seed: seed) { $0.gyro = gyro }, rate, "seed \(seed) \(Int(rate)) Hz"))
            }
            let bad = ScenarioSweepTests.badRig(seed: seed)
            var scenario = SimulatedScenarioTests.builtIn("cycling", seed: seed) { rig in
                rig.gyro = gyro
                rig.accelRangeG = 2
                rig.accelNoiseG = 0.03
                rig.kneeNoiseDeg = 2
            }
            bad.apply(&scenario)
            list.append((scenario, bad.rate, "seed \(seed) bad rig \(Int(bad.rate)) Hz"))
        }
        return list
    }

    /// Without a gyro the knee bends under load as on stairs down, but the crank flexes it for only half of
    /// each revolution (`StrideClassifier.descentMinimumKneeRiseShare`): no descent, so no stair alert.
    @Test(arguments: [true, false])
    func pedallingIsNeverStairsDown(gyro: Bool) {
        for (scenario, rate, label) in Self.scenarios(gyro: gyro) {
            let c = Self.whilePedalling(scenario, rate: rate)
            #expect(c.truthSteps == 0, "\(label): the truth has no steps while pedalling")
            #expect(c.descents == 0, "\(label) gyro \(gyro): \(c.descents) descent steps while pedalling")
            #expect(c.totalDescents == 0, "\(label) gyro \(gyro)")
        }
    }

    /// A bound that allows a stray detection when getting on and off (each a posture change of the planted
    /// leg lasting ~1.7 s), not one per revolution: at most 4 over the whole ride.
    @Test(arguments: [true, false])
    func fewStepsWhilePedalling(gyro: Bool) {
        for (scenario, rate, label) in Self.scenarios(gyro: gyro) {
            let c = Self.whilePedalling(scenario, rate: rate)
            withKnownIssue("pedalling is counted as about one stride per crank revolution") {
                #expect(c.steps <= 4, "\(label) gyro \(gyro): \(c.steps) steps while pedalling")
            }
        }
    }
}
