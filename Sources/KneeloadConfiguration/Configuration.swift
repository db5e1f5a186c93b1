import Foundation
import KneeloadEngine
import KneeloadYAML
import Yams

/// The one YAML file of CONTRACTS §4 (`/etc/kneeload/kneeload.yaml` for the daemon, `--config` for the tools).
///
/// Every key has a default, so an empty file is valid. Unknown keys, wrong types and out-of-range values are
/// `YAMLError`s naming the file, line, key, value and what is allowed; callers exit 78 on them.
///
/// ```yaml
/// body:
///   mass_kg: 70        # for newtons in reports
///   height_m: 1.75     # sets the shank length of the load model (0.246 × height, Winter)
/// limits:              # AlertLimits; CONTRACTS §4 keys and their defaults
///   session_load_bw_s: 5000
///   load_rate_bw_s_per_min: 600
///   session_stair_descent_steps: 60
///   warning_fraction: 0.8       # 0 turns warnings off
///   rearm: acknowledge          # or cooldown
///   cooldown_s: 600
///   rearm_fraction: 0.9
///   progression_factor: 1.1
/// sensors: …           # SensorSettings: bus, chips, rate, axis remap, knee calibration
/// gpio: …              # GPIOSettings: alert outputs, button, patterns
/// daemon: …            # DaemonSettings: state and recording directories, checkpoints
/// ```
public struct Configuration: Sendable, Equatable {
    public var bodyMassKg: Double = 70
    public var bodyHeightM: Double = EngineConfiguration.defaultBodyHeightM
    public var limits = AlertLimits()
    public var sensors = SensorSettings()
    public var gpio = GPIOSettings()
    public var daemon = DaemonSettings()
    /// The text this configuration was read from (recordings keep it); not part of equality.
    public var sourceText: String?

    public static let bodyMassRangeKg: ClosedRange<Double> = 20...300
    public static let bodyHeightRangeM = EngineConfiguration.bodyHeightRangeM

    /// The engine's part of the configuration.
    public var engine: EngineConfiguration { EngineConfiguration(bodyHeightM: bodyHeightM) }

    public init() {}

    /// Reads and checks a configuration file.
    public static func load(path: String) throws(YAMLError) -> Configuration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw YAMLError(source: path, line: nil, key: nil, value: nil, problem: "cannot read the file")
        }
        return try Configuration(yaml: text, source: path)
    }

    /// Parses configuration YAML; `source` names the text in messages.
    public init(yaml: String, source: String) throws(YAMLError) {
        sourceText = yaml
        let fields = YAMLFields(source: source)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw YAMLError(source: source, line: Self.line(of: error), key: nil, value: nil, problem: "not valid YAML: \(error)")
        } catch {
            throw YAMLError(source: source, line: nil, key: nil, value: nil, problem: "not valid YAML: \(error)")
        }
        guard let root, !Self.isEmpty(root) else { return }
        let sections = try fields.mapping(root, path: "", allowed: ["body", "limits", "sensors", "gpio", "daemon"])
        if let body = sections["body"] {
            let keys = try fields.mapping(body, path: "body", allowed: ["mass_kg", "height_m"])
            if let node = keys["mass_kg"] {
                bodyMassKg = try fields.number(node, key: "body.mass_kg", range: Self.bodyMassRangeKg, unit: "kg")
            }
            if let node = keys["height_m"] {
                bodyHeightM = try fields.number(
                    node, key: "body.height_m", range: Self.bodyHeightRangeM, unit: "m")
            }
        }
        if let limitsNode = sections["limits"] {
            limits = try Self.parseLimits(limitsNode, fields: fields)
        }
        if let node = sections["sensors"] { sensors = try SensorSettings(node, fields: fields) }
        if let node = sections["gpio"] { gpio = try GPIOSettings(node, fields: fields) }
        if let node = sections["daemon"] { daemon = try DaemonSettings(node, fields: fields) }
    }

    private static func parseLimits(_ node: Node, fields: YAMLFields) throws(YAMLError) -> AlertLimits {
        let keys = try fields.mapping(node, path: "limits", allowed: AlertLimits.Key.allCases.map(\.rawValue))
        var limits = AlertLimits()
        let anyNumber = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude
        for key in AlertLimits.Key.allCases {
            guard let value = keys[key.rawValue] else { continue }
            let path = "limits." + key.rawValue
            switch key {
            case .sessionLoadBWs: limits.sessionLoadBWs = try fields.number(value, key: path, range: anyNumber, unit: "")
            case .loadRateBWsPerMin:
                limits.loadRateBWsPerMin = try fields.number(value, key: path, range: anyNumber, unit: "")
            case .sessionStairDescentSteps:
                limits.sessionStairDescentSteps = try fields.integer(value, key: path, range: 1...1_000_000, unit: "steps")
            case .warningFraction: limits.warningFraction = try fields.number(value, key: path, range: anyNumber, unit: "")
            case .rearm: limits.rearm = try fields.choice(value, key: path, as: AlertLimits.RearmMode.self)
            case .cooldownS: limits.cooldownS = try fields.number(value, key: path, range: anyNumber, unit: "")
            case .rearmFraction: limits.rearmFraction = try fields.number(value, key: path, range: anyNumber, unit: "")
            case .progressionFactor:
                limits.progressionFactor = try fields.number(value, key: path, range: anyNumber, unit: "")
            }
        }
        // The ranges live with the limits themselves; report the first problem at its key's line.
        if let problem = limits.validate().first {
            let node = keys[problem.key.rawValue]
            throw YAMLError(
                source: fields.source, line: node?.mark?.line, key: "limits." + problem.key.rawValue,
                value: node.map(fields.written) ?? problem.value, problem: "out of range; allowed: \(problem.allowed)")
        }
        return limits
    }

    public static func == (a: Configuration, b: Configuration) -> Bool {
        a.bodyMassKg == b.bodyMassKg && a.bodyHeightM == b.bodyHeightM && a.limits == b.limits && a.sensors == b.sensors
            && a.gpio == b.gpio && a.daemon == b.daemon
    }

    private static func isEmpty(_ node: Node) -> Bool {
        if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.tag == .implicit && scalar.string == "~" {
            return true
        }
        if case .mapping(let mapping) = node { return mapping.isEmpty }
        return false
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }
}
