import Foundation
import Testing

@Suite(.serialized) struct ReplayCommandTests {
    /// A short stair scenario recorded once per test run through `kneeload simulate`.
    static let recording: URL = {
        let dir = try! ToolProcess.temporaryDirectory()
        let csv = dir.appendingPathComponent("stairs.csv")
        let result = try! ToolProcess.run(["simulate", "stairs", "--csv", csv.path, "--duration", "90", "--rate", "100"])
        precondition(result.status == 0, result.stderr)
        return csv
    }()

    func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    @Test func jsonHasTheContractFieldsAndIsDeterministic() throws {
        let first = try ToolProcess.run(["replay", Self.recording.path, "--json"])
        let second = try ToolProcess.run(["replay", Self.recording.path, "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == second.stdout)
        #expect(first.stdout.split(separator: "\n").count == 1)
        let object = try json(first.stdout)
        for key in ["samples", "duration_s", "sample_rate_hz", "dropped_samples", "steps", "stair_descent_steps",
            "stair_descent_flights", "load", "alerts"]
        {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["samples"] as? Int == 9001)
        #expect(object["sample_rate_hz"] as? Double == 100)
        #expect((object["steps"] as! Int) > 40)
        #expect((object["stair_descent_steps"] as! Int) > 5)
        let load = object["load"] as! [String: Double]
        #expect(load["cumulative_bw_s"]! > 0 && load["peak_bw"]! > 1)
    }

    @Test func eventsAreInTimeOrderAndMatchTheCounts() throws {
        let dir = try ToolProcess.temporaryDirectory()
        let events = dir.appendingPathComponent("events.jsonl")
        let result = try ToolProcess.run(["replay", Self.recording.path, "--json", "--events", events.path])
        #expect(result.status == 0)
        let summary = try json(result.stdout)
        let lines = try String(contentsOf: events, encoding: .utf8).split(separator: "\n").map { try json(String($0)) }
        let times = lines.map { $0["t_s"] as! Double }
        #expect(times == times.sorted())
        #expect(lines.filter { $0["type"] as? String == "step" }.count == summary["steps"] as? Int)
        #expect(lines.filter { $0["type"] as? String == "stair_descent_step" }.count == summary["stair_descent_steps"] as? Int)
        for line in lines where line["type"] as? String == "step" {
            #expect(line["peak_bw"] is Double && line["impulse_bw_s"] is Double)
        }
    }

    @Test func lowLimitsRaiseAlertsInTheSummaryAndTheEvents() throws {
        let dir = try ToolProcess.temporaryDirectory()
        let config = dir.appendingPathComponent("k.yaml")
        try "limits:\n  session_stair_descent_steps: 3\n  session_load_bw_s: 5\n".write(to: config, atomically: true, encoding: .utf8)
        let events = dir.appendingPathComponent("events.jsonl")
        let result = try ToolProcess.run(["replay", Self.recording.path, "--json", "--config", config.path, "--events", events.path])
        #expect(result.status == 0, "\(result.stderr)")
        let alerts = try json(result.stdout)["alerts"] as! [[String: Any]]
        #expect(alerts.map { $0["kind"] as! String }.sorted() == ["cumulative_load", "stair_descents"])
        let lines = try String(contentsOf: events, encoding: .utf8).split(separator: "\n").map { try json(String($0)) }
        #expect(lines.filter { $0["type"] as? String == "alert" }.count == 2)
        #expect(lines.filter { $0["type"] as? String == "warning" }.count == 2)
        // The stair alert fires when the fourth descent step is counted, after the third one's contact.
        let descents = lines.filter { $0["type"] as? String == "stair_descent_step" }.map { $0["t_s"] as! Double }
        let stairAlert = alerts.first { $0["kind"] as? String == "stair_descents" }!["t_s"] as! Double
        #expect(stairAlert > descents[3] && stairAlert < descents[3] + 3)
    }

    @Test func humanSummaryWithoutJSON() throws {
        let result = try ToolProcess.run(["replay", Self.recording.path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("samples,"))
        #expect(result.stdout.contains("knee load:"))
    }

    @Test(arguments: [
        ("t_s,ax_g,ay_g,az_g,knee_flex_deg\n0,1,0,0,1\n0.01,1,0,zero,1\n", Int32(65), "bad.csv:3: az_g is not a number: 'zero'"),
        ("t_s,ax_g,ay_g,knee_flex_deg\n0,1,0,1\n", 65, "bad.csv:1: header lacks required column(s) az_g; required: t_s, ax_g, ay_g, az_g, knee_flex_deg"),
    ])
    func malformedCSVExits65NamingFileAndLine(text: String, status: Int32, message: String) throws {
        let dir = try ToolProcess.temporaryDirectory()
        let file = dir.appendingPathComponent("bad.csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let result = try ToolProcess.run(["replay", file.path, "--json"])
        #expect(result.status == status)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "kneeload: \(dir.path)/\(message)\n")
    }

    @Test func missingInputExits66() throws {
        let result = try ToolProcess.run(["replay", "/nonexistent/run.csv", "--json"])
        #expect(result.status == 66)
        #expect(result.stderr == "kneeload: cannot read /nonexistent/run.csv: No such file or directory\n")
    }

    @Test func badConfigurationExits78() throws {
        let dir = try ToolProcess.temporaryDirectory()
        let config = dir.appendingPathComponent("k.yaml")
        try "limits:\n  session_load_bw_s: lots\n".write(to: config, atomically: true, encoding: .utf8)
        let result = try ToolProcess.run(["replay", Self.recording.path, "--config", config.path])
        #expect(result.status == 78)
        #expect(result.stderr.contains("k.yaml:2: limits.session_load_bw_s = lots: expected a number"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func usageErrorExits64() throws {
        let result = try ToolProcess.run(["replay"])
        #expect(result.status == 64)
    }
}
