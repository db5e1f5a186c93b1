import Foundation
import GaitSimulator
import KneeloadCore
import KneeloadEngine
import Testing

/// Random wearers and rigs rather than the sweep's fixed bad rigs: each draw picks a built-in scenario and
/// its seed, a rate of 50–65 Hz, a strap turned up to 40° about any axes, a knee zero drifting up to ±20°,
/// a ±2 g accelerometer (sometimes 4 or 16), noise, gyro or not, a wearer's height and how far they bend the
/// knee, and per segment the cadence, impact and knee range (stair descents from 60 to 200 steps/min, faster
/// than the run), and the sample timing's flaws (`SampleTimingFlaws`: a quarter each regular, jittered, with single
/// samples dropped, with runs of samples dropped). All from seeded generators, so every run draws the same.
///
/// `KL_PROBE=1` prints one line per draw, its misses and extras, a data line per draw and the aggregate;
/// `KL_PROBE_N` (default 200) and `KL_PROBE_SCALE` (segment duration factor, default 0.5) change the size
/// for a longer look (1000 full-length draws take ~80 s in debug on 2 cores).
@Suite struct GeneralizationProbeTests {
    /// One random wearer and rig over one built-in scenario.
    struct Draw: Sendable, CustomStringConvertible {
        var index: Int
        var scenario: Scenario
        var rate: Double
        var timing: SampleTimingFlaws

        /// The sample times of the draw: `rate` with its timing flaws, from a stream of their own.
        func sampleTimes() -> [Double] {
            var g = SeededGenerator(seed: 0x7469_6D65).derived("sample times \(index)")
            return timing.times(duration: scenario.duration, rate: rate, generator: &g)
        }

        var hasStairs: Bool { scenario.segments.contains { $0.activity == .stairDescent } }

        var description: String {
            let r = scenario.rig
            let m = r.mountOffsetDeg
            let descents = scenario.segments.filter { $0.activity == .stairDescent }
                .map { String(format: "%.0f/%.0f°/%.1fg", $0.cadencePerMin, $0.kneePeakDeg, $0.impactG) }
            let run = scenario.segments.filter { $0.activity == .run }.map { String(format: "%.0f", $0.cadencePerMin) }
            return "#\(index) \(scenario.name) seed \(scenario.seed) "
                + String(format: "%.1f Hz mount %+.0f/%+.0f/%+.0f drift %+.1f°/%.0fs ±%dg noise %.3fg knee %.1f° ",
                    rate, m.roll, m.pitch, m.yaw, r.kneeDriftDeg, r.kneeDriftPeriodS, r.accelRangeG, r.accelNoiseG,
                    r.kneeNoiseDeg)
                + (r.gyro ? "gyro ±\(r.gyroRangeDps)" : "no gyro")
                + String(format: " height %.2f flex %.2f", scenario.subject.heightM, scenario.subject.kneeFlexScale)
                + (descents.isEmpty ? "" : " descents(spm/peak/impact) \(descents.joined(separator: " "))")
                + (run.isEmpty ? "" : " run \(run.joined(separator: " ")) spm")
                + (timing == .regular ? "" : " timing \(timing)")
        }
    }

    /// The scored result of one draw (Sendable, so draws can run concurrently).
    struct Result: Sendable {
        var draw: Draw
        var steps: Int
        var truthSteps: Int
        var descents: Int
        var truthDescents: Int
        var mismatches: String

        var stepError: Double { SimulatedScenarioTests.relativeError(steps, truthSteps) }
        var descentError: Double { SimulatedScenarioTests.relativeError(descents, truthDescents) }
        var stepsOK: Bool { stepError <= 0.02 }
        var descentsOK: Bool { descentError <= 0.05 }
        var falseDescents: Bool { !draw.hasStairs && descents > 0 }
        var ok: Bool { stepsOK && descentsOK }

        /// Space-separated fields for offline analysis (KL_PROBE=1).
        var data: String {
            let sc = draw.scenario, r = sc.rig, m = r.mountOffsetDeg
            let descents = sc.segments.filter { $0.activity == .stairDescent }
            let runs = sc.segments.filter { $0.activity == .run }
            let fields: [Any] = [
                draw.index, sc.name, draw.rate, m.roll, m.pitch, m.yaw, r.kneeDriftDeg, r.kneeDriftPeriodS,
                r.accelRangeG, r.accelNoiseG, r.kneeNoiseDeg, r.gyro ? r.gyroRangeDps : 0, sc.subject.heightM,
                sc.subject.kneeFlexScale, descents.map(\.kneePeakDeg).min() ?? 0,
                descents.map(\.cadencePerMin).max() ?? 0, runs.map(\.cadencePerMin).max() ?? 0,
                runs.map(\.kneePeakDeg).min() ?? 0, steps, truthSteps, descents.isEmpty ? 0 : self.descents,
                truthDescents, stepError, descentError, falseDescents ? 1 : 0,
            ]
            return fields.map { "\($0)" }.joined(separator: " ")
        }

        var line: String {
            "\(ok ? "ok  " : "FAIL") steps \(steps)/\(truthSteps) (\(String(format: "%.1f", stepError * 100)) %) "
                + "descents \(descents)/\(truthDescents) (\(String(format: "%.1f", descentError * 100)) %) | \(draw)"
        }
    }

    static let scenarioNames = ["stairs", "cheap-rig", "commute", "mixed", "walk", "run"]

    /// Draw `index` of the probe: independent of the others (its own derived stream), so changing N keeps
    /// the first draws as they were.
    static func draw(_ index: Int, durationScale: Double = 1) -> Draw {
        var g = SeededGenerator(seed: 0x6B6E_6565).derived("generalization probe \(index)")
        func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * g.nextUnit() }
        func pick<T>(_ list: [T]) -> T { list[min(Int(g.nextUnit() * Double(list.count)), list.count - 1)] }
        func chance(_ p: Double) -> Bool { g.nextUnit() < p }

        var scenario = try! Scenario.builtIn(named: pick(scenarioNames))
        scenario.seed = 1 + g.next() % 1_000_000
        let rate = (uniform(50, 65) * 10).rounded() / 10

        var rig = scenario.rig
        if chance(0.3) {
            // One axis only, 10–40° either way: a strap slipped around the leg, or tilted on it.
            let angle = uniform(10, 40) * (chance(0.5) ? 1 : -1)
            switch Int(g.nextUnit() * 3) {
            case 0: rig.mountOffsetDeg = .init(roll: angle)
            case 1: rig.mountOffsetDeg = .init(pitch: angle)
            default: rig.mountOffsetDeg = .init(yaw: angle)
            }
        } else {
            rig.mountOffsetDeg = .init(roll: uniform(-40, 40), pitch: uniform(-40, 40), yaw: uniform(-40, 40))
        }
        rig.kneeDriftDeg = uniform(-20, 20)
        rig.kneeDriftPeriodS = uniform(20, 300)
        rig.accelRangeG = chance(0.7) ? 2 : pick([4, 16])
        rig.accelNoiseG = uniform(0.01, 0.04)
        rig.kneeNoiseDeg = uniform(0.5, 3)
        rig.gyro = chance(0.5)
        rig.gyroRangeDps = pick(RigDescription.allowedGyroRangesDps)
        scenario.rig = rig

        let flex = uniform(0.7, 1.15)
        let height = uniform(1.55, 2.0)
        let heightRatio = height / scenario.subject.heightM
        scenario.subject.kneeFlexScale = flex
        scenario.subject.heightM = height

        // Segment parameters within SegmentRules' allowed ranges. The knee scale is applied to the resolved
        // segments here: the parser only scales the defaults it draws, and the built-ins give most knee
        // ranges explicitly.
        func clamp(_ v: Double, _ r: ClosedRange<Double>) -> Double { min(max(v, r.lowerBound), r.upperBound) }
        scenario.segments = scenario.segments.map { original in
            var s = original
            switch s.activity {
            case .stand:
                s.durationS = max(3, s.durationS * durationScale)
            case .sit:
                s.durationS = max(6, s.durationS * durationScale)
            case .squat, .cycle:
                break
            case .stairDescent:
                s.cadencePerMin = uniform(60, 200)
                s.impactG = uniform(1.5, 6)
                s.kneeContactDeg = uniform(5, 20)
                let swingExtra = s.kneeSwingDeg - s.kneePeakDeg
                // The parser's default band (65–95°) scaled by the wearer, or (a quarter of the flights) a
                // barely-bending descender at 40–55°, the range StrideClassifier is designed for. Below ~40°
                // a 15–18 cm riser cannot be stepped down step over step (the stance knee must lower the
                // hip by a riser), so that is not drawn.
                s.kneePeakDeg = chance(0.25) ? uniform(40, 55) : clamp(uniform(65, 95) * flex, 30...120)
                s.kneeSwingDeg = clamp(s.kneePeakDeg + swingExtra, 30...130)
                s.durationS = Double(s.cycles) * 120 / s.cadencePerMin
            case .stairAscent:
                s.cadencePerMin = uniform(70, 120)
                s.kneePeakDeg = clamp(s.kneePeakDeg * flex, 60...130)
                s.kneeSwingDeg = s.kneePeakDeg
                s.durationS = Double(s.cycles) * 120 / s.cadencePerMin
            case .walk, .run, .downhillRun:
                let walking = s.activity == .walk
                let cadence = walking ? uniform(95, 125) : uniform(155, 185)
                s.speedMPS = clamp(s.speedMPS * heightRatio * cadence / s.cadencePerMin, walking ? 0.4...2.5 : 1.5...7)
                s.cadencePerMin = cadence
                s.impactG = walking ? uniform(1.2, 3.5) : uniform(3, 10)
                s.kneePeakDeg = clamp(s.kneePeakDeg * flex, walking ? 5...40 : 25...85)
                s.kneeSwingDeg = clamp(s.kneeSwingDeg * flex, walking ? 35...80 : 60...140)
                s.cycles = max(3, Int((s.durationS * durationScale * cadence / 120).rounded()))
                s.steps = 2 * s.cycles
                s.durationS = Double(s.cycles) * 120 / cadence
            }
            return s
        }
        // Drawn from a stream of its own, so the wearers and rigs above stay as they were before it.
        var timingGenerator = SeededGenerator(seed: 0x7469_6D65).derived("sample timing \(index)")
        let override = ProcessInfo.processInfo.environment["KL_PROBE_TIMING"].flatMap(SampleTimingFlaws.init)
        let timing = override ?? SampleTimingFlaws.allCases[Int(timingGenerator.nextUnit() * 4) % 4]
        return Draw(index: index, scenario: scenario, rate: rate, timing: timing)
    }

    static func score(_ draw: Draw) -> Result {
        let o = SimulatedScenarioTests.run(draw.scenario, times: draw.sampleTimes())
        return Result(
            draw: draw, steps: o.totals.steps, truthSteps: o.truth.counts.steps, descents: o.totals.stairDescentSteps,
            truthDescents: o.truth.counts.stairDescentSteps, mismatches: ScenarioSweepTests.mismatches(o))
    }

    static func probe(count: Int, durationScale: Double) async -> [Result] {
        await withTaskGroup(of: Result.self) { group in
            for i in 0..<count {
                let d = draw(i, durationScale: durationScale)
                group.addTask { score(d) }
            }
            var results: [Result] = []
            for await r in group { results.append(r) }
            return results.sorted { $0.draw.index < $1.draw.index }
        }
    }

    static func summary(_ results: [Result]) -> String {
        func share(_ p: (Result) -> Bool) -> String { "\(results.filter(p).count)/\(results.count)" }
        let stepErrors = results.map(\.stepError).sorted()
        let stairs = results.filter(\.draw.hasStairs)
        let descentErrors = stairs.map(\.descentError).sorted()
        func median(_ v: [Double]) -> Double { v.isEmpty ? 0 : v[v.count / 2] }
        return "\(results.count) draws: both within tolerance \(share(\.ok)), steps within 2 % \(share(\.stepsOK)), "
            + "descents within 5 % \(share(\.descentsOK)) (stairs draws \(stairs.count)), false descents on "
            + "\(results.filter(\.falseDescents).count) no-stairs draws; step error median "
            + String(format: "%.2f %%, max %.1f %%", 100 * median(stepErrors), 100 * (stepErrors.last ?? 0))
            + String(format: "; descent error median %.1f %%, max %.1f %%", 100 * median(descentErrors),
                100 * (descentErrors.last ?? 0))
    }

    @Test func randomWearersAndRigs() async {
        let env = ProcessInfo.processInfo.environment
        let count = env["KL_PROBE_N"].flatMap(Int.init) ?? 200
        let scale = env["KL_PROBE_SCALE"].flatMap(Double.init) ?? 0.5
        if let index = env["KL_PROBE_DEBUG"].flatMap(Int.init) { Self.printStrides(ofDraw: index) }
        let results = await Self.probe(count: count, durationScale: scale)
        let failures = results.filter { !$0.ok || $0.falseDescents }
        if env["KL_PROBE"] != nil {
            for r in results { print("PROBE \(r.line)") }
            for r in failures { print("PROBE-MISMATCH #\(r.draw.index): \(r.mismatches)") }
            for r in results { print("PROBE-DATA \(r.data)") }
            print("PROBE-SUMMARY \(Self.summary(results))")
        }
        let failing = failures.map { "\($0.line)\n    \($0.mismatches)" }.joined(separator: "\n")
        let context = Comment(rawValue: "\(Self.summary(results))\n\(failing)")
        // Bounds from the run that added this test (200 draws at half length: 192 within both tolerances,
        // 199 within 2 % steps, 117/125 stairs draws within 5 % descents, 1 of 75 level draws with false
        // descents, 2 before the StrideAnalyzer.stanceStart fix; medians 0), with a little margin. Since the
        // knee-rise-share rule of StrideClassifier none of these level draws had a false descent (1000
        // full-length draws: 2 of 348 level draws still had some, against 5 before the rule). Since the draws
        // include flawed sample timing (`SampleTimingFlaws`), one of them (#53: a walker who barely bends the
        // knee, no gyro, a strap pitched 38°, single samples dropped) has two; 1000 full-length draws: 7 of
        // 348 level draws, all walkers without a gyro whose toe-off is estimated ~0.1 s late, so that the
        // stance seems to flex on. At most one such draw here, so a new kind of false descent shows.
        func share(_ p: (Result) -> Bool, of subset: [Result]) -> Double {
            Double(subset.filter(p).count) / Double(max(subset.count, 1))
        }
        let stairs = results.filter(\.draw.hasStairs)
        let level = results.filter { !$0.draw.hasStairs }
        #expect(share(\.ok, of: results) >= 0.93, context)
        #expect(share(\.stepsOK, of: results) >= 0.98, context)
        #expect(share(\.descentsOK, of: stairs) >= 0.9, context)
        #expect(level.filter(\.falseDescents).count <= 1, context)
        let stepErrors = results.map(\.stepError).sorted()
        let descentErrors = stairs.map(\.descentError).sorted()
        #expect(stepErrors[stepErrors.count / 2] <= 0.005, context)
        #expect(descentErrors[descentErrors.count / 2] <= 0.02, context)
    }
}

extension GeneralizationProbeTests {
    /// Diagnosis, not a test: `KL_PROBE_DEBUG=<index>` makes `randomWearersAndRigs` print every stride's
    /// features for that draw with the activity under way (and `KL_PROBE_TRACE=t0,t1` the samples then).
    static func printStrides(ofDraw index: Int) {
        let d = Self.draw(index, durationScale: ProcessInfo.processInfo.environment["KL_PROBE_SCALE"].flatMap(Double.init) ?? 1)
        print("DEBUG \(d)")
        var rig = FastRig(scenario: d.scenario)
        let samples = rig.samples(at: d.sampleTimes())
        let truth = GaitSynthesizer(scenario: d.scenario).truth()
        var engine = KneeLoadEngine(configuration: EngineConfiguration(bodyHeightM: d.scenario.subject.heightM))
        var buffer = EventBuffer()
        var last: StrideFeatures?
        let window = ProcessInfo.processInfo.environment["KL_PROBE_TRACE"].map { $0.split(separator: ",").compactMap { Double($0) } }
        let synthesizer = GaitSynthesizer(scenario: d.scenario)
        for (s, activity) in samples {
            if let w = window, w.count == 2, s.time >= w[0], s.time <= w[1] {
                let body = synthesizer.state(at: s.time)
                print(String(format: "TRACE %.3f knee %.1f true %.1f accel %+.2f %+.2f %+.2f gyro %@ trueRate %+.0f",
                    s.time, s.kneeFlexDeg, body.kneeFlexDeg, s.accel.x, s.accel.y, s.accel.z,
                    s.gyro.map { String(format: "%+.0f %+.0f %+.0f", $0.x, $0.y, $0.z) } ?? "-", body.shankAngularRate.y))
            }
            engine.process(s, events: &buffer)
            var kinds: [String] = []
            for e in buffer.events {
                switch e {
                case .step: kinds.append("step")
                case .stairDescentStep: kinds.append("DESCENT")
                case .alert: break
                }
            }
            buffer.removeAll()
            if let f = engine.lastStride, f != last {
                last = f
                let mode = StrideClassifier.classify(f)
                let near = truth.steps.min { abs($0.tS - f.contactTime) < abs($1.tS - f.contactTime) }
                print(String(format: "DEBUG t %.2f (%@ truth %.2f %@ toe-off %.2f) duty %.2f period %.2f landing %.1f contact %.1f loadedPeak %.1f loadedFlex %.1f late %.1f dip %.1f pushOff %.1f peak %.1f@%.2f swing %.1f impact %.2f measured %d -> %@ %d %@",
                    f.contactTime, activity.rawValue, near?.tS ?? -1, near?.activity.rawValue ?? "-", near?.toeOffS ?? -1, f.dutyFactor, f.periodS,
                    f.straightestKneeNearContactDeg, f.kneeAtContactDeg, f.loadedPeakKneeDeg, f.loadedFlexionFromLandingDeg,
                    f.lateFlexionDeg, f.loadedDipDeg, f.pushOffDipDeg, f.stancePeakKneeDeg, f.stancePeakShare, f.swingPeakKneeDeg,
                    f.impactG, f.toeOffMeasured ? 1 : 0, "\(mode.mode)", mode.descentCandidate ? 1 : 0, kinds.joined(separator: ",")))
            }
        }
    }
}
