import Foundation
import KneeloadCore
import KneeloadYAML
import Yams

/// A simulated recording session: who, with which sensors, doing what. Built from a YAML scenario file
/// (see simulator/README.md for every key, its default and its allowed range) or taken from the built-ins.
///
/// Parsing resolves every default (drawing it from the seed), so a `Scenario` is fully explicit: the
/// synthesizer then only adds stride-to-stride variation, also from the seed.
public struct Scenario: Sendable {
    public var name: String
    public var seed: UInt64
    public var subject: Subject
    public var rig: RigDescription
    public var environment: Environment
    public var segments: [ScenarioSegment]

    public init(
        name: String, seed: UInt64, subject: Subject = Subject(), rig: RigDescription = RigDescription(),
        environment: Environment = Environment(), segments: [ScenarioSegment]
    ) {
        self.name = name
        self.seed = seed
        self.subject = subject
        self.rig = rig
        self.environment = environment
        self.segments = segments
    }

    /// Total length in seconds, including the implicit parts the body needs (standing up before walking
    /// away from a chair, a standing start when the scenario begins in motion); see `CycleLayout`.
    public var duration: Double { CycleLayout(scenario: self).totalDuration }

    /// Reads and parses a scenario file.
    public static func load(path: String) throws(ScenarioError) -> Scenario {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ScenarioError(
                source: path, line: nil, key: nil, value: nil, problem: "cannot read the file (\(error.localizedDescription))")
        }
        return try Scenario(yaml: text, source: path)
    }

    /// Parses scenario YAML; `source` names the text in error messages (a file path, or "built-in mixed").
    public init(yaml: String, source: String) throws(ScenarioError) {
        self = try ScenarioParser(source: source).parse(yaml)
    }
}

/// Turns scenario YAML into a resolved `Scenario`.
struct ScenarioParser {
    let fields: YAMLFields
    let source: String

    init(source: String) {
        self.source = source
        fields = YAMLFields(source: source)
    }

    static let topKeys = ["name", "seed", "subject", "rig", "environment", "segments"]
    static let defaultSegmentsYAML: [(Activity, Double)] = [(.stand, 10), (.walk, 60)]

    func parse(_ yaml: String) throws(ScenarioError) -> Scenario {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw yamlSyntaxError(error)
        } catch {
            throw ScenarioError(source: source, line: nil, key: nil, value: nil, problem: "not valid YAML (\(error))")
        }
        let top = try root.map { node throws(ScenarioError) in
            try fields.mapping(node, path: "", allowed: Self.topKeys)
        } ?? [:]

        let name = try top["name"].map { n throws(ScenarioError) in try fields.string(n, key: "name") } ?? defaultName
        let seed = try top["seed"].map { n throws(ScenarioError) in try fields.seed(n, key: "seed") } ?? 1
        let defaults = DefaultDrawer(seed: seed)
        let subject = try parseSubject(top["subject"], defaults: defaults)
        let rig = try RigParser(fields: fields).parse(top["rig"])
        let environment = try parseEnvironment(top["environment"], defaults: defaults)

        var segments: [ScenarioSegment] = []
        if let list = top["segments"] {
            guard case .sequence(let items) = list else {
                throw fields.error(list, key: "segments", value: fields.written(list), "expected a list of segments")
            }
            guard !items.isEmpty else { throw fields.error(list, key: "segments", "the list is empty; give at least one segment") }
            for (index, item) in items.enumerated() {
                segments.append(try parseSegment(item, index: index, subject: subject, defaults: defaults))
            }
        } else {
            for (index, (activity, duration)) in Self.defaultSegmentsYAML.enumerated() {
                let node = Node([(Node("activity"), Node(activity.rawValue)), (Node("duration_s"), Node(String(duration)))])
                segments.append(try parseSegment(node, index: index, subject: subject, defaults: defaults))
            }
        }
        return Scenario(name: name, seed: seed, subject: subject, rig: rig, environment: environment, segments: segments)
    }

    private var defaultName: String {
        let last = source.split(separator: "/").last.map(String.init) ?? source
        for suffix in [".yaml", ".yml"] where last.hasSuffix(suffix) {
            return String(last.dropLast(suffix.count))
        }
        return last
    }

    private func yamlSyntaxError(_ error: YamlError) -> ScenarioError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let text = [context?.text, problem].compactMap { $0 }.joined(separator: " ")
            return ScenarioError(source: source, line: mark.line, key: nil, value: nil, problem: "YAML syntax: \(text)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ScenarioError(
                source: source, line: context.mark.line, key: duplicates.joined(separator: ", "), value: nil,
                problem: "key given twice")
        default:
            return ScenarioError(source: source, line: nil, key: nil, value: nil, problem: "YAML syntax: \(error)")
        }
    }

    private func parseSubject(_ node: Node?, defaults: DefaultDrawer) throws(ScenarioError) -> Subject {
        let map = try node.map { n throws(ScenarioError) in
            try fields.mapping(n, path: "subject", allowed: ["height_m", "mass_kg", "knee_flex_scale"])
        } ?? [:]
        func value(_ key: String, _ range: ClosedRange<Double>, _ unit: String, _ band: ClosedRange<Double>) throws(ScenarioError) -> Double {
            if let n = map[key] { return try fields.number(n, key: "subject.\(key)", range: range, unit: unit) }
            return defaults.draw("subject.\(key)", band)
        }
        return Subject(
            heightM: try value("height_m", 1.2...2.2, "m", 1.58...1.92),
            massKg: try value("mass_kg", 30...200, "kg", 55...90),
            kneeFlexScale: try value("knee_flex_scale", 0.5...1.5, "", 0.9...1.1))
    }

    private func parseEnvironment(_ node: Node?, defaults: DefaultDrawer) throws(ScenarioError) -> Environment {
        let map = try node.map { n throws(ScenarioError) in
            try fields.mapping(n, path: "environment", allowed: ["altitude_m", "pressure_drift_pa_per_h"])
        } ?? [:]
        let altitude = try map["altitude_m"].map { n throws(ScenarioError) in
            try fields.number(n, key: "environment.altitude_m", range: -400...5000, unit: "m")
        } ?? defaults.draw("environment.altitude_m", 20...500)
        let drift = try map["pressure_drift_pa_per_h"].map { n throws(ScenarioError) in
            try fields.number(n, key: "environment.pressure_drift_pa_per_h", range: -500...500, unit: "Pa/h")
        } ?? 0
        return Environment(altitudeM: altitude, pressureDriftPaPerHour: drift)
    }

    private func parseSegment(
        _ node: Node, index: Int, subject: Subject, defaults: DefaultDrawer
    ) throws(ScenarioError) -> ScenarioSegment {
        let path = "segments[\(index)]"
        guard case .mapping(let raw) = node else {
            throw fields.error(node, key: path, value: fields.written(node), "expected a mapping such as {activity: walk, duration_s: 60}")
        }
        let allActivities = Activity.allCases.map(\.rawValue).joined(separator: " | ")
        guard let activityNode = raw["activity"] else {
            throw fields.error(node, key: "\(path).activity", "missing; every segment names its activity: \(allActivities)")
        }
        let activity = try fields.choice(activityNode, key: "\(path).activity", as: Activity.self)
        let rules = SegmentRules.rules(for: activity)
        let map = try fields.mapping(node, path: path, allowed: rules.allowedKeys)
        let line = node.mark?.line ?? 0
        let draw = { (key: String, band: ClosedRange<Double>) in defaults.draw("\(path).\(key)", band) }

        func explicit(_ key: String) throws(ScenarioError) -> Double? {
            guard let n = map[key], let rule = rules.rule(key) else { return nil }
            return try fields.number(n, key: "\(path).\(key)", range: rule.allowed, unit: rule.unit)
        }
        /// The explicit value, or one drawn from the default band (knee amplitudes scaled to the subject).
        func number(_ key: String, scaledBySubject: Bool = false) throws(ScenarioError) -> Double {
            if let v = try explicit(key) { return v }
            guard let rule = rules.rule(key), let band = rule.defaultBand else { return 0 }
            var v = draw(key, band)
            if scaledBySubject { v = min(max(v * subject.kneeFlexScale, rule.allowed.lowerBound), rule.allowed.upperBound) }
            return v
        }

        let durationGiven = try explicit("duration_s")
        var segment = ScenarioSegment(activity: activity, durationS: durationGiven ?? rules.defaultDurationS ?? 0, line: line)
        let countKey = activity == .squat ? "reps" : "steps"
        let countGiven: Int? = try map[countKey].map { n throws(ScenarioError) in
            activity == .squat
                ? try fields.integer(n, key: "\(path).reps", range: 1...500, unit: "reps")
                : try fields.integer(n, key: "\(path).steps", range: 2...200_000, unit: "steps")
        }
        if countGiven != nil, durationGiven != nil, let durationNode = map["duration_s"] {
            throw fields.error(durationNode, key: "\(path).duration_s", "give either duration_s or \(countKey), not both")
        }

        switch activity {
        case .stand:
            break
        case .sit:
            segment.kneePeakDeg = try number("knee_deg")
        case .cycle:
            segment.cadencePerMin = try number("cadence_rpm")
            segment.kneeBottomDeg = try number("knee_bottom_deg")
            segment.vibrationG = try number("vibration_g")
            segment.standing = try map["standing"].map { n throws(ScenarioError) in
                try fields.bool(n, key: "\(path).standing")
            } ?? false
            segment.cycles = max(1, Int((segment.durationS * segment.cadencePerMin / 60).rounded()))
        case .squat:
            segment.cadencePerMin = try number("rate_rpm")
            segment.kneePeakDeg = try number("knee_peak_deg", scaledBySubject: true)
            let reps = countGiven ?? durationGiven.map { max(1, Int(($0 * segment.cadencePerMin / 60).rounded())) }
                ?? Int(draw("reps", Double(SegmentRules.defaultSquatReps.lowerBound)...Double(SegmentRules.defaultSquatReps.upperBound) + 0.999))
            segment.cycles = reps
            segment.steps = 0
            segment.durationS = durationGiven ?? Double(reps) * 60 / segment.cadencePerMin
        case .walk, .run, .downhillRun, .stairDescent, .stairAscent:
            let cadence = try number("cadence_spm")
            segment.cadencePerMin = cadence
            segment.stanceShare = try number("stance_share")
            segment.kneeContactDeg = try number("knee_contact_deg")
            segment.kneePeakDeg = try number("knee_peak_deg", scaledBySubject: true)
            segment.impactG = try number("impact_g")
            if activity.isStairs {
                segment.riserM = try number("riser_m")
                segment.treadM = try number("tread_m")
                segment.instrumentedLegLeads = try map["instrumented_leads"].map { n throws(ScenarioError) in
                    try fields.bool(n, key: "\(path).instrumented_leads")
                } ?? (draw("instrumented_leads", 0...1) < 0.5)
                let steps = countGiven ?? durationGiven.map { max(2, Int(($0 * cadence / 60).rounded())) }
                    ?? Int(draw("steps", Double(SegmentRules.defaultStairSteps.lowerBound)...Double(SegmentRules.defaultStairSteps.upperBound) + 0.999))
                segment.steps = steps
                segment.cycles = segment.instrumentedLegLeads ? (steps + 1) / 2 : steps / 2
                segment.durationS = durationGiven ?? Double(segment.cycles) * 120 / cadence
                if activity == .stairDescent {
                    segment.kneeSwingDeg = try explicit("knee_swing_deg")
                        ?? min(segment.kneePeakDeg + draw("knee_swing_deg", 0...8), 130)
                } else {
                    segment.kneeSwingDeg = segment.kneePeakDeg
                }
            } else {
                segment.kneeSwingDeg = try number("knee_swing_deg", scaledBySubject: true)
                if activity == .downhillRun { segment.slopeDeg = try number("slope_deg") }
                if let v = try explicit("speed_mps") {
                    segment.speedMPS = v
                } else if let band = rules.rule("speed_mps")?.defaultBand {
                    segment.speedMPS = draw("speed_mps", band)
                } else {
                    // Walking: a stride of 0.76–0.88 body heights at the chosen cadence.
                    let stride = subject.heightM * draw("stride_length", 0.76...0.88)
                    segment.speedMPS = min(max(stride * cadence / 120, 0.4), 2.5)
                }
                if let steps = countGiven {
                    segment.cycles = max(1, Int((Double(steps) / 2).rounded()))
                    segment.durationS = Double(segment.cycles) * 120 / cadence
                } else {
                    segment.cycles = max(1, Int((segment.durationS * cadence / 120).rounded()))
                }
                segment.steps = 2 * segment.cycles
            }
        }
        return segment
    }
}

/// Draws scenario defaults: each key path has its own stream, so adding or removing one key in the file
/// never changes the defaults drawn for the others.
struct DefaultDrawer: Sendable {
    let base: SeededGenerator

    init(seed: UInt64) {
        base = SeededGenerator(seed: seed).derived("scenario defaults")
    }

    func draw(_ label: String, _ band: ClosedRange<Double>) -> Double {
        var g = base.derived(label)
        return band.lowerBound + (band.upperBound - band.lowerBound) * g.nextUnit()
    }
}

