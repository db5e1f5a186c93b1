import Foundation
import Testing
@testable import GaitSimulator

@Suite struct ActivityBandsTests {
    /// Stance share, stride time and knee range of each activity, measured from truth and samples.
    struct Measured {
        var stanceShare: Double
        var cadenceSPM: Double
        var kneeMin: Double
        var kneeMax: Double
        /// Largest flexion in the loaded part of stance (contact to `loadedShare` of stance).
        var stanceKneeMax: Double
    }

    func measure(_ segment: String, seed: UInt64 = 5, loadedShare: Double = 0.6) throws -> Measured {
        let synth = GaitSynthesizer(scenario: try testScenario("  - {activity: stand, duration_s: 3}\n  - \(segment)\n  - {activity: stand, duration_s: 3}", seed: seed))
        let steps = synth.truth().steps
        // Inner strides only: away from the start and stop.
        let inner = Array(steps.dropFirst(2).dropLast(2))
        var shares: [Double] = [], periods: [Double] = []
        var kneeMin = Double.infinity, kneeMax = -Double.infinity, stanceMax = -Double.infinity
        for (a, b) in zip(inner, inner.dropFirst()) {
            periods.append(b.tS - a.tS)
            shares.append((a.toeOffS - a.tS) / (b.tS - a.tS))
            for s in samples(synth, rate: 400, from: a.tS, to: b.tS) {
                kneeMin = min(kneeMin, s.kneeFlexDeg)
                kneeMax = max(kneeMax, s.kneeFlexDeg)
                if s.footOnGround && s.time < a.tS + loadedShare * (a.toeOffS - a.tS) { stanceMax = max(stanceMax, s.kneeFlexDeg) }
            }
        }
        return Measured(
            stanceShare: median(shares), cadenceSPM: 120 / median(periods), kneeMin: kneeMin, kneeMax: kneeMax,
            stanceKneeMax: stanceMax)
    }

    @Test func walking() throws {
        let m = try measure("{activity: walk, duration_s: 20, cadence_spm: 110}")
        #expect(m.stanceShare > 0.56 && m.stanceShare < 0.64)
        #expect(abs(m.cadenceSPM - 110) < 4)
        #expect(m.stanceKneeMax > 10 && m.stanceKneeMax < 35)
        #expect(m.kneeMax > 50 && m.kneeMax < 75)
    }

    @Test func runningHasAFlightPhase() throws {
        let m = try measure("{activity: run, duration_s: 20, cadence_spm: 170}")
        // One leg down at most 40 % of the stride: both feet are off the ground twice per stride.
        #expect(m.stanceShare > 0.28 && m.stanceShare < 0.42)
        #expect(abs(m.cadenceSPM - 170) < 6)
        #expect(m.stanceKneeMax > 30 && m.stanceKneeMax < 65)
        #expect(m.kneeMax > 85 && m.kneeMax < 135)
    }

    @Test func downhillRunningBendsDeepButStillFlies() throws {
        let m = try measure("{activity: downhill_run, duration_s: 20, slope_deg: 6}")
        #expect(m.stanceShare < 0.45)
        #expect(m.stanceKneeMax > 40)
        #expect(m.cadenceSPM > 150 && m.cadenceSPM < 190)
    }

    @Test func stairDescentHasNoFlightAndLoadedFlexion() throws {
        let m = try measure("{activity: stair_descent, steps: 16, cadence_spm: 95, knee_peak_deg: 85}", loadedShare: 1)
        #expect(m.stanceShare > 0.58 && m.stanceShare < 0.72)
        #expect(abs(m.cadenceSPM - 95) < 5)
        #expect(m.stanceKneeMax > 65 && m.stanceKneeMax < 105)
    }

    @Test func barelyBendingAndFastDescents() throws {
        let shallow = try measure("{activity: stair_descent, steps: 16, knee_peak_deg: 45}", loadedShare: 1)
        #expect(shallow.stanceKneeMax > 35 && shallow.stanceKneeMax < 60)
        let fast = try measure("{activity: stair_descent, steps: 18, cadence_spm: 180}")
        #expect(fast.cadenceSPM > 170)
        #expect(fast.stanceShare > 0.58)
    }

    @Test func squatsAndSitting() throws {
        let synth = GaitSynthesizer(
            scenario: try testScenario(
                "  - {activity: squat, reps: 4, knee_peak_deg: 100, rate_rpm: 20}\n  - {activity: sit, duration_s: 8, knee_deg: 92}"))
        let truth = synth.truth()
        #expect(truth.steps.isEmpty)
        let squat = samples(synth, rate: 100, from: truth.segments[0].startS, to: truth.segments[0].endS)
        let deepest = squat.map(\.kneeFlexDeg).max()!
        #expect(deepest > 88 && deepest < 112)
        let seated = samples(synth, rate: 100, from: truth.segments[1].startS + 2, to: truth.segments[1].endS)
        #expect(seated.allSatisfy { abs($0.kneeFlexDeg - 92) < 6 && $0.footOnGround })
        // Sitting lowers the hips, which the barometer sees.
        #expect(seated[0].altitudeM < squat[0].altitudeM - 0.3)
    }

    @Test func truthCountsFollowTheSegments() throws {
        let synth = GaitSynthesizer(
            scenario: try testScenario(
                """
                  - {activity: stand, duration_s: 5}
                  - {activity: walk, duration_s: 60, cadence_spm: 110}
                  - {activity: stair_descent, steps: 14, cadence_spm: 95, instrumented_leads: true}
                  - {activity: walk, duration_s: 10, cadence_spm: 110}
                  - {activity: stair_descent, steps: 9, instrumented_leads: false}
                """))
        let truth = synth.truth()
        let walks = truth.steps.filter { $0.activity == .walk }
        #expect(walks.count == 55 + 9)
        #expect(truth.counts.stairDescentSteps == 7 + 4)
        #expect(truth.counts.stairDescentFlights == 2)
        #expect(truth.counts.steps == truth.steps.count)
        #expect(abs(truth.durationS - synth.scenario.duration) < 1e-9)
        #expect(abs(truth.segments[1].endS - truth.segments[1].startS - 60) < 1e-6)
        // Contacts fall inside their segments and never overlap the previous stance.
        for (a, b) in zip(truth.steps, truth.steps.dropFirst()) {
            #expect(a.toeOffS > a.tS && a.toeOffS < b.tS)
        }
        let json = truth.jsonString()
        for key in ["\"t_s\"", "\"toe_off_s\"", "\"stair_descent\"", "\"stair_descent_flights\"", "\"duration_s\"", "\"start_s\""] {
            #expect(json.contains(key))
        }
        let decoded = try JSONDecoder().decode(GroundTruth.self, from: Data(json.utf8))
        #expect(decoded == truth)
    }
}
