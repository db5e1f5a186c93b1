import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `kneeload replay FILE --plot PATH` end to end.
@Suite(.serialized) struct ReplayPlotCommandTests {
    func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    @Test func plotsAStairRunWithOneMarkPerDescentStepAndAlert() throws {
        let dir = try ToolProcess.temporaryDirectory()
        let csv = dir.appendingPathComponent("stairs.csv")
        let simulated = try ToolProcess.run(["simulate", "stairs", "--csv", csv.path, "--duration", "60", "--rate", "100"])
        #expect(simulated.status == 0, "\(simulated.stderr)")
        let config = dir.appendingPathComponent("k.yaml")
        try "limits:\n  session_stair_descent_steps: 3\n".write(to: config, atomically: true, encoding: .utf8)
        let plot = dir.appendingPathComponent("run.svg")
        let events = dir.appendingPathComponent("events.jsonl")
        let arguments = ["replay", csv.path, "--json", "--config", config.path, "--events", events.path, "--plot", plot.path]
        let result = try ToolProcess.run(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try json(result.stdout)
        let bytes = try Data(contentsOf: plot)
        let document = try XMLDocument(data: bytes, options: [])
        let descents = try document.nodes(forXPath: "//*[@id='stair-descent-steps']/*")
        #expect(descents.count == summary["stair_descent_steps"] as? Int)
        #expect((summary["stair_descent_steps"] as? Int ?? 0) > 3)
        let alerts = (summary["alerts"] as! [Any]).count + (summary["warnings"] as! [Any]).count
        #expect(alerts >= 2)
        #expect(try document.nodes(forXPath: "//*[@id='alerts']/*").count == alerts)
        #expect(try document.nodes(forXPath: "//*[@id='panel-knee' or @id='panel-load-rate' or @id='panel-session-load']").count == 3)
        #expect(FileManager.default.fileExists(atPath: events.path))
        // The same input draws the same bytes, and nothing is left beside the plot.
        let again = try ToolProcess.run(arguments)
        #expect(again.status == 0)
        #expect(try Data(contentsOf: plot) == bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["events.jsonl", "k.yaml", "run.svg", "stairs.csv"])
    }

    @Test func anUnwritablePlotPathExits73NamingIt() throws {
        let dir = try ToolProcess.temporaryDirectory()
        let csv = dir.appendingPathComponent("still.csv")
        try "t_s,ax_g,ay_g,az_g,knee_flex_deg\n0,1,0,0,1\n0.01,1,0,0,1\n".write(to: csv, atomically: true, encoding: .utf8)
        let target = dir.appendingPathComponent("missing/run.svg").path
        let result = try ToolProcess.run(["replay", csv.path, "--plot", target])
        #expect(result.status == 73)
        #expect(result.stderr.contains("cannot create \(target):"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func badInputLeavesNoPlotAndNoTemporaryFile() throws {
        let dir = try ToolProcess.temporaryDirectory()
        let csv = dir.appendingPathComponent("bad.csv")
        try "t_s,ax_g,ay_g,az_g,knee_flex_deg\n0,1,0,0,1\n0.01,1,0,zero,1\n".write(to: csv, atomically: true, encoding: .utf8)
        let result = try ToolProcess.run(["replay", csv.path, "--plot", dir.appendingPathComponent("run.svg").path])
        #expect(result.status == 65)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["bad.csv"])
    }

    @Test func plotToStandardOutputIsAUsageError() throws {
        let result = try ToolProcess.run(["replay", "whatever.csv", "--plot", "-"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--plot needs a file"))
    }
}
