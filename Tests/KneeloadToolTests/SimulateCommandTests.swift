import Foundation
import KneeloadRecording
import Testing

@Suite struct SimulateCommandTests {
    @Test func writesTheCSVAndTheTruth() throws {
        let dir = try ToolProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("walk.csv").path
        let truth = dir.appendingPathComponent("truth.json").path
        let result = try ToolProcess.run(["simulate", "walk", "--csv", csv, "--rate", "50", "--truth", truth, "--duration", "12"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("simulated walk: 601 samples at 50 Hz"))
        var reader = try ReplayCSVReader(file: csv, bytes: Array(try Data(contentsOf: URL(fileURLWithPath: csv))))
        var rows = 0
        while try reader.next() != nil { rows += 1 }
        #expect(rows == 601)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: truth))) as! [String: Any]
        let counts = json["counts"] as! [String: Int]
        let steps = json["steps"] as! [[String: Any]]
        #expect(counts["steps"] == steps.count)
        #expect(steps.allSatisfy { ($0["t_s"] as! Double) <= 12 })
        #expect(json["duration_s"] as? Double == 12)
    }

    @Test func unknownScenarioExits66WithOneLine() throws {
        let result = try ToolProcess.run(["simulate", "no-such-scenario", "--csv", "/dev/null"])
        #expect(result.status == 66)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("no-such-scenario: no such scenario file, and no built-in scenario by that name"))
    }

    @Test func malformedScenarioFileExits65NamingTheLine() throws {
        let dir = try ToolProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.yaml")
        try "name: bad\nsegments:\n  - {activity: walk, cadence_spm: 300}\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try ToolProcess.run(["simulate", file.path, "--csv", "/dev/null"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("bad.yaml:3: segments[0].cadence_spm = 300"), "\(result.stderr)")
    }

    @Test func rateOutsideTheContractIsAUsageError() throws {
        let result = try ToolProcess.run(["simulate", "walk", "--csv", "/dev/null", "--rate", "5"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--rate 5.0 is outside 25–1000 Hz"))
    }

    @Test func unwritableOutputExits73() throws {
        let result = try ToolProcess.run(["simulate", "walk", "--csv", "/nonexistent-dir/x.csv", "--duration", "1"])
        #expect(result.status == 73)
        #expect(result.stderr.contains("cannot create /nonexistent-dir/x.csv: No such file or directory"))
    }
}
