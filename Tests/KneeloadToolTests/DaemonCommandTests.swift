import Foundation
import Testing

/// `kneeloadd` as a process: configuration errors (exit 78 with the exact message), scenarios (65, 66), and a
/// whole simulated run.
@Suite struct DaemonCommandTests {
    func withConfiguration(_ text: String) throws -> String {
        let dir = try ToolProcess.temporaryDirectory()
        let path = dir.appendingPathComponent("kneeload.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: [
        ("sensors:\n  sample_rate: 100\n", "2: sensors.sample_rate: unknown key; allowed here: i2c_bus, sample_rate_hz, axis_remap, imu, knee"),
        ("body:\n  mass_kg: seventy\n", "2: body.mass_kg = seventy: expected a number (20…300 kg)"),
        ("daemon:\n  checkpoint_interval_s: 1000\n", "2: daemon.checkpoint_interval_s = 1000: out of range; allowed 1…300 s"),
    ])
    func configurationErrorsExit78NamingFileLineKeyAndValue(text: String, message: String) throws {
        let path = try withConfiguration(text)
        let result = try ToolProcess.run(["--simulate", "walk", "--speed", "0", "--config", path], binary: "kneeloadd")
        #expect(result.status == 78)
        #expect(result.stderr == "kneeloadd: \(path):\(message)\n")
    }

    @Test func unknownScenarioExits66() throws {
        let result = try ToolProcess.run(["--simulate", "no-such-scenario", "--speed", "0"], binary: "kneeloadd")
        #expect(result.status == 66)
        #expect(result.stderr.contains("no-such-scenario"))
    }

    @Test func aSimulatedRunPrintsItsAlertsAndLineChangesAndStopsAtTheEnd() throws {
        let path = try withConfiguration("limits:\n  session_stair_descent_steps: 12\n  warning_fraction: 0\n")
        let state = try ToolProcess.temporaryDirectory().path
        let result = try ToolProcess.run(
            ["--simulate", "stairs", "--speed", "0", "--config", path, "--state-directory", state], binary: "kneeloadd")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        let alert = try #require(lines.first { $0.contains("ALERT stair_descents") })
        let t = try #require(Double(alert.split(separator: " ", omittingEmptySubsequences: true)[0]))
        // The buzzer goes high within a sample period of the alert's sample (read from the IMU's FIFO, the
        // sample may be up to a period older than the loop iteration that handles it).
        let buzzer = try #require(lines.first { $0.hasSuffix("line GPIO17 high") })
        let high = try #require(Double(buzzer.split(separator: " ", omittingEmptySubsequences: true)[0]))
        #expect(high >= t && high - t <= 0.011, "alert \(t) s, buzzer \(high) s")
        #expect(result.stderr.contains("sensors ready"))
    }
}

/// `kneeloadd --replay`: a recording moves the simulated chips, and the daemon raises what replay finds.
@Suite struct DaemonReplayTests {
    @Test func theDaemonReplayingARecordingRaisesTheAlertReplayFinds() throws {
        let dir = try ToolProcess.temporaryDirectory()
        let recording = dir.appendingPathComponent("stairs.klr").path
        let config = dir.appendingPathComponent("k.yaml").path
        try "limits:\n  session_stair_descent_steps: 12\n  warning_fraction: 0\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        #expect(try ToolProcess.run(["simulate", "stairs", "--recording", recording]).status == 0)
        let events = dir.appendingPathComponent("events.jsonl").path
        let replay = try ToolProcess.run(["replay", recording, "--events", events, "--config", config])
        #expect(replay.status == 0, "\(replay.stderr)")
        let alertLine = try #require(
            try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n").first { $0.contains("\"alert\"") })
        let object = try JSONSerialization.jsonObject(with: Data(alertLine.utf8)) as! [String: Any]
        let replayT = try #require(object["t_s"] as? Double)

        let daemon = try ToolProcess.run(
            ["--replay", recording, "--speed", "0", "--config", config, "--state-directory", dir.appendingPathComponent("state").path],
            binary: "kneeloadd")
        #expect(daemon.status == 0, "\(daemon.stderr)")
        let line = try #require(daemon.stdout.split(separator: "\n").first { $0.contains("ALERT stair_descents") })
        let daemonT = try #require(Double(line.split(separator: " ", omittingEmptySubsequences: true)[0]))
        // The same stride crosses the limit; the chips' quantization may move a contact by a sample or two.
        #expect(abs(daemonT - replayT) < 1.0, "daemon \(daemonT) s, replay \(replayT) s")
    }

    @Test func aMissingRecordingExits66() throws {
        let result = try ToolProcess.run(["--replay", "/nonexistent.klr", "--speed", "0"], binary: "kneeloadd")
        #expect(result.status == 66)
        #expect(result.stderr.hasSuffix("kneeloadd: /nonexistent.klr: cannot read the file\n"))
    }
}
