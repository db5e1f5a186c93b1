import Foundation
import KneeloadCore
import Testing
@testable import GaitSimulator

@Suite struct PhysicalConsistencyTests {
    @Test func standingReadsGravityAlongTheShankAndAStraightKnee() throws {
        let synth = GaitSynthesizer(scenario: try testScenario("  - {activity: stand, duration_s: 20}"))
        for s in samples(synth, rate: 50) {
            #expect(abs(s.shankSpecificForce.x - 1) < 0.01)
            // A standing shank leans a few degrees at most.
            #expect(abs(s.shankSpecificForce.y) < 0.1)
            #expect(abs(s.shankSpecificForce.z) < 0.05)
            #expect(s.kneeFlexDeg > -1 && s.kneeFlexDeg < 6)
            #expect(s.shankAngularRate.norm < 15)
            #expect(s.footOnGround)
        }
    }

    @Test func integratedShankRateIsTheInclinationChange() throws {
        let synth = GaitSynthesizer(scenario: try testScenario("  - {activity: walk, duration_s: 12, impact_g: 0.5}"))
        let truth = synth.truth()
        let rate = 2000.0
        for (a, b) in zip(truth.steps, truth.steps.dropFirst()).prefix(5) {
            var angle = 0.0
            var previous = synth.state(at: a.tS)
            var t = a.tS
            while t < b.tS {
                let next = synth.state(at: min(t + 1 / rate, b.tS))
                angle += (previous.shankAngularRate.z + next.shankAngularRate.z) / 2 * (next.time - previous.time)
                previous = next
                t += 1 / rate
            }
            let change = synth.state(at: b.tS).shankInclinationDeg - synth.state(at: a.tS).shankInclinationDeg
            #expect(abs(angle - change) < 1.0, "stride at \(a.tS): ∫gz = \(angle)°, Δψ = \(change)°")
        }
    }

    @Test func footSwingingForwardIsNegativeZRate() throws {
        let synth = GaitSynthesizer(scenario: try testScenario("  - {activity: walk, duration_s: 10}"))
        let truth = synth.truth()
        for step in truth.steps.prefix(6) {
            // Mid-swing lies between toe-off and the next contact: the shank rotates foot-forward, fast.
            let next = truth.steps.first { $0.tS > step.tS }?.tS ?? synth.duration
            let swing = samples(synth, rate: 500, from: step.toeOffS, to: next)
            let fastest = swing.map(\.shankAngularRate.z).min() ?? 0
            #expect(fastest < -200, "swing after \(step.tS): min gz \(fastest)")
            // And inclination falls through the swing: the foot ends up ahead of the knee.
            #expect(swing.last!.shankInclinationDeg < swing.first!.shankInclinationDeg - 30)
        }
    }

    /// The specific force's size must equal |a − g| computed from the sensor's own path.
    @Test func specificForceMatchesTheSensorPath() throws {
        let synth = GaitSynthesizer(
            scenario: try testScenario(
                """
                  - {activity: stand, duration_s: 3}
                  - {activity: walk, duration_s: 8, impact_g: 0.5}
                  - {activity: run, duration_s: 6, impact_g: 2}
                  - {activity: sit, duration_s: 6}
                """))
        let contacts = synth.truth().steps.map(\.tS)
        let h = 1e-3
        var checked = 0
        var t = 0.5
        while t < synth.duration - 0.5 {
            defer { t += 0.0137 }
            if contacts.contains(where: { t - $0 > -0.01 && t - $0 < 0.35 }) { continue }
            let p0 = synth.state(at: t - h).sensorPositionM, p1 = synth.state(at: t).sensorPositionM
            let p2 = synth.state(at: t + h).sensorPositionM
            let a = (p2 - p1 * 2 + p0) * (1 / (h * h))
            // World axes of sensorPositionM: forward, up, left.
            let f = Vector3(a.x, a.y + GaitSynthesizer.standardGravity, a.z) * (1 / GaitSynthesizer.standardGravity)
            let measured = synth.state(at: t).shankSpecificForce.norm
            #expect(abs(f.norm - measured) < 0.05 + 0.02 * measured, "t \(t): path \(f.norm) g, sensor \(measured) g")
            checked += 1
        }
        #expect(checked > 500)
    }

    @Test func meanSpecificForceOverWholeStridesIsAboutOneG() throws {
        let synth = GaitSynthesizer(scenario: try testScenario("  - {activity: walk, duration_s: 20}"))
        let steps = synth.truth().steps
        let window = samples(synth, rate: 500, from: steps[2].tS, to: steps[12].tS)
        let mean = window.map(\.shankSpecificForce.norm).reduce(0, +) / Double(window.count)
        // Gravity is the only thing that does not average out over whole strides: the world-vertical part
        // of the specific force (shank frame turned back by the inclination) averages 1 g.
        let vertical = window.map { s in
            let psi = s.shankInclinationDeg * .pi / 180
            return s.shankSpecificForce.x * cos(psi) - s.shankSpecificForce.y * sin(psi)
        }
        let meanVertical = vertical.reduce(0, +) / Double(vertical.count)
        #expect(abs(meanVertical - 1) < 0.05, "mean vertical specific force \(meanVertical) g")
        #expect(mean > 1 && mean < 1.6, "mean |f| \(mean) g")
        // Vertical: the sensor ends each stride at the height it started, so its mean vertical acceleration is ~0.
        let ups = window.map(\.sensorPositionM.y)
        #expect(abs(ups.first! - ups.last!) < 0.01)
    }

    @Test func motionIsSmoothAwayFromContacts() throws {
        let synth = GaitSynthesizer(
            scenario: try testScenario(
                """
                  - {activity: sit, duration_s: 6}
                  - {activity: walk, duration_s: 8, cadence_spm: 105}
                  - {activity: stand, duration_s: 4}
                  - {activity: squat, reps: 2}
                  - {activity: walk, duration_s: 6}
                  - {activity: sit, duration_s: 5}
                """))
        let contacts = synth.truth().steps.map(\.tS)
        let all = samples(synth, rate: 1000)
        var worstForce = 0.0, worstRate = 0.0, worstKnee = 0.0, worstAt = 0.0
        for (a, b) in zip(all, all.dropFirst()) {
            if contacts.contains(where: { a.time - $0 > -0.002 && a.time - $0 < 0.3 }) { continue }
            if (b.shankSpecificForce - a.shankSpecificForce).norm > worstForce { worstAt = a.time }
            worstForce = max(worstForce, (b.shankSpecificForce - a.shankSpecificForce).norm)
            worstRate = max(worstRate, (b.shankAngularRate - a.shankAngularRate).norm)
            worstKnee = max(worstKnee, abs(b.kneeFlexDeg - a.kneeFlexDeg))
        }
        // Per millisecond: 2.5 g (2500 g/s of jerk), 60 °/s (60 000 °/s² of angular acceleration), 1.5°.
        #expect(worstForce < 2.5, "largest 1 ms step in specific force: \(worstForce) g at \(worstAt) s")
        #expect(worstRate < 60, "largest 1 ms step in angular rate: \(worstRate) °/s")
        #expect(worstKnee < 1.5, "largest 1 ms step in knee angle: \(worstKnee)°")
    }

    @Test func sameSeedSameMotionOtherSeedOtherMotion() throws {
        let text = "  - {activity: walk, duration_s: 6}\n  - {activity: run, duration_s: 6}"
        let a = GaitSynthesizer(scenario: try testScenario(text, seed: 9))
        let b = GaitSynthesizer(scenario: try testScenario(text, seed: 9))
        let c = GaitSynthesizer(scenario: try testScenario(text, seed: 10))
        #expect(a.truth() == b.truth())
        #expect(a.truth() != c.truth())
        let times = stride(from: 0.0, to: 12, by: 0.37)
        #expect(times.allSatisfy { a.state(at: $0) == b.state(at: $0) })
        #expect(times.contains { a.state(at: $0).shankSpecificForce != c.state(at: $0).shankSpecificForce })
    }

    @Test func stairDescentLosesRiserTimesStepsOfHeight() throws {
        let synth = GaitSynthesizer(
            scenario: try testScenario(
                """
                  - {activity: walk, duration_s: 6}
                  - {activity: stair_descent, steps: 12, riser_m: 0.17}
                  - {activity: walk, duration_s: 6}
                """, extra: "rig: {barometer: true}"))
        let segments = synth.truth().segments
        let before = samples(synth, rate: 100, from: segments[1].startS + 1, to: segments[1].endS - 1)
        let after = samples(synth, rate: 100, from: segments[3].startS + 2, to: segments[3].endS)
        let drop = before.map(\.altitudeM).reduce(0, +) / Double(before.count)
            - after.map(\.altitudeM).reduce(0, +) / Double(after.count)
        #expect(abs(drop - 12 * 0.17) < 0.05, "height lost \(drop) m")
        let pressureRise = after[0].pressurePa - before[0].pressurePa
        #expect(pressureRise > 20 && pressureRise < 28, "pressure rose \(pressureRise) Pa")
    }

    @Test func barometricFormula() {
        #expect(abs(GaitSynthesizer.pressure(altitudeM: 0) - 101_325) < 1e-6)
        // ~12 Pa per metre near sea level; 1 km ≈ 89 875 Pa.
        #expect(abs(GaitSynthesizer.pressure(altitudeM: 1000) - 89_875) < 5)
    }
}

