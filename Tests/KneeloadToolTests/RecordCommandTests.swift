import Foundation
import Testing

/// `kneeload record`: the daemon's sampling path into one recording file.
@Suite struct RecordCommandTests {
    @Test func recordsASimulatedRigThatReplays() throws {
        let dir = try ToolProcess.temporaryDirectory()
        let file = dir.appendingPathComponent("bench.klr").path
        let result = try ToolProcess.run(["record", "--duration", "20", "--output", file, "--simulate", "walk"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("recorded 2000 samples (0 failed reads, 0 late)"))
        let replay = try ToolProcess.run(["replay", file, "--json"])
        #expect(replay.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(replay.stdout.utf8)) as! [String: Any]
        #expect(object["samples"] as? Int == 2000)
        #expect((object["steps"] as? Int ?? 0) > 10)
    }

    @Test func anUnwritableOutputExits73() throws {
        let result = try ToolProcess.run(["record", "--duration", "2", "--output", "/nonexistent/x.klr", "--simulate", "walk"])
        #expect(result.status == 73)
        #expect(result.stderr.hasSuffix("kneeload: /nonexistent/x.klr: cannot create /nonexistent/x.klr: No such file or directory\n"))
    }
}
