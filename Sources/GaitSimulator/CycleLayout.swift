/// The still postures the body rests in between movements.
enum PoseKind: Sendable, Hashable {
    case stand, sit
    /// On the bicycle saddle with the instrumented foot on its pedal at bottom dead centre.
    case saddle
}

/// What one cycle of the timeline is. A cycle is a stride of the instrumented leg (contact to contact) in a
/// gait, one repetition of a squat, or a stretch of still posture.
enum CycleKind: Sendable, Hashable {
    /// A gait stride: contact, stance, toe-off, swing.
    case stride
    /// The last stride before stopping: contact, then the foot stays down while the leg straightens.
    case stop
    /// Standing, then toe-off and the first swing into the gait that follows.
    case start
    /// A still posture (with sway).
    case hold(PoseKind)
    /// Moving from one posture to another with the foot flat (sitting down, standing up).
    case transition(from: PoseKind, to: PoseKind)
    case squatRep
    /// One crank revolution: the foot goes round with its pedal and never touches the ground.
    case pedal

    /// The instrumented foot stays on the ground (or, getting on and off a bicycle, on a pedal held still at
    /// bottom dead centre) for the whole cycle.
    var plantedThrough: Bool {
        switch self {
        case .stride, .start, .pedal: false
        case .stop, .hold, .transition, .squatRep: true
        }
    }

    /// The foot leaves the ground in this cycle and lands at its end, so the next cycle begins with a foot
    /// contact. A pedal revolution ends on the pedal: no contact.
    var endsWithContact: Bool {
        switch self {
        case .stride, .start: true
        case .stop, .hold, .transition, .squatRep, .pedal: false
        }
    }
}

/// One cycle of the layout: its kind, the segment it belongs to and the frequency it aims for.
struct LayoutCycle: Sendable, Hashable {
    var kind: CycleKind
    /// Index into `CycleLayout.segments`.
    var segment: Int
    /// Cycles per second the cycle aims for (before stride-to-stride variation and fitting to the duration).
    var targetFrequency: Double
}

/// A stretch of the timeline as ground truth reports it: one per scenario segment, plus an implicit standing
/// start when the scenario begins in motion.
struct LayoutSegment: Sendable, Hashable {
    var activity: Activity
    var durationS: Double
    var firstCycle: Int
    var cycleCount: Int
    /// The scenario segment this came from (nil for the implicit standing start).
    var scenarioIndex: Int?
}

/// Splits a scenario into cycles, adding what the body needs between segments: a gait that is followed by a
/// still segment ends with a `stop` stride; a still segment followed by a gait ends with a `start` cycle
/// (after standing up, if seated); postures change through `transition` cycles. Durations are exact: a
/// segment lasts what the scenario says (the planner fits its cycles to it), except that a still or cycling
/// segment is stretched when it is too short for the transitions it must contain, and a segment of a single cycle
/// lasts as long as one cycle at its boundary frequencies (see `boundaryFrequencies`).
struct CycleLayout: Sendable {
    /// Cycle rate of still postures: transitions (sitting down, standing up) take about 1/0.6 ≈ 1.7 s.
    static let stillFrequency = 0.6

    private(set) var cycles: [LayoutCycle] = []
    private(set) var segments: [LayoutSegment] = []

    /// Cycle frequency at the knot where each segment starts (index = segment), plus one for the end: the
    /// mean of the two neighbouring cycles' targets, so cadence changes are shared by both segments.
    private(set) var boundaryFrequencies: [Double] = []

    var totalDuration: Double { segments.reduce(0) { $0 + $1.durationS } }

    init(scenario: Scenario) {
        let list = scenario.segments
        var pose: PoseKind? = nil
        if let first = list.first, first.activity.isGait {
            let f = first.cadencePerMin / 120
            append(activity: .stand, duration: 1 / f, scenarioIndex: nil, cycles: [(.start, f)])
            pose = .stand
        }
        for (index, segment) in list.enumerated() {
            let next = index + 1 < list.count ? list[index + 1] : nil
            let nextGaitFrequency = next.flatMap { $0.activity.isGait ? $0.cadencePerMin / 120 : nil }
            var planned: [(CycleKind, Double)] = []
            var duration = segment.durationS
            switch segment.activity {
            case .walk, .run, .downhillRun, .stairDescent, .stairAscent:
                let f = segment.cadencePerMin / 120
                for c in 0..<segment.cycles {
                    let stops = c == segment.cycles - 1 && next != nil && nextGaitFrequency == nil
                    planned.append((stops ? .stop : .stride, f))
                }
                pose = .stand
            case .stand, .sit:
                let target: PoseKind = segment.activity == .sit ? .sit : .stand
                var head: [(CycleKind, Double)] = []
                var tail: [(CycleKind, Double)] = []
                if let pose, pose != target { head.append((.transition(from: pose, to: target), Self.stillFrequency)) }
                if let f = nextGaitFrequency {
                    if target != .stand { tail.append((.transition(from: target, to: .stand), Self.stillFrequency)) }
                    tail.append((.start, f))
                }
                let fixed = (head + tail).reduce(0) { $0 + 1 / $1.1 }
                // At least two cycles, so the segment's own frequency can be fitted to its duration.
                let minimumHolds = max(0, 2 - head.count - tail.count)
                let holds = max(minimumHolds, Int(((duration - fixed) * Self.stillFrequency).rounded()))
                duration = max(duration, fixed + 0.5 * Double(holds))
                planned = head + Array(repeating: (.hold(target), Self.stillFrequency), count: holds) + tail
                pose = nextGaitFrequency == nil ? target : .stand
            case .cycle:
                // Getting on the bicycle (the foot on its pedal at bottom dead centre, sitting onto the saddle)
                // and off it again take one posture cycle each; consecutive cycling segments (a cadence change,
                // standing on the pedals) pedal straight on.
                let previousCycles = index > 0 && list[index - 1].activity == .cycle
                let nextCycles = next?.activity == .cycle
                var head: [(CycleKind, Double)] = []
                var tail: [(CycleKind, Double)] = []
                if !previousCycles {
                    head.append((.transition(from: pose ?? .stand, to: .saddle), Self.stillFrequency))
                }
                if !nextCycles {
                    tail.append((.transition(from: .saddle, to: .stand), Self.stillFrequency))
                    if let f = nextGaitFrequency { tail.append((.start, f)) }
                }
                let f = segment.cadencePerMin / 60
                let fixed = (head + tail).reduce(0) { $0 + 1 / $1.1 }
                let revolutions = max(1, Int(((duration - fixed) * f).rounded()))
                duration = max(duration, fixed + 0.5 * Double(revolutions) / f)
                planned = head + Array(repeating: (.pedal, f), count: revolutions) + tail
                pose = nextCycles ? .saddle : .stand
            case .squat:
                var extra = 0.0
                if pose == .sit {
                    planned.append((.transition(from: .sit, to: .stand), Self.stillFrequency))
                    extra += 1 / Self.stillFrequency
                }
                planned += Array(repeating: (.squatRep, segment.cadencePerMin / 60), count: segment.cycles)
                if let f = nextGaitFrequency {
                    planned.append((.start, f))
                    extra += 1 / f
                }
                duration += extra
                pose = .stand
            }
            append(activity: segment.activity, duration: duration, scenarioIndex: index, cycles: planned)
        }
        guard !cycles.isEmpty else { return }
        for segment in segments {
            let first = cycles[segment.firstCycle].targetFrequency
            let before = segment.firstCycle > 0 ? cycles[segment.firstCycle - 1].targetFrequency : first
            boundaryFrequencies.append((before + first) / 2)
        }
        boundaryFrequencies.append(cycles[cycles.count - 1].targetFrequency)
        // One cycle between two fixed knot frequencies has a fixed length: 2 / (f_start + f_end).
        for k in segments.indices where segments[k].cycleCount == 1 {
            segments[k].durationS = 2 / (boundaryFrequencies[k] + boundaryFrequencies[k + 1])
        }
    }

    private mutating func append(
        activity: Activity, duration: Double, scenarioIndex: Int?, cycles planned: [(CycleKind, Double)]
    ) {
        let index = segments.count
        segments.append(
            LayoutSegment(
                activity: activity, durationS: duration, firstCycle: cycles.count, cycleCount: planned.count,
                scenarioIndex: scenarioIndex))
        for (kind, f) in planned {
            cycles.append(LayoutCycle(kind: kind, segment: index, targetFrequency: f))
        }
    }
}
