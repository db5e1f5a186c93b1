import Foundation
import KneeloadCore

/// Builds a `GaitPlan` from a scenario: the timeline, every stride's shape with its variation, where each
/// foot lands, and the splines the synthesizer evaluates.
///
/// How the leg is kept physically consistent:
/// - Knee flexion κ and shank inclination ψ are keyframed per cycle and joined by one C² spline over the
///   gait phase; the thigh follows as h = κ − ψ.
/// - While the foot is down its ankle stays on the footprint (moving only by the foot's rocking about heel
///   or toe), so the stance shank pivots about a fixed ankle, as it does on a real foot.
/// - Each stride's shank keyframes are tilted just enough that the hip travels the stride's share of the
///   stride length during stance (speed / stride frequency), so the angles and the speed agree.
/// - The pelvis is placed by forward kinematics up from the instrumented foot while it is down, from the
///   other foot (the leg mirrored half a stride later) during its swing, and flies ballistically (−g) when
///   neither is down.
/// - During swing the ankle hangs from the pelvis through thigh and shank; quintic bridges spanning the
///   whole swing, matching position, velocity and acceleration at toe-off and at the next contact, take up
///   the mismatch.
struct GaitPlanner {
    let scenario: Scenario
    let geometry: LegGeometry
    let layout: CycleLayout
    let random: SeededGenerator

    init(scenario: Scenario) {
        self.scenario = scenario
        geometry = LegGeometry(heightM: scenario.subject.heightM)
        layout = CycleLayout(scenario: scenario)
        random = SeededGenerator(seed: scenario.seed).derived("gait synthesizer")
    }

    /// Per-scenario habits of this person (foot strike, push-off, impact ringing, posture).
    struct Style {
        var standPose: Pose
        var sitShank: [Int: Double]
        var contactPitchDeg: [Activity: Double]
        var toeOffPitchDeg: [Activity: Double]
        var ringFrequencyHz: Double
        var ringCycles: Double
        var forwardShare: Double
        var gyroDpsPerG: Double
        var squatLean: Double
    }

    func makeStyle() -> Style {
        var g = random.derived("style")
        func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * g.nextUnit() }
        let rearfootRunner = g.nextUnit() < 0.7
        var sitShank: [Int: Double] = [:]
        for (i, s) in scenario.segments.enumerated() where s.activity == .sit { sitShank[i] = uniform(-3, 8) }
        return Style(
            standPose: Pose(kneeDeg: uniform(1, 4), shankDeg: uniform(-1.5, 1.5)),
            sitShank: sitShank,
            contactPitchDeg: [
                .walk: -uniform(14, 22),
                .run: rearfootRunner ? -uniform(6, 14) : uniform(4, 10),
                .downhillRun: -uniform(10, 18),
                .stairDescent: uniform(15, 28),
                .stairAscent: uniform(0, 6),
            ],
            toeOffPitchDeg: [
                .walk: uniform(50, 62), .run: uniform(45, 60), .downhillRun: uniform(40, 55),
                .stairDescent: uniform(12, 25), .stairAscent: uniform(30, 42),
            ],
            ringFrequencyHz: uniform(22, 36),
            ringCycles: uniform(1.0, 1.8),
            forwardShare: -uniform(0.1, 0.35),
            gyroDpsPerG: uniform(5, 12) * (g.nextUnit() < 0.5 ? -1 : 1),
            squatLean: uniform(0.2, 0.35))
    }

    func scenarioSegment(ofCycle j: Int) -> ScenarioSegment? {
        layout.segments[layout.cycles[j].segment].scenarioIndex.map { scenario.segments[$0] }
    }

    func scenarioIndex(ofCycle j: Int) -> Int? { layout.segments[layout.cycles[j].segment].scenarioIndex }

    // MARK: - Timeline

    /// Knot frequencies: fixed at segment boundaries, scaled inside each segment so its cycles fill its
    /// duration exactly, with ±3 % stride-to-stride variation on gait strides.
    func makeClock() -> PhaseClock {
        let cycles = layout.cycles
        var g = random.derived("cadence")
        var f = [Double](repeating: 0, count: cycles.count + 1)
        var isBoundary = [Bool](repeating: false, count: cycles.count + 1)
        for (k, segment) in layout.segments.enumerated() {
            f[segment.firstCycle] = layout.boundaryFrequencies[k]
            isBoundary[segment.firstCycle] = true
        }
        f[cycles.count] = layout.boundaryFrequencies[layout.segments.count]
        isBoundary[cycles.count] = true
        var base = [Double](repeating: 0, count: cycles.count + 1)
        for j in cycles.indices {
            let varies = cycles[j].kind == .stride || cycles[j].kind == .stop
            let variation = varies ? min(max(g.nextGaussian(standardDeviation: 0.015), -0.03), 0.03) : 0
            base[j] = cycles[j].targetFrequency * (1 + variation)
        }
        for segment in layout.segments where segment.cycleCount >= 2 {
            let first = segment.firstCycle, end = first + segment.cycleCount
            func total(_ scale: Double) -> Double {
                var sum = 0.0
                for j in first..<end {
                    let a = isBoundary[j] ? f[j] : scale * base[j]
                    let b = isBoundary[j + 1] ? f[j + 1] : scale * base[j + 1]
                    sum += 2 / (a + b)
                }
                return sum
            }
            // total() falls as the scale grows; bisect on a log scale.
            var lo = log(1e-3), hi = log(1e3)
            for _ in 0..<100 {
                let mid = (lo + hi) / 2
                if total(exp(mid)) > segment.durationS { lo = mid } else { hi = mid }
            }
            let scale = exp((lo + hi) / 2)
            for j in (first + 1)..<end { f[j] = scale * base[j] }
        }
        return PhaseClock(startTime: 0, frequencies: f)
    }

    // MARK: - Stride shapes and keyframes

    func makeShape(cycle j: Int, style: Style, rng g: inout SeededGenerator) -> StrideShape {
        let s = scenarioSegment(ofCycle: j)!
        func noise(_ sd: Double, _ limit: Double) -> Double {
            min(max(g.nextGaussian(standardDeviation: sd), -limit), limit)
        }
        let a = s.activity
        let flatBy: Double, heelOff: Double
        switch a {
        case .walk: (flatBy, heelOff) = (0.2, 0.45)
        case .run, .downhillRun: (flatBy, heelOff) = (0.3, 0.35)
        case .stairDescent: (flatBy, heelOff) = (0.35, 0.6)
        default: (flatBy, heelOff) = (0.2, 0.5)
        }
        return StrideShape(
            activity: a,
            stanceShare: s.stanceShare + noise(0.008, 0.02),
            kneeContactDeg: max(0, s.kneeContactDeg + noise(1.2, 3)),
            kneePeakDeg: s.kneePeakDeg * (1 + noise(0.04, 0.1)),
            kneeSwingDeg: s.kneeSwingDeg * (1 + noise(0.04, 0.1)),
            footPitchContactDeg: (style.contactPitchDeg[a] ?? 0) * (1 + noise(0.08, 0.2)),
            footFlatBy: flatBy,
            footPitchToeOffDeg: (style.toeOffPitchDeg[a] ?? 0) + noise(2, 5),
            heelOffFrom: heelOff,
            shankOffsetDeg: noise(1, 2.5),
            stanceTravelShare: a.isStairs ? 0.75 : 1)
    }

    /// Share of the swing over which the swing path is joined to the planted foot at each end: the whole
    /// swing, so the correction's acceleration is as small as it can be (0.35 made walking strides average
    /// ~1.5 g of specific force against the 1.1–1.3 g of real shank IMUs).
    static let swingBridgeShare = 1.0

    /// Phase position within a cycle of a template knot.
    static func position(_ knot: TemplateKnot, stanceShare: Double) -> Double {
        knot.inStance ? knot.fraction * stanceShare : stanceShare + knot.fraction * (1 - stanceShare)
    }

    /// The tilt ramp used to fit a stride's shank keyframes to its length: rises through stance, falls back
    /// through swing, so extra tilt at toe-off is paid back before the next contact.
    static func tiltRamp(_ knot: TemplateKnot) -> Double {
        let centre = 0.4
        return knot.inStance ? knot.fraction - centre : (1 - centre) - knot.fraction
    }

    /// The hip's forward travel over the stance of a stride whose foot stays on one footprint.
    func stanceTravel(knots: [TemplateKnot], shape: StrideShape, tiltDeg: Double) -> Double {
        guard let contact = knots.first(where: { $0.inStance && $0.fraction == 0 }),
            let toeOff = knots.first(where: { $0.inStance && $0.fraction == 1 })
        else { return 0 }
        func hipForward(_ k: TemplateKnot, pitchDeg: Double) -> Double {
            let psi = k.resolvedShankDeg + tiltDeg * Self.tiltRamp(k)
            return geometry.ankleOffset(footPitchDeg: pitchDeg).forward
                + geometry.hipFromAnkle(shankDeg: psi, kneeDeg: k.kneeDeg).forward
        }
        return hipForward(toeOff, pitchDeg: shape.footPitchToeOffDeg)
            - hipForward(contact, pitchDeg: shape.footPitchContactDeg)
    }

    /// Keyframes of a stride, tilted so the stance travel matches `strideLength`.
    func strideKeyframes(shape: StrideShape, strideLength: Double) -> [Keyframe] {
        let knots = shape.knots
        let target = shape.stanceTravelShare * strideLength * shape.stanceShare
        var lo = -25.0, hi = 25.0
        for _ in 0..<50 {
            let mid = (lo + hi) / 2
            if stanceTravel(knots: knots, shape: shape, tiltDeg: mid) < target { lo = mid } else { hi = mid }
        }
        let tilt = (lo + hi) / 2
        return knots.map { k in
            Keyframe(
                position: Self.position(k, stanceShare: shape.stanceShare), kneeDeg: k.kneeDeg,
                shankDeg: k.resolvedShankDeg + tilt * Self.tiltRamp(k))
        }
    }

    struct Keyframe {
        var position: Double
        var kneeDeg: Double
        var shankDeg: Double
    }

    static func uniformPositions(_ count: Int) -> [Double] { (0..<count).map { Double($0) / Double(count) } }

    static func smoothstep(_ s: Double) -> Double { s * s * s * (10 - 15 * s + 6 * s * s) }

    // MARK: - Build

    func build() -> GaitPlan {
        let cycles = layout.cycles
        let n = cycles.count
        let clock = makeClock()
        let style = makeStyle()
        var shapeRandom = random.derived("stride shapes")
        var sway = random.derived("sway")
        var lengthRandom = random.derived("stride lengths")

        // Shapes and lengths of gait strides.
        var shapes = [StrideShape?](repeating: nil, count: n)
        var strideLength = [Double](repeating: 0, count: n)
        for j in 0..<n where cycles[j].kind == .stride || cycles[j].kind == .stop {
            let shape = makeShape(cycle: j, style: style, rng: &shapeRandom)
            shapes[j] = shape
            let s = scenarioSegment(ofCycle: j)!
            let period = clock.times[j + 1] - clock.times[j]
            let jitter = 1 + min(max(lengthRandom.nextGaussian(standardDeviation: 0.015), -0.04), 0.04)
            if s.activity.isStairs {
                strideLength[j] = 2 * s.treadM * jitter
            } else {
                strideLength[j] = s.speedMPS * period * cos(s.slopeDeg * .pi / 180) * jitter
            }
        }

        // A stride into a different gait lands halfway between the two stride lengths (a runner shortens
        // the last stride before stairs).
        for j in 0..<(n - 1) where shapes[j] != nil && shapes[j + 1] != nil && shapes[j]!.activity != shapes[j + 1]!.activity {
            strideLength[j] = (strideLength[j] + strideLength[j + 1]) / 2
        }

        // Crank revolutions: the bicycle (one per run of consecutive cycling segments: the first segment's
        // saddle height), the crank easing in after getting on and out before getting off, and the rider
        // rising out of the saddle over the first revolution of a standing segment and sitting back down
        // over the first revolution after it (or the last one before getting off).
        var cranks: [Int: CrankGeometry] = [:]
        for (i, s) in scenario.segments.enumerated() where s.activity == .cycle {
            cranks[i] = i > 0 && scenario.segments[i - 1].activity == .cycle
                ? cranks[i - 1] : CrankGeometry(geometry: geometry, kneeBottomDeg: s.kneeBottomDeg)
        }
        var pedals = [PedalCycle?](repeating: nil, count: n)
        for j in 0..<n where cycles[j].kind == .pedal {
            let s = scenarioSegment(ofCycle: j)!
            let before = j > 0 && cycles[j - 1].kind == .pedal
            let after = j + 1 < n && cycles[j + 1].kind == .pedal
            let ramp: PedalCycle.Ramp = before ? (after ? .steady : .easeOut) : (after ? .easeIn : .easeInOut)
            pedals[j] = PedalCycle(
                crank: cranks[scenarioIndex(ofCycle: j)!]!, ramp: ramp,
                standingFrom: before ? pedals[j - 1]!.standingTo : 0, standingTo: after && s.standing ? 1 : 0)
        }

        // Poses.
        let stand = style.standPose
        func pose(_ kind: PoseKind, cycle j: Int) -> Pose {
            switch kind {
            case .stand: return stand
            case .saddle:
                // Getting on and off belong to their cycling segment.
                let crank = scenarioIndex(ofCycle: j).flatMap { cranks[$0] }
                    ?? CrankGeometry(geometry: geometry, kneeBottomDeg: 35)
                return crank.mountPose
            case .sit:
                // The sitting angle of the nearest sit segment at or around this cycle.
                let index = nearestSitSegment(cycle: j)
                let seg = index.map { scenario.segments[$0] }
                return Pose(kneeDeg: seg?.kneePeakDeg ?? 90, shankDeg: index.flatMap { style.sitShank[$0] } ?? 3)
            }
        }

        // Keyframes, gait strides first (start cycles copy the swing of the stride after them).
        var keyframes = [[Keyframe]](repeating: [], count: n)
        for j in 0..<n {
            guard let shape = shapes[j] else { continue }
            var frames = strideKeyframes(shape: shape, strideLength: strideLength[j])
            if cycles[j].kind == .stop {
                // Contact and loading as a stride, then the leg comes to rest standing.
                frames[2].kneeDeg = (frames[2].kneeDeg + stand.kneeDeg) / 2
                frames[2].shankDeg = (frames[2].shankDeg + stand.shankDeg) / 2
                for i in 3..<frames.count {
                    frames[i].kneeDeg = stand.kneeDeg
                    frames[i].shankDeg = stand.shankDeg
                }
            }
            keyframes[j] = frames
        }
        var rockers = [FootRocker](repeating: .flat, count: n)
        var stanceShares = [Double](repeating: 1, count: n)
        for j in 0..<n {
            let positions = Self.uniformPositions(GaitPlan.kneeKnotsPerCycle)
            switch cycles[j].kind {
            case .stride, .stop:
                let shape = shapes[j]!
                stanceShares[j] = shape.stanceShare
                rockers[j] = FootRocker(
                    contactPitch: shape.footPitchContactDeg * .pi / 180, flatBy: shape.footFlatBy,
                    toeOffPitch: cycles[j].kind == .stop ? 0 : shape.footPitchToeOffDeg * .pi / 180,
                    heelOffFrom: shape.heelOffFrom)
            case .start:
                // Standing, a gentle pre-swing, then the swing of the stride that follows.
                let next = j + 1 < n ? shapes[j + 1] : nil
                let sigma = next?.stanceShare ?? 0.6
                stanceShares[j] = sigma
                rockers[j] = FootRocker(
                    toeOffPitch: 0.5 * (next?.footPitchToeOffDeg ?? 40) * .pi / 180, heelOffFrom: 0.5)
                let nextFrames = j + 1 < n ? keyframes[j + 1] : []
                var frames: [Keyframe] = []
                for (i, f) in [0.0, 0.25, 0.5, 0.75].enumerated() {
                    let knee = stand.kneeDeg + (i == 3 ? 4 : 0)
                    frames.append(Keyframe(position: f * sigma, kneeDeg: knee, shankDeg: stand.shankDeg))
                }
                let toeOff = nextFrames.count == 8 ? nextFrames[4] : Keyframe(position: 0, kneeDeg: 30, shankDeg: 30)
                frames.append(
                    Keyframe(
                        position: sigma, kneeDeg: (stand.kneeDeg + toeOff.kneeDeg) / 2,
                        shankDeg: (stand.shankDeg + toeOff.shankDeg) / 2))
                if nextFrames.count == 8, let nextShape = next {
                    for i in 5..<8 {
                        // Same place in swing as in the next stride, rescaled to this cycle's stance share.
                        let swingFraction = (nextFrames[i].position - nextShape.stanceShare) / (1 - nextShape.stanceShare)
                        frames.append(
                            Keyframe(
                                position: sigma + swingFraction * (1 - sigma), kneeDeg: nextFrames[i].kneeDeg,
                                shankDeg: nextFrames[i].shankDeg))
                    }
                } else {
                    for (i, f) in [0.3, 0.6, 0.85].enumerated() {
                        frames.append(
                            Keyframe(position: sigma + f * (1 - sigma), kneeDeg: [50, 30, 8][i], shankDeg: [30, 5, -10][i]))
                    }
                }
                keyframes[j] = frames
            case .hold(let kind):
                let p = pose(kind, cycle: j)
                let kneeSway = kind == .sit ? 0.8 : 0.4, shankSway = kind == .sit ? 0.6 : 0.3
                keyframes[j] = positions.map { x in
                    Keyframe(
                        position: x, kneeDeg: p.kneeDeg + sway.nextGaussian(standardDeviation: kneeSway),
                        shankDeg: p.shankDeg + sway.nextGaussian(standardDeviation: shankSway))
                }
            case .transition(let from, let to):
                let a = pose(from, cycle: j), b = pose(to, cycle: j)
                keyframes[j] = positions.map { x in
                    let w = Self.smoothstep(x * 8 / 7)
                    return Keyframe(
                        position: x, kneeDeg: a.kneeDeg + (b.kneeDeg - a.kneeDeg) * w,
                        shankDeg: a.shankDeg + (b.shankDeg - a.shankDeg) * w)
                }
            case .pedal:
                stanceShares[j] = 0
                keyframes[j] = positions.map { x in
                    let a = pedals[j]!.angles(x)
                    return Keyframe(position: x, kneeDeg: a.kneeDeg, shankDeg: a.shankDeg)
                }
            case .squatRep:
                let s = scenarioSegment(ofCycle: j)!
                let depth = s.kneePeakDeg * (1 + min(max(sway.nextGaussian(standardDeviation: 0.04), -0.1), 0.1))
                let profile = [0.0, 0.12, 0.48, 0.88, 1.0, 0.9, 0.5, 0.1]
                keyframes[j] = zip(positions, profile).map { x, w in
                    let knee = stand.kneeDeg + (depth - stand.kneeDeg) * w
                    return Keyframe(
                        position: x, kneeDeg: knee, shankDeg: stand.shankDeg + style.squatLean * (knee - stand.kneeDeg))
                }
            }
        }

        // A solved stance needs a bent knee to stay regular (see LegGeometry.inverseKinematics).
        for j in 0..<n where cycles[j].kind == .stride {
            for i in keyframes[j].indices where keyframes[j][i].position <= stanceShares[j] {
                keyframes[j][i].kneeDeg = max(keyframes[j][i].kneeDeg, 3)
            }
        }

        // Joint-angle splines over the phase (radians), as designed.
        let toRadians = Double.pi / 180
        func splines(_ frames: [[Keyframe]]) -> (knee: NaturalCubicSpline, shank: NaturalCubicSpline) {
            var xs: [Double] = [], kneeYs: [Double] = [], shankYs: [Double] = []
            for j in 0..<n {
                for f in frames[j] {
                    xs.append(Double(j) + f.position)
                    kneeYs.append(f.kneeDeg * toRadians)
                    shankYs.append(f.shankDeg * toRadians)
                }
            }
            xs.append(Double(n))
            kneeYs.append(frames[n - 1][0].kneeDeg * toRadians)
            shankYs.append(frames[n - 1][0].shankDeg * toRadians)
            return (NaturalCubicSpline(xs: xs, ys: kneeYs), NaturalCubicSpline(xs: xs, ys: shankYs))
        }
        let designed = splines(keyframes)

        // Footprints.
        let feet = footprints(keyframes: keyframes, rockers: rockers, strideLength: strideLength, stand: stand)

        var records: [CycleRecord] = (0..<n).map { j in
            CycleRecord(
                kind: cycles[j].kind, activity: layout.segments[cycles[j].segment].activity,
                segment: cycles[j].segment, stanceShare: stanceShares[j], footprintForward: feet.ankleForward[j],
                footprintUp: feet.ankleUp[j], rocker: rockers[j])
        }
        // The bicycle stands where the foot was put on its pedal (a pedal cycle keeps the footprint of the
        // cycle before it): the seated hip is that ankle position less the ankle's place at bottom dead centre.
        for j in 0..<n {
            guard var pedal = pedals[j] else { continue }
            let bottom = pedal.crank.ankle(crank: .pi)
            pedal.saddleForward = feet.ankleForward[j] - bottom.forward
            pedal.saddleUp = feet.ankleUp[j] - bottom.up
            records[j].pedal = pedal
            records[j].vibrationG = scenarioSegment(ofCycle: j)?.vibrationG ?? 0
        }

        // Pelvis, then the stance shank keyframes refitted to it, so the keyframed swing starts and ends
        // close to the stance the inverse kinematics will solve.
        let pelvis = pelvisPath(
            clock: clock, records: records, knee: designed.knee, shank: designed.shank, feet: feet,
            strideLength: strideLength)
        for j in 0..<n where cycles[j].kind == .stride {
            for i in keyframes[j].indices where keyframes[j][i].position <= stanceShares[j] {
                keyframes[j][i].shankDeg = pelvis.stanceShankDeg(j, Double(j) + keyframes[j][i].position)
            }
        }
        let fitted = splines(keyframes)
        let knee = fitted.knee, shank = fitted.shank

        var g = random.derived("out of plane")
        let outOfPlane = OutOfPlaneMotion(
            axialAmplitude: (0.5 + 0.7 * g.nextUnit()) * toRadians, axialPhase: 2 * .pi * g.nextUnit(),
            tiltAmplitude: (0.3 + 0.5 * g.nextUnit()) * toRadians, tiltPhase: 2 * .pi * g.nextUnit(),
            harmonicShare: 0.2 + 0.2 * g.nextUnit())

        // Swing bridges: the gap between the hip-driven ankle and the planted foot at toe-off fades out
        // over the first part of the swing, and the gap at the next contact fades in over the last part.
        let vibration = RoadVibration(random: random.derived("road vibration"))
        let provisional = GaitPlan(
            geometry: geometry, clock: clock, cycles: records, knee: knee, shank: shank,
            pelvisForward: pelvis.forward, pelvisUp: pelvis.up, outOfPlane: outOfPlane, vibration: vibration,
            layout: layout)
        for j in 0..<n where cycles[j].kind == .stride || cycles[j].kind == .start {
            let toeOffTime = clock.time(atPhase: Double(j) + records[j].stanceShare)
            let contactTime = clock.times[j + 1]
            let window = Self.swingBridgeShare * (contactTime - toeOffTime)
            let phaseOff = clock.phase(at: toeOffTime, cycle: j)
            let phaseOn = clock.phase(at: contactTime, cycle: j)
            let keyedOff = provisional.angles(phase: phaseOff, cycle: j)
            let keyedOn = provisional.angles(phase: phaseOn, cycle: j)
            let plantedOff = provisional.plantedAnkle(cycle: j, phase: phaseOff)
            let plantedOn = j + 1 < n
                ? provisional.plantedAnkle(cycle: j + 1, phase: phaseOn)
                : PlanarJet(forward: Jet(feet.ankleForward[n]), up: Jet(feet.ankleUp[n]))
            let hungOff = provisional.hipDrivenAnkle(cycle: j, phase: phaseOff, shank: keyedOff.shank, knee: keyedOff.knee)
            let hungOn = provisional.hipDrivenAnkle(cycle: j, phase: phaseOn, shank: keyedOn.shank, knee: keyedOn.knee)
            let lift = plantedOff - hungOff, land = plantedOn - hungOn
            records[j].liftForward = QuinticBridge(from: lift.forward, to: .zero, startTime: toeOffTime, span: window)
            records[j].liftUp = QuinticBridge(from: lift.up, to: .zero, startTime: toeOffTime, span: window)
            records[j].landForward = QuinticBridge(
                from: .zero, to: land.forward, startTime: contactTime - window, span: window)
            records[j].landUp = QuinticBridge(from: .zero, to: land.up, startTime: contactTime - window, span: window)
        }

        // Pedalling: the hip-driven ankle goes round the crank (the keyframes are solved from it); where the
        // foot comes from and goes back to a still pedal, the small gap the splines leave is bridged over the
        // revolution, as a swing's is.
        for j in 0..<n where cycles[j].kind == .pedal {
            let t0 = clock.times[j], t1 = clock.times[j + 1]
            if j > 0 && cycles[j - 1].kind.plantedThrough {
                let phase = clock.phase(at: t0, cycle: j)
                let keyed = provisional.angles(phase: phase, cycle: j)
                let gap = provisional.plantedAnkle(cycle: j - 1, phase: clock.phase(at: t0, cycle: j - 1))
                    - provisional.hipDrivenAnkle(cycle: j, phase: phase, shank: keyed.shank, knee: keyed.knee)
                records[j].liftForward = QuinticBridge(from: gap.forward, to: .zero, startTime: t0, span: t1 - t0)
                records[j].liftUp = QuinticBridge(from: gap.up, to: .zero, startTime: t0, span: t1 - t0)
            }
            if j + 1 < n && cycles[j + 1].kind.plantedThrough {
                let phase = clock.phase(at: t1, cycle: j)
                let keyed = provisional.angles(phase: phase, cycle: j)
                let gap = provisional.plantedAnkle(cycle: j + 1, phase: clock.phase(at: t1, cycle: j + 1))
                    - provisional.hipDrivenAnkle(cycle: j, phase: phase, shank: keyed.shank, knee: keyed.knee)
                records[j].landForward = QuinticBridge(from: .zero, to: gap.forward, startTime: t0, span: t1 - t0)
                records[j].landUp = QuinticBridge(from: .zero, to: gap.up, startTime: t0, span: t1 - t0)
            }
        }

        // Contact transients.
        var impacts = random.derived("impacts")
        for j in 1..<n where cycles[j - 1].kind.endsWithContact {
            let typical = scenarioSegment(ofCycle: j)?.impactG ?? 2
            let frequency = style.ringFrequencyHz * (0.9 + 0.2 * impacts.nextUnit())
            records[j].contact = ContactTransient(
                time: clock.times[j], peakG: typical * (0.75 + 0.5 * impacts.nextUnit()), frequencyHz: frequency,
                decayS: style.ringCycles * (0.85 + 0.3 * impacts.nextUnit()) / frequency,
                forwardShare: style.forwardShare, gyroDpsPerG: style.gyroDpsPerG)
        }

        return GaitPlan(
            geometry: geometry, clock: clock, cycles: records, knee: knee, shank: shank,
            pelvisForward: pelvis.forward, pelvisUp: pelvis.up, outOfPlane: outOfPlane, vibration: vibration,
            layout: layout)
    }

    func nearestSitSegment(cycle j: Int) -> Int? {
        let own = scenarioIndex(ofCycle: j)
        if let own, scenario.segments[own].activity == .sit { return own }
        // A transition into or out of sitting outside a sit segment belongs to the neighbouring sit segment.
        let sits = scenario.segments.indices.filter { scenario.segments[$0].activity == .sit }
        guard let own else { return sits.first }
        return sits.min { abs($0 - own) < abs($1 - own) }
    }

    // MARK: - Footprints

    struct Footprints {
        /// Ankle position with the foot flat, per cycle (index n: the contact after the last cycle).
        var ankleForward: [Double]
        var ankleUp: [Double]
        /// The other foot's ankle while it supports the body in this cycle (gait strides and starts).
        var otherForward: [Double]
        var otherUp: [Double]
    }

    /// Where each contact lands: stride lengths along the ground, floors from the stairs and slopes.
    func footprints(
        keyframes: [[Keyframe]], rockers: [FootRocker], strideLength: [Double], stand: Pose
    ) -> Footprints {
        let cycles = layout.cycles
        let n = cycles.count
        let h = geometry.ankleHeight

        /// For a stairs stride/stop: (segment index, position among the segment's strides).
        func stairPlace(_ j: Int) -> (seg: ScenarioSegment, position: Int, layoutSegment: Int)? {
            guard j < n, cycles[j].kind == .stride || cycles[j].kind == .stop,
                let s = scenarioSegment(ofCycle: j), s.activity.isStairs
            else { return nil }
            let segIndex = cycles[j].segment
            return (s, j - layout.segments[segIndex].firstCycle, segIndex)
        }
        func stepIndex(_ seg: ScenarioSegment, _ position: Int) -> Int {
            min((seg.instrumentedLegLeads ? 1 : 2) + 2 * position, seg.steps)
        }
        func sign(_ seg: ScenarioSegment) -> Double { seg.activity == .stairDescent ? -1 : 1 }

        var floor = [Double](repeating: 0, count: n + 1)
        var forward = [Double](repeating: 0, count: n + 1)
        var level = 0.0
        var stairTop: [Int: Double] = [:]
        // A virtual contact after the last cycle continues the last segment.
        func place(_ m: Int) -> (seg: ScenarioSegment, position: Int, layoutSegment: Int)? {
            if m < n { return stairPlace(m) }
            guard let last = stairPlace(n - 1) else { return nil }
            return (last.seg, last.position + 1, last.layoutSegment)
        }
        for m in 0...n {
            if m > 0 {
                let previous = m - 1
                if let s = scenarioSegment(ofCycle: previous), s.activity == .downhillRun,
                    cycles[previous].kind == .stride
                {
                    level -= strideLength[previous] * tan(s.slopeDeg * .pi / 180)
                }
                if let left = stairPlace(previous), place(m)?.layoutSegment != left.layoutSegment {
                    level = (stairTop[left.layoutSegment] ?? level) + sign(left.seg) * Double(left.seg.steps) * left.seg.riserM
                }
            }
            if let p = place(m) {
                if stairTop[p.layoutSegment] == nil { stairTop[p.layoutSegment] = level }
                floor[m] = stairTop[p.layoutSegment]! + sign(p.seg) * Double(stepIndex(p.seg, p.position)) * p.seg.riserM
            } else {
                floor[m] = level
            }
            if m > 0 {
                let j = m - 1
                switch cycles[j].kind {
                case .stride:
                    forward[m] = forward[j] + strideLength[j]
                case .start:
                    // The body stays over the standing foot until the first contact, which lands where the
                    // first stride's contact posture puts it ahead of the hip.
                    let hipStanding = geometry.hipFromAnkle(shankDeg: stand.shankDeg, kneeDeg: stand.kneeDeg).forward
                    if m < n, keyframes[m].count == 8 {
                        let contact = keyframes[m][0]
                        let hipAtContact =
                            geometry.hipFromAnkle(shankDeg: contact.shankDeg, kneeDeg: contact.kneeDeg).forward
                            + geometry.ankleOffset(footPitchDeg: rockers[m].contactPitch * 180 / .pi).forward
                        forward[m] = forward[j] + hipStanding - hipAtContact
                    } else {
                        forward[m] = forward[j] + 0.6
                    }
                default:
                    forward[m] = forward[j]
                    floor[m] = floor[j]
                }
            }
        }

        // The other foot: halfway along, on its own step.
        var otherForward = [Double](repeating: 0, count: n)
        var otherUp = [Double](repeating: 0, count: n)
        for j in 0..<n {
            switch cycles[j].kind {
            case .stride:
                otherForward[j] = (forward[j] + forward[j + 1]) / 2
                var otherFloor = (floor[j] + floor[j + 1]) / 2
                if let p = place(j + 1) {
                    let top = stairTop[p.layoutSegment] ?? 0
                    let step = max(0, min(stepIndex(p.seg, p.position) - 1, p.seg.steps))
                    otherFloor = top + sign(p.seg) * Double(step) * p.seg.riserM
                } else if let p = stairPlace(j) {
                    let top = stairTop[p.layoutSegment] ?? 0
                    otherFloor = top + sign(p.seg) * Double(min(stepIndex(p.seg, p.position) + 1, p.seg.steps)) * p.seg.riserM
                }
                otherUp[j] = otherFloor + h
            default:
                otherForward[j] = forward[j]
                otherUp[j] = floor[j] + h
            }
        }
        return Footprints(
            ankleForward: forward, ankleUp: floor.map { $0 + h }, otherForward: otherForward, otherUp: otherUp)
    }

    // MARK: - Pelvis

    /// The pelvis path, sampled at uniform knots and joined by splines.
    ///
    /// Forward: where a foot is down in a still cycle, forward kinematics from the keyframed posture; in gait
    /// strides, a steady advance between mid-stance anchors (hip over its foot as the posture puts it), so
    /// the hip moves at the stride's speed. Up: forward kinematics from the supporting foot(s) with the
    /// keyframed knee and the shank inclination that puts the hip at that forward position (see
    /// `supportedUp`), and a −g parabola when no foot is down.
    struct PelvisPath {
        var forward: NaturalCubicSpline
        var up: NaturalCubicSpline
        /// Shank inclination (degrees) of the supporting instrumented leg at a stance phase of a stride.
        var stanceShankDeg: (Int, Double) -> Double
    }

    func pelvisPath(
        clock: PhaseClock, records: [CycleRecord], knee: NaturalCubicSpline, shank: NaturalCubicSpline,
        feet: Footprints, strideLength: [Double]
    ) -> PelvisPath {
        let n = records.count
        let perCycle = GaitPlan.pelvisKnotsPerCycle
        let toDegrees = 180 / Double.pi
        let geometry = self.geometry

        func kneeDeg(_ phase: Double) -> Double {
            knee.evaluate(phase, hint: Int(max(0, phase)) * GaitPlan.kneeKnotsPerCycle).value * toDegrees
        }
        func shankDeg(_ phase: Double) -> Double {
            shank.evaluate(phase, hint: Int(max(0, phase)) * GaitPlan.kneeKnotsPerCycle).value * toDegrees
        }
        func rockerOffset(_ rocker: FootRocker, _ progress: Double) -> (forward: Double, up: Double) {
            let pitch = rocker.pitch(progress: Jet(min(max(progress, 0), 1))).value * toDegrees
            return geometry.ankleOffset(footPitchDeg: pitch)
        }
        /// A foot on the ground: its ankle at stance progress `progress`.
        struct Support {
            var forward: Double, up: Double
            var rocker: FootRocker
            var progress: Double
        }
        func ipsilateralFoot(_ j: Int, _ p: Double) -> Support {
            let r = j < n ? records[j] : nil
            return Support(
                forward: feet.ankleForward[j], up: feet.ankleUp[j], rocker: r?.rocker ?? .flat,
                progress: r.map { (p - Double(j)) / $0.stanceShare } ?? 0)
        }
        /// The other foot in stride (or start) j, whose stance began at phase `start`.
        func contralateralFoot(_ j: Int, _ p: Double, start: Double) -> Support {
            let r = records[j]
            return Support(
                forward: feet.otherForward[j], up: feet.otherUp[j], rocker: r.kind == .start ? .flat : r.rocker,
                progress: (p - start) / r.stanceShare)
        }
        /// Hip over a foot with the keyframed posture at `anglePhase`.
        func designHip(_ foot: Support, anglePhase: Double) -> (Double, Double) {
            let offset = rockerOffset(foot.rocker, foot.progress)
            let leg = geometry.hipFromAnkle(shankDeg: shankDeg(anglePhase), kneeDeg: kneeDeg(anglePhase))
            return (foot.forward + offset.forward + leg.forward, foot.up + offset.up + leg.up)
        }
        /// Hip height over a foot for a given hip forward position, with the keyframed knee at `anglePhase`.
        func fittedHip(_ foot: Support, anglePhase: Double, forward x: Double) -> (up: Double, shankDeg: Double) {
            let offset = rockerOffset(foot.rocker, foot.progress)
            let k = kneeDeg(anglePhase)
            let ahead = x - foot.forward - offset.forward
            let psi = geometry.shankInclinationDeg(hipAhead: ahead, kneeDeg: k) ?? shankDeg(anglePhase)
            let leg = geometry.hipFromAnkle(shankDeg: psi, kneeDeg: k)
            return (foot.up + offset.up + leg.up, psi)
        }

        func isGaitStride(_ j: Int) -> Bool { j >= 0 && j < n && (records[j].kind == .stride || records[j].kind == .stop) }
        func anchor(_ j: Int) -> (phase: Double, forward: Double) {
            let p = Double(j) + records[j].stanceShare / 2
            return (p, designHip(ipsilateralFoot(j, p), anglePhase: p).0)
        }
        func forwardAt(_ phase: Double) -> Double {
            let j = min(max(Int(phase.rounded(.down)), 0), n - 1)
            let r = records[j]
            let u = phase - Double(j)
            switch r.kind {
            case .stop, .hold, .transition, .squatRep:
                return designHip(ipsilateralFoot(j, phase), anglePhase: phase).0
            case .pedal:
                return r.pedal!.hip(u).forward
            case .start:
                if u < r.stanceShare { return designHip(ipsilateralFoot(j, phase), anglePhase: phase).0 }
                return designHip(contralateralFoot(j, phase, start: Double(j) - 0.5), anglePhase: phase - 0.5).0
            case .stride:
                let here = anchor(j)
                let before: (phase: Double, forward: Double), after: (phase: Double, forward: Double)
                if phase < here.phase {
                    after = here
                    before = isGaitStride(j - 1) && records[j - 1].kind == .stride
                        ? anchor(j - 1) : (Double(j), designHip(ipsilateralFoot(j, Double(j)), anglePhase: Double(j)).0)
                } else {
                    before = here
                    after = isGaitStride(j + 1) ? anchor(j + 1) : (here.phase + 1, here.forward + strideLength[j])
                }
                let s = (phase - before.phase) / (after.phase - before.phase)
                return before.forward + (after.forward - before.forward) * s
            }
        }
        /// Hip height held by the instrumented leg while its foot is down in stride or start j.
        func ownUp(_ j: Int, _ p: Double) -> Double {
            if records[j].kind == .start { return designHip(ipsilateralFoot(j, p), anglePhase: p).1 }
            return fittedHip(ipsilateralFoot(j, p), anglePhase: p, forward: forwardAt(p)).up
        }
        /// Hip height the other leg's keyframed posture gives while its foot is down in the instrumented
        /// leg's swing (nil when it is in the air too).
        func otherUp(_ j: Int, _ p: Double) -> Double? {
            let r = records[j]
            let u = p - Double(j)
            let start = r.kind == .start ? Double(j) - 0.5 : Double(j) + 0.5
            let stanceEnd = r.kind == .start ? 1 : 0.5 + r.stanceShare
            guard u >= start - Double(j), u < stanceEnd else { return nil }
            return fittedHip(contralateralFoot(j, p, start: start), anglePhase: p - 0.5, forward: forwardAt(p)).up
        }
        /// Hip height in stride or start j at phase p from the feet on the ground (nil in flight).
        ///
        /// While the instrumented foot is down, its own leg holds the hip (so the solved stance knee follows
        /// its keyframes and the leg always reaches: averaging in the other leg's posture put the hip up to a
        /// riser out of reach at stair contacts and made it jump when a foot came or went). During its swing
        /// the other leg holds the hip; the two postures never agree exactly, so the difference at toe-off
        /// and at the next contact is shared out smoothly over the whole swing instead of at the contacts.
        func supportedUp(_ j: Int, _ p: Double) -> Double? {
            let r = records[j]
            let u = p - Double(j)
            if u < r.stanceShare { return ownUp(j, p) }
            guard let other = otherUp(j, p) else { return nil }
            let toeOff = Double(j) + r.stanceShare, contact = Double(j + 1)
            let offGap = otherUp(j, toeOff).map { ownUp(j, toeOff - 1e-9) - $0 } ?? 0
            let onGap = otherUp(j, contact - 1e-9).map { upAt(contact) - $0 } ?? 0
            let w = Self.smoothstep((u - r.stanceShare) / (1 - r.stanceShare))
            return other + offGap + (onGap - offGap) * w
        }
        func upAt(_ phase: Double) -> Double {
            if phase >= Double(n) {
                let foot = ipsilateralFoot(n, phase)
                return records[n - 1].kind.plantedThrough
                    ? designHip(foot, anglePhase: phase).1 : fittedHip(foot, anglePhase: phase, forward: forwardAt(phase)).up
            }
            let j = min(max(Int(phase.rounded(.down)), 0), n - 1)
            let r = records[j]
            if let pedal = r.pedal { return pedal.hip(phase - Double(j)).up }
            if r.kind.plantedThrough { return designHip(ipsilateralFoot(j, phase), anglePhase: phase).1 }
            if let up = supportedUp(j, phase) { return up }
            // Flight: straight line between the last and next support, plus the −g parabola.
            let u = phase - Double(j)
            let (a, b) = u < 0.5
                ? (Double(j) + r.stanceShare, Double(j) + 0.5) : (Double(j) + 0.5 + r.stanceShare, Double(j) + 1)
            let ya = supportedUp(j, a - 1e-9) ?? upAt(a - 1e-6)
            let yb = b >= Double(j) + 1 ? upAt(b) : (supportedUp(j, b) ?? ya)
            let ta = clock.time(atPhase: a), tb = clock.time(atPhase: min(b, Double(n))), t = clock.time(atPhase: phase)
            let s = (t - ta) / (tb - ta)
            return ya + (yb - ya) * s + 9.80665 / 2 * (t - ta) * (tb - t)
        }

        var xs: [Double] = [], forward: [Double] = [], up: [Double] = []
        for j in 0..<n {
            for i in 0..<perCycle {
                let p = Double(j) + Double(i) / Double(perCycle)
                xs.append(p)
                forward.append(forwardAt(p))
                up.append(upAt(p))
            }
        }
        xs.append(Double(n))
        forward.append(records[n - 1].kind == .stride ? forwardAt(Double(n) - 1e-9) : forwardAt(Double(n)))
        up.append(upAt(Double(n)))
        let stanceShank: (Int, Double) -> Double = { j, p in
            fittedHip(ipsilateralFoot(j, p), anglePhase: p, forward: forwardAt(p)).shankDeg
        }
        return PelvisPath(
            forward: NaturalCubicSpline(xs: xs, ys: forward), up: NaturalCubicSpline(xs: xs, ys: up),
            stanceShankDeg: stanceShank)
    }
}
