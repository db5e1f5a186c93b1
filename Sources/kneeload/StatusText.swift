import KneeloadRecording
import KneeloadStatus

/// The daemon's status and events as text for people.
enum StatusText {
    static func summary(_ s: DaemonStatus, nowUnixS: Double) -> String {
        var lines: [String] = []
        lines.append(
            "kneeloadd \(s.version) (\(s.mode.rawValue)), up \(duration(s.uptimeS)), \(number(s.sampleRateHz, 1)) Hz")
        lines.append("samples: \(s.samples) (\(s.droppedSamples) dropped, \(s.lateSamples) late)")
        lines.append("session: \(totals(s.session))")
        lines.append("today: \(totals(s.day))")
        var load = "last minute: \(number(s.loadLastMinuteBWs, 1)) BW·s"
        if let t = s.trainingLoad {
            load += "; per day over 7 days \(number(t.acuteBWs, 1)), over 28 days \(number(t.chronicBWs, 1)) BW·s"
            load += " (\(t.daysOfHistory) days of history)"
        }
        lines.append(load)
        lines.append("alerts: " + (s.alertsActive.isEmpty ? "none" : s.alertsActive.map(\.rawValue).joined(separator: ", ")))
        lines.append(
            "sensors: " + (s.sensors.isEmpty
                ? "none"
                : s.sensors.map { "\($0.name) \($0.state.rawValue)" + ($0.detail.map { " (\($0))" } ?? "") }
                    .joined(separator: ", ")))
        lines.append("recording: " + (s.recording.active ? "on" : "off") + (s.recording.reason.map { " (\($0))" } ?? ""))
        if let saved = s.stateCheckpointUnixS {
            lines.append("state saved \(duration(max(nowUnixS - saved, 0))) ago")
        } else {
            lines.append("state not saved yet")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func event(_ event: StatusEvent) -> String {
        switch event {
        case .alert(let a):
            "\(time(a.t)) \(a.level.rawValue): \(a.kind.rawValue) \(number(a.value, 1)) passed \(number(a.limit, 1))"
        case .alertAcknowledged(let t, let kind, let level): "\(time(t)) acknowledged: \(kind.rawValue) (\(level.rawValue))"
        case .alertCleared(let t, let kind, let level): "\(time(t)) cleared: \(kind.rawValue) (\(level.rawValue))"
        case .step(let s): "\(time(s.time)) step: peak \(number(s.peakBW, 2)) BW, \(number(s.impulseBWs, 3)) BW·s"
        case .stairDescentStep(let s):
            "\(time(s.time)) stair descent step: peak \(number(s.peakBW, 2)) BW, \(number(s.impulseBWs, 3)) BW·s"
        case .sensorState(let t, let sensor, let previous):
            "\(time(t)) sensor \(sensor.name): \(previous.rawValue) → \(sensor.state.rawValue)"
                + (sensor.detail.map { " (\($0))" } ?? "")
        case .recording(let t, let r):
            "\(time(t)) recording " + (r.active ? "on" : "off") + (r.reason.map { " (\($0))" } ?? "")
        case .eventsDropped(let count): "(\(count) events dropped: this watcher fell behind)"
        }
    }

    private static func totals(_ t: DaemonStatus.Totals) -> String {
        "\(number(t.loadBWs, 1)) BW·s, \(t.steps) steps, \(t.stairDescentSteps) going down stairs"
    }

    private static func time(_ t: Double) -> String { number(t, 2) + " s" }

    /// Whole seconds as "1 h 02 min", "3 min 05 s" or "42 s".
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.down))
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        if s >= 3600 { return "\(s / 3600) h \(two(s % 3600 / 60)) min" }
        if s >= 60 { return "\(s / 60) min \(two(s % 60)) s" }
        return "\(s) s"
    }

    private static func number(_ value: Double, _ decimals: Int) -> String {
        var bytes: [UInt8] = []
        JSONText.appendNumber(value, decimals: decimals, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
