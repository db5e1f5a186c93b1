import KneeloadEngine
import KneeloadRecording

/// The text forms of a replay: the JSON object of CONTRACTS §3, its JSON Lines events, and a summary for
/// people. Numbers have fixed precision so two runs give the same bytes.
public enum ReplayReport {
    /// CONTRACTS §3 fields first, in its order, then this project's additions.
    public static func json(_ summary: ReplaySession.Summary) -> String {
        let totals = summary.totals
        var json = JSONText()
        json.beginObject()
        json.integer("samples", summary.samples)
        json.number("duration_s", totals.durationS, decimals: 3)
        json.number("sample_rate_hz", totals.sampleRateHz, decimals: 3)
        json.integer("dropped_samples", totals.droppedSamples)
        json.integer("steps", totals.steps)
        json.integer("stair_descent_steps", totals.stairDescentSteps)
        json.integer("stair_descent_flights", totals.stairDescentFlights)
        json.beginObject("load")
        json.number("cumulative_bw_s", totals.cumulativeLoadBWs, decimals: 3)
        json.number("peak_bw", totals.peakBW, decimals: 3)
        json.number("quasi_static_bw_s", totals.quasiStaticLoadBWs, decimals: 3)
        json.number("max_last_minute_bw_s", summary.maxLoadLastMinuteBWs, decimals: 3)
        json.endObject()
        json.beginArray("alerts")
        for alert in summary.alerts { alertObject(alert, into: &json) }
        json.endArray()
        json.beginArray("warnings")
        for warning in summary.warnings { alertObject(warning, into: &json) }
        json.endArray()
        json.beginObject("input")
        json.string("file", summary.file)
        json.string("format", summary.format)
        json.bool("gyro", summary.hasGyro)
        json.bool("pressure", summary.hasPressure)
        json.integer("rejected_samples", totals.rejectedSamples)
        if summary.format == "recording" {
            json.integer("damaged_frames", summary.damagedFrames)
            json.bool("truncated", summary.truncated)
        }
        json.endObject()
        json.endObject()
        return json.text + "\n"
    }

    /// One event as a JSON Lines line (with its newline).
    public static func eventLine(_ event: EngineEvent) -> String {
        var json = JSONText()
        json.beginObject()
        json.number("t_s", event.time, decimals: 6)
        json.string("type", event.typeName)
        switch event {
        case .step(let step), .stairDescentStep(let step):
            json.number("peak_bw", step.peakBW, decimals: 3)
            json.number("impulse_bw_s", step.impulseBWs, decimals: 4)
        case .alert(let alert):
            json.string("kind", alert.kind.rawValue)
            json.number("value", alert.value, decimals: 3)
            json.number("limit", alert.limit, decimals: 3)
        }
        json.endObject()
        return json.text + "\n"
    }

    public static func human(_ summary: ReplaySession.Summary) -> String {
        let t = summary.totals
        func f(_ v: Double, _ d: Int) -> String {
            var b: [UInt8] = []
            JSONText.appendNumber(v, decimals: d, to: &b)
            return String(decoding: b, as: UTF8.self)
        }
        var lines: [String] = []
        lines.append(
            "\(summary.file): \(summary.samples) samples, \(f(t.durationS, 2)) s at \(f(t.sampleRateHz, 1)) Hz"
                + " (\(t.droppedSamples) dropped)" + (summary.hasGyro ? "" : ", no gyro"))
        lines.append(
            "steps: \(t.steps), of which \(t.stairDescentSteps) going down stairs in \(t.stairDescentFlights) flight(s)")
        lines.append(
            "knee load: \(f(t.cumulativeLoadBWs, 1)) BW·s (\(f(t.quasiStaticLoadBWs, 1)) standing or squatting), "
                + "peak \(f(t.peakBW, 2)) BW, most in one minute \(f(summary.maxLoadLastMinuteBWs, 1)) BW·s")
        if summary.alerts.isEmpty && summary.warnings.isEmpty {
            lines.append("alerts: none")
        } else {
            let all = (summary.warnings + summary.alerts).sorted { $0.t < $1.t }
            for alert in all {
                lines.append(
                    "\(alert.level.rawValue) at \(f(alert.t, 1)) s: \(alert.kind.rawValue) \(f(alert.value, 1)) "
                        + "passed \(f(alert.limit, 1))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func alertObject(_ alert: AlertEvent, into json: inout JSONText) {
        json.beginObject()
        json.number("t_s", alert.t, decimals: 6)
        json.string("kind", alert.kind.rawValue)
        json.number("value", alert.value, decimals: 3)
        json.number("limit", alert.limit, decimals: 3)
        json.endObject()
    }
}
