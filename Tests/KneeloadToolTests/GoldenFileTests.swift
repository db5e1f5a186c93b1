import Foundation
import Testing

/// `kneeload replay` on the committed inputs of Tests/golden must print exactly the committed outputs
/// (regenerate with Tests/golden/regenerate.sh after an intended change).
@Suite struct GoldenFileTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../golden")
        .standardized

    @Test(arguments: ["stairs.klr", "walk.csv"])
    func replayOutputMatchesTheGoldenFiles(input: String) throws {
        let scratch = try ToolProcess.temporaryDirectory()
        let events = scratch.appendingPathComponent("events.jsonl")
        let result = try ToolProcess.run(["replay", input, "--json", "--events", events.path], in: Self.folder)
        #expect(result.status == 0, "\(result.stderr)")
        let expectedJSON = try String(contentsOf: Self.folder.appendingPathComponent(input + ".json"), encoding: .utf8)
        #expect(result.stdout == expectedJSON)
        let expectedEvents = try Data(contentsOf: Self.folder.appendingPathComponent(input + ".events.jsonl"))
        #expect(try Data(contentsOf: events) == expectedEvents)
    }

    @Test func theGoldenRecordingExportedToCSVReplaysToTheSameEvents() throws {
        let scratch = try ToolProcess.temporaryDirectory()
        let csv = scratch.appendingPathComponent("stairs.csv")
        #expect(try ToolProcess.run(["export", "stairs.klr", "--csv", csv.path], in: Self.folder).status == 0)
        let events = scratch.appendingPathComponent("events.jsonl")
        let result = try ToolProcess.run(["replay", csv.path, "--json", "--events", events.path])
        #expect(result.status == 0)
        #expect(try Data(contentsOf: events) == Data(contentsOf: Self.folder.appendingPathComponent("stairs.klr.events.jsonl")))
    }

    @Test func theGoldenFilesStaySmall() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
        let total = try names.reduce(0) { sum, name in
            sum + ((try FileManager.default.attributesOfItem(atPath: Self.folder.appendingPathComponent(name).path)[.size] as? Int) ?? 0)
        }
        #expect(total < 200_000)
    }
}
