import KneeloadRecording

extension DaemonStatus {
    /// The status as one JSON object (no newline), keys in CONTRACTS order then the additions, numbers with fixed
    /// decimals: the same status always gives the same bytes. This is what `kneeload status --json` prints.
    public var json: String {
        var json = JSONText()
        json.beginObject()
        writeFields(into: &json)
        json.endObject()
        return json.text
    }

    /// Writes the fields into an object the caller has opened (the status reply adds its `type` first).
    func writeFields(into json: inout JSONText) {
        json.number("uptime_s", uptimeS, decimals: 3)
        json.integer("samples", samples)
        json.integer("dropped_samples", droppedSamples)
        Self.writeTotals("session", session, into: &json)
        json.beginArray("alerts_active")
        for kind in alertsActive { json.string(nil, kind.rawValue) }
        json.endArray()
        json.beginArray("sensors")
        for sensor in sensors {
            json.beginObject()
            json.string("name", sensor.name)
            json.string("state", sensor.state.rawValue)
            if let detail = sensor.detail { json.string("detail", detail) }
            json.endObject()
        }
        json.endArray()
        json.string("version", version)
        json.string("mode", mode.rawValue)
        json.number("sample_rate_hz", sampleRateHz, decimals: 3)
        json.integer("late_samples", lateSamples)
        Self.writeTotals("day", day, into: &json)
        json.number("load_last_minute_bw_s", loadLastMinuteBWs, decimals: 3)
        if let trainingLoad {
            json.beginObject("training_load")
            json.number("acute_7d_bw_s", trainingLoad.acuteBWs, decimals: 3)
            json.number("chronic_28d_bw_s", trainingLoad.chronicBWs, decimals: 3)
            json.integer("days_of_history", trainingLoad.daysOfHistory)
            json.endObject()
        }
        json.beginObject("recording")
        json.bool("active", recording.active)
        if let reason = recording.reason { json.string("reason", reason) }
        json.endObject()
        if let stateCheckpointUnixS { json.number("state_checkpoint_unix_s", stateCheckpointUnixS, decimals: 3) }
    }

    private static func writeTotals(_ key: String, _ totals: Totals, into json: inout JSONText) {
        json.beginObject(key)
        json.number("load_bw_s", totals.loadBWs, decimals: 3)
        json.integer("steps", totals.steps)
        json.integer("stair_descent_steps", totals.stairDescentSteps)
        json.endObject()
    }
}
