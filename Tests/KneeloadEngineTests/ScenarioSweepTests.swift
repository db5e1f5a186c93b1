import Foundation
import GaitSimulator
import KneeloadCore
import KneeloadEngine
import KneeloadSimulation
import Testing

/// Every built-in scenario × seeds 1–3 × with and without a gyro, then the sample rates and the bad rigs,
/// scored against the simulator's ground truth: steps within 2 %, stair-descent steps within 5 %, and no
/// descents where there are no stairs. `KL_TABLE=1` prints each run's counts and its missed and extra steps.
@Suite struct ScenarioSweepTests {
    typealias Outcome = SimulatedScenarioTests.Outcome

    /// The built-ins scored here: all but `cycling`, whose pedalling the engine still takes for strides
    /// (CyclingEngineTests measures it and holds what already works).
    static let scoredBuiltIns = Scenario.builtInNames.filter { $0 != "cycling" }

    /// Matches engine steps to truth contacts (nearest within `toleranceS`, each used once) and describes
    /// the misses, the extras and the median contact timing error per activity.
    static func mismatches(_ o: Outcome, toleranceS: Double = 0.25) -> String {
        func match(_ truth: [Double], _ found: [Double]) -> (missed: [Double], extra: [Double], errors: [Double]) {
            var unused = found
            var missed: [Double] = []
            var errors: [Double] = []
            for t in truth {
                if let k = unused.indices.min(by: { abs(unused[$0] - t) < abs(unused[$1] - t) }),
                    abs(unused[k] - t) <= toleranceS
                {
                    errors.append(unused[k] - t)
                    unused.remove(at: k)
                } else {
                    missed.append(t)
                }
            }
            return (missed, unused, errors)
        }
        func list(_ times: [Double]) -> String { times.map { String(format: "%.2f", $0) }.joined(separator: " ") }
        let steps = match(o.truth.steps.map(\.tS), o.steps.map(\.time))
        let descents = match(o.truth.steps.filter(\.stairDescent).map(\.tS), o.descents.map(\.time))
        var timing: [String] = []
        for activity in Activity.allCases where activity.isGait {
            let truth = o.truth.steps.filter { $0.activity == activity }.map(\.tS)
            let errors = match(truth, o.steps.map(\.time)).errors.sorted()
            if !errors.isEmpty {
                timing.append("\(activity.rawValue) \(String(format: "%+.3f", errors[errors.count / 2]))")
            }
        }
        return "steps missed [\(list(steps.missed))] extra [\(list(steps.extra))]; descents missed "
            + "[\(list(descents.missed))] extra [\(list(descents.extra))]; median contact error s: "
            + timing.joined(separator: ", ")
    }

    static func run(_ scenario: Scenario, rate: Double = 100, label: String = "") -> Outcome {
        let o = SimulatedScenarioTests.run(scenario, rate: rate)
        if ProcessInfo.processInfo.environment["KL_TABLE"] != nil {
            print("SWEEP \(scenario.name) seed \(scenario.seed) \(label) rate \(Int(rate)) gyro \(scenario.rig.gyro): "
                + "steps \(o.totals.steps)/\(o.truth.counts.steps) descents "
                + "\(o.totals.stairDescentSteps)/\(o.truth.counts.stairDescentSteps) | \(mismatches(o))")
        }
        return o
    }

    /// Steps within 2 % and descents within 5 % of the truth (none at all where there are no stairs).
    static func expectCounts(_ o: Outcome, _ context: String) {
        let steps = SimulatedScenarioTests.relativeError(o.totals.steps, o.truth.counts.steps)
        #expect(steps <= 0.02, "\(context): steps \(o.totals.steps)/\(o.truth.counts.steps); \(mismatches(o))")
        let descents = SimulatedScenarioTests.relativeError(
            o.totals.stairDescentSteps, o.truth.counts.stairDescentSteps)
        #expect(
            descents <= 0.05,
            "\(context): descents \(o.totals.stairDescentSteps)/\(o.truth.counts.stairDescentSteps); \(mismatches(o))")
    }

    /// Each scenario at 100 Hz, and the same at 50 and 200 Hz: the same counts, and the load within 5 % of
    /// the 100 Hz run's.
    @Test(arguments: scoredBuiltIns)
    func everyScenarioSeedGyroOptionAndRate(name: String) {
        for seed in UInt64(1)...3 {
            for gyro in [true, false] {
                let scenario = SimulatedScenarioTests.builtIn(name, seed: seed) { $0.gyro = gyro }
                let reference = Self.run(scenario, rate: 100)
                Self.expectCounts(reference, "\(name) seed \(seed) gyro \(gyro)")
                for rate in [50.0, 200] {
                    let o = Self.run(scenario, rate: rate)
                    let context = "\(name) seed \(seed) gyro \(gyro) at \(Int(rate)) Hz"
                    Self.expectCounts(o, context)
                    let ratio = o.totals.cumulativeLoadBWs / reference.totals.cumulativeLoadBWs
                    #expect(abs(ratio - 1) <= 0.05, "\(context): load \(ratio) of the 100 Hz run")
                }
            }
        }
    }
}

extension ScenarioSweepTests {
    /// A different bad rig per seed, as real ones are (brief): a ±2 g accelerometer with 0.03 g noise, a
    /// 2° RMS knee sensor, the strap 15–40° off axis, the knee's zero drifting by up to ±20° (slowly or
    /// within 25 s), at 50–60 Hz; one with a ±250 °/s gyro, one wearer who barely bends the knee.
    static func badRig(seed: UInt64) -> (rate: Double, apply: (inout Scenario) -> Void) {
        switch (seed - 1) % 3 {
        case 0:
            return (60, { s in
                s.rig.mountOffsetDeg = .init(roll: 35, pitch: 12, yaw: -30)
                s.rig.kneeDriftDeg = 20
                s.rig.kneeDriftPeriodS = 40
                s.rig.gyroRangeDps = 250
            })
        case 1:
            return (50, { s in
                s.rig.mountOffsetDeg = .init(roll: -40, pitch: -25, yaw: 10)
                s.rig.kneeDriftDeg = -20
                s.rig.kneeDriftPeriodS = 200
            })
        default:
            return (60, { s in
                s.rig.mountOffsetDeg = .init(roll: 15, pitch: 40, yaw: 20)
                s.rig.kneeDriftDeg = 10
                s.rig.kneeDriftPeriodS = 25
                Self.bendLess(&s, scale: 0.75)
            })
        }
    }

    /// A wearer who bends the knee `scale` times as far: the segments' knee peaks scaled, within what each
    /// activity allows (the scenario parser applies `Subject.kneeFlexScale` to the knee ranges it draws while
    /// reading a file; setting it on a parsed scenario changes nothing).
    static func bendLess(_ s: inout Scenario, scale: Double) {
        s.subject.kneeFlexScale = scale
        func clamp(_ v: Double, _ r: ClosedRange<Double>) -> Double { min(max(v, r.lowerBound), r.upperBound) }
        s.segments = s.segments.map { original in
            var segment = original
            let ranges: (peak: ClosedRange<Double>, swing: ClosedRange<Double>)?
            switch segment.activity {
            case .walk: ranges = (5...40, 35...80)
            case .run, .downhillRun: ranges = (25...85, 60...140)
            // Not below 40° on stairs down: a 15–18 cm riser cannot be stepped down step over step on a knee
            // bending less (the stance knee lowers the hip by a riser); the engine is designed from 40° up.
            case .stairDescent: ranges = (40...120, 40...130)
            case .stairAscent: ranges = (60...130, 60...130)
            case .stand, .squat, .sit, .cycle: ranges = nil
            }
            if let ranges {
                segment.kneePeakDeg = clamp(segment.kneePeakDeg * scale, ranges.peak)
                segment.kneeSwingDeg = clamp(segment.kneeSwingDeg * scale, ranges.swing)
            }
            return segment
        }
    }

    @Test(arguments: scoredBuiltIns)
    func everyScenarioOnBadRigs(name: String) {
        for seed in UInt64(1)...3 {
            for gyro in [true, false] {
                let bad = Self.badRig(seed: seed)
                var scenario = SimulatedScenarioTests.builtIn(name, seed: seed) { rig in
                    rig.gyro = gyro
                    rig.accelRangeG = 2
                    rig.accelNoiseG = 0.03
                    rig.kneeNoiseDeg = 2
                }
                bad.apply(&scenario)
                let o = Self.run(scenario, rate: bad.rate, label: "bad-rig")
                Self.expectCounts(o, "\(name) seed \(seed) gyro \(gyro) bad rig")
            }
        }
    }
}

extension ScenarioSweepTests {
    /// A scenario through the register-level rig (chips on the simulated I2C bus, the real drivers).
    static func runThroughRig(_ scenario: Scenario, rate: Double) throws -> Outcome {
        let runner = try SimulationRunner(rig: SimulatedRig(scenario: scenario), rateHz: rate)
        var engine = KneeLoadEngine(configuration: EngineConfiguration(bodyHeightM: scenario.subject.heightM))
        var buffer = EventBuffer()
        var steps: [StepLoad] = []
        var descents: [StepLoad] = []
        func drain() {
            for e in buffer.events {
                switch e {
                case .step(let s): steps.append(s)
                case .stairDescentStep(let s): descents.append(s)
                case .alert: break
                }
            }
            buffer.removeAll()
        }
        try runner.run { sample, _ in
            engine.process(sample, events: &buffer)
            if !buffer.isEmpty { drain() }
        }
        engine.finish(events: &buffer)
        drain()
        let o = Outcome(
            truth: GaitSynthesizer(scenario: scenario).truth(), totals: engine.totals, steps: steps,
            descents: descents)
        if ProcessInfo.processInfo.environment["KL_TABLE"] != nil {
            print("SWEEP \(scenario.name) seed \(scenario.seed) register-rig rate \(Int(rate)) gyro \(scenario.rig.gyro): "
                + "steps \(o.totals.steps)/\(o.truth.counts.steps) descents "
                + "\(o.totals.stairDescentSteps)/\(o.truth.counts.stairDescentSteps) | \(mismatches(o))")
        }
        return o
    }

    /// Every scenario through the register-level rig at 50 Hz, with and without a gyro (seed 1).
    @Test(arguments: scoredBuiltIns)
    func everyScenarioThroughTheRegisterLevelRig(name: String) throws {
        for gyro in [true, false] {
            let o = try Self.runThroughRig(SimulatedScenarioTests.builtIn(name, seed: 1) { $0.gyro = gyro }, rate: 50)
            Self.expectCounts(o, "\(name) gyro \(gyro) register-level rig at 50 Hz")
        }
    }

    /// Stairs and the cheap rig through the register-level rig at 60 and 100 Hz, seeds 1–3.
    @Test(arguments: ["stairs", "cheap-rig"], [60.0, 100])
    func stairScenariosThroughTheRegisterLevelRig(name: String, rate: Double) throws {
        for seed in UInt64(1)...3 {
            let o = try Self.runThroughRig(SimulatedScenarioTests.builtIn(name, seed: seed), rate: rate)
            Self.expectCounts(o, "\(name) seed \(seed) register-level rig at \(Int(rate)) Hz")
        }
    }
}
