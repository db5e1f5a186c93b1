import GaitSimulator
import KneeloadEngine
import Testing

/// Slow gait, as people with knee pain walk (75–90 steps/min) and go down stairs (55–70): strides of
/// 1.3–2.2 s, whose contact comes 0.45–0.75 s after the swing peak. Every step and every descent step is
/// found, with and without a gyro, at 50–100 Hz, on clean and on bad rigs.
@Suite struct SlowGaitTests {
    /// Slow walking and slow stair descents between standing and walking at a normal pace.
    static let scenarios: [String: String] = [
        "slow-walk-and-stairs": """
            name: slow-walk-and-stairs
            subject: {height_m: 1.70, mass_kg: 66}
            rig: {imu: mpu6050}
            segments:
              - {activity: stand, duration_s: 5}
              - {activity: walk, duration_s: 30, cadence_spm: 76}
              - {activity: stand, duration_s: 3}
              - {activity: walk, duration_s: 8}
              - {activity: stair_descent, steps: 14, cadence_spm: 62}
              - {activity: walk, duration_s: 8}
              - {activity: stand, duration_s: 5}
            """,
        "slower-walk-and-stairs": """
            name: slower-walk-and-stairs
            subject: {height_m: 1.62, mass_kg: 74}
            rig: {imu: mpu6050}
            segments:
              - {activity: stand, duration_s: 4}
              - {activity: walk, duration_s: 24, cadence_spm: 80}
              - {activity: walk, duration_s: 12, cadence_spm: 88}
              - {activity: stair_descent, steps: 12, cadence_spm: 55}
              - {activity: walk, duration_s: 8, cadence_spm: 84}
              - {activity: stair_descent, steps: 12, cadence_spm: 70}
              - {activity: stand, duration_s: 4}
            """,
    ]

    static func scenario(_ name: String, seed: UInt64, gyro: Bool) -> Scenario {
        var s = try! Scenario(yaml: scenarios[name]!, source: name)
        s.seed = seed
        s.rig.gyro = gyro
        return s
    }

    static func expectExact(_ o: SimulatedScenarioTests.Outcome, _ context: String) {
        #expect(
            o.totals.steps == o.truth.counts.steps,
            "\(context): steps \(o.totals.steps)/\(o.truth.counts.steps); \(ScenarioSweepTests.mismatches(o))")
        #expect(
            o.totals.stairDescentSteps == o.truth.counts.stairDescentSteps,
            "\(context): descents \(o.totals.stairDescentSteps)/\(o.truth.counts.stairDescentSteps); \(ScenarioSweepTests.mismatches(o))")
    }

    @Test(arguments: ["slow-walk-and-stairs", "slower-walk-and-stairs"], [50.0, 60, 100])
    func everySlowStepAndDescentFound(name: String, rate: Double) {
        for seed in UInt64(1)...3 {
            for gyro in [false, true] {
                let o = ScenarioSweepTests.run(Self.scenario(name, seed: seed, gyro: gyro), rate: rate)
                Self.expectExact(o, "\(name) seed \(seed) gyro \(gyro) at \(Int(rate)) Hz")
            }
        }
    }

    /// The sweep's bad rigs (±2 g clipping, strap 15–40° off axis, knee zero drifting by up to ±20°, noisy
    /// sensors, 50–60 Hz) at slow cadence.
    @Test(arguments: ["slow-walk-and-stairs", "slower-walk-and-stairs"])
    func slowGaitOnBadRigs(name: String) {
        for seed in UInt64(1)...3 {
            for gyro in [false, true] {
                var s = Self.scenario(name, seed: seed, gyro: gyro)
                s.rig.accelRangeG = 2
                s.rig.accelNoiseG = 0.03
                s.rig.kneeNoiseDeg = 2
                let bad = ScenarioSweepTests.badRig(seed: seed)
                bad.apply(&s)
                let o = ScenarioSweepTests.run(s, rate: bad.rate, label: "bad-rig")
                Self.expectExact(o, "\(name) seed \(seed) gyro \(gyro) bad rig")
            }
        }
    }
}
