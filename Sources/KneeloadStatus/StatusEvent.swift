import KneeloadEngine
import KneeloadRecording

/// Something that happened in the daemon, as `watch` streams it. Times are engine time in seconds (CONTRACTS §1),
/// on the daemon's timeline. Steps and alerts are written as `kneeload replay --events` writes them (CONTRACTS §3),
/// so one reader handles both.
public enum StatusEvent: Sendable, Equatable {
    /// An alert or warning fired: type `alert` or `warning`.
    case alert(AlertEvent)
    /// The runner acknowledged an active alert or warning (button or `kneeload ack`): type `alert_acknowledged`.
    case alertAcknowledged(t: Double, kind: AlertKind, level: AlertLevel)
    /// An active alert went away without acknowledgement (a new session drops session-bound alerts):
    /// type `alert_cleared`.
    case alertCleared(t: Double, kind: AlertKind, level: AlertLevel)
    /// A foot contact of the instrumented leg: type `step`.
    case step(StepLoad)
    /// A foot contact going down stairs (comes after its `step`): type `stair_descent_step`.
    case stairDescentStep(StepLoad)
    /// A sensor changed state: type `sensor_state`.
    case sensorState(t: Double, sensor: SensorStatus, previous: SensorStatus.State)
    /// Recording to disk started or stopped: type `recording`.
    case recording(t: Double, DaemonStatus.Recording)
    /// This watcher fell behind and `count` events were dropped here, between its neighbours: type
    /// `events_dropped`, the only event without `t_s`.
    case eventsDropped(count: Int)

    /// The `type` field.
    public var typeName: String {
        switch self {
        case .alert(let alert): alert.level == .alert ? "alert" : "warning"
        case .alertAcknowledged: "alert_acknowledged"
        case .alertCleared: "alert_cleared"
        case .step: "step"
        case .stairDescentStep: "stair_descent_step"
        case .sensorState: "sensor_state"
        case .recording: "recording"
        case .eventsDropped: "events_dropped"
        }
    }

    /// The event as one JSON object (no newline), `t_s` and `type` first.
    public var json: String {
        var json = JSONText()
        json.beginObject()
        switch self {
        case .alert(let alert):
            json.number("t_s", alert.t, decimals: 6)
            json.string("type", typeName)
            json.string("kind", alert.kind.rawValue)
            json.number("value", alert.value, decimals: 3)
            json.number("limit", alert.limit, decimals: 3)
        case .alertAcknowledged(let t, let kind, let level), .alertCleared(let t, let kind, let level):
            json.number("t_s", t, decimals: 6)
            json.string("type", typeName)
            json.string("kind", kind.rawValue)
            json.string("level", level.rawValue)
        case .step(let step), .stairDescentStep(let step):
            json.number("t_s", step.time, decimals: 6)
            json.string("type", typeName)
            json.number("peak_bw", step.peakBW, decimals: 3)
            json.number("impulse_bw_s", step.impulseBWs, decimals: 4)
        case .sensorState(let t, let sensor, let previous):
            json.number("t_s", t, decimals: 6)
            json.string("type", typeName)
            json.string("name", sensor.name)
            json.string("state", sensor.state.rawValue)
            json.string("previous", previous.rawValue)
            if let detail = sensor.detail { json.string("detail", detail) }
        case .recording(let t, let recording):
            json.number("t_s", t, decimals: 6)
            json.string("type", typeName)
            json.bool("active", recording.active)
            if let reason = recording.reason { json.string("reason", reason) }
        case .eventsDropped(let count):
            json.string("type", typeName)
            json.integer("count", count)
        }
        json.endObject()
        return json.text
    }
}

extension StatusEvent: Decodable {
    private enum Key: String, CodingKey {
        case t = "t_s"
        case type, kind, level, value, limit, name, state, previous, detail, active, reason, count
        case peakBW = "peak_bw"
        case impulseBWs = "impulse_bw_s"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let type = try c.decode(String.self, forKey: .type)
        func t() throws -> Double { try c.decode(Double.self, forKey: .t) }
        func step() throws -> StepLoad {
            StepLoad(
                time: try t(), peakBW: try c.decode(Double.self, forKey: .peakBW),
                impulseBWs: try c.decode(Double.self, forKey: .impulseBWs))
        }
        switch type {
        case "alert", "warning":
            self = .alert(
                AlertEvent(
                    t: try t(), kind: try c.decode(AlertKind.self, forKey: .kind), level: type == "alert" ? .alert : .warning,
                    value: try c.decode(Double.self, forKey: .value), limit: try c.decode(Double.self, forKey: .limit)))
        case "alert_acknowledged", "alert_cleared":
            let (time, kind, level) = (
                try t(), try c.decode(AlertKind.self, forKey: .kind), try c.decode(AlertLevel.self, forKey: .level)
            )
            self = type == "alert_cleared" ? .alertCleared(t: time, kind: kind, level: level) : .alertAcknowledged(t: time, kind: kind, level: level)
        case "step": self = .step(try step())
        case "stair_descent_step": self = .stairDescentStep(try step())
        case "sensor_state":
            let sensor = SensorStatus(
                name: try c.decode(String.self, forKey: .name), state: try c.decode(SensorStatus.State.self, forKey: .state),
                detail: try c.decodeIfPresent(String.self, forKey: .detail))
            self = .sensorState(t: try t(), sensor: sensor, previous: try c.decode(SensorStatus.State.self, forKey: .previous))
        case "recording":
            self = .recording(
                t: try t(),
                DaemonStatus.Recording(active: try c.decode(Bool.self, forKey: .active), reason: try c.decodeIfPresent(String.self, forKey: .reason)))
        case "events_dropped": self = .eventsDropped(count: try c.decode(Int.self, forKey: .count))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown event type \"\(type)\"")
        }
    }
}
