import Foundation
import Testing

/// `kneeload simulate --recording`, `kneeload replay RECORDING` and `kneeload export --csv`, end to end.
@Suite(.serialized) struct RecordingCommandTests {
    /// The same simulated run written both ways.
    static let inputs: (csv: URL, recording: URL) = {
        let dir = try! ToolProcess.temporaryDirectory()
        let csv = dir.appendingPathComponent("commute.csv")
        let recording = dir.appendingPathComponent("commute.klr")
        let result = try! ToolProcess.run([
            "simulate", "commute", "--csv", csv.path, "--recording", recording.path, "--duration", "40", "--rate", "200",
        ])
        precondition(result.status == 0, result.stderr)
        return (csv, recording)
    }()

    /// The JSON without its "input" object (file name and format necessarily differ).
    func withoutInput(_ json: String) -> String {
        String(json[..<json.range(of: ", \"input\":")!.lowerBound])
    }

    func replay(_ file: URL, _ extra: [String] = []) throws -> (ToolProcess.Result, Data) {
        let events = try ToolProcess.temporaryDirectory().appendingPathComponent("e.jsonl")
        let result = try ToolProcess.run(["replay", file.path, "--json", "--events", events.path] + extra)
        return (result, (try? Data(contentsOf: events)) ?? Data())
    }

    @Test func recordExportReplayEqualsTheDirectRun() throws {
        let (direct, directEvents) = try replay(Self.inputs.csv)
        let (recorded, recordedEvents) = try replay(Self.inputs.recording)
        #expect(direct.status == 0 && recorded.status == 0, "\(recorded.stderr)")
        #expect(withoutInput(recorded.stdout) == withoutInput(direct.stdout))
        #expect(recordedEvents == directEvents && !directEvents.isEmpty)
        #expect(recorded.stdout.contains("\"format\": \"recording\", ") && recorded.stdout.contains("\"damaged_frames\": 0"))

        let exported = Self.inputs.recording.deletingLastPathComponent().appendingPathComponent("exported.csv")
        #expect(try ToolProcess.run(["export", Self.inputs.recording.path, "--csv", exported.path]).status == 0)
        let (fromExport, exportEvents) = try replay(exported)
        #expect(withoutInput(fromExport.stdout) == withoutInput(direct.stdout))
        #expect(exportEvents == directEvents)
        // Sample for sample, the export's rows are the simulator's rows without the label column.
        func rows(_ url: URL) throws -> [Substring] {
            try String(contentsOf: url, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        }
        let simulated = try rows(Self.inputs.csv).map { $0[..<$0.lastIndex(of: ",")!] }
        #expect(try rows(exported) == simulated)
    }

    @Test func recordingsAndReplaysAreDeterministic() throws {
        let dir = try ToolProcess.temporaryDirectory()
        let again = dir.appendingPathComponent("again.klr")
        #expect(try ToolProcess.run(["simulate", "commute", "--recording", again.path, "--duration", "40", "--rate", "200"]).status == 0)
        #expect(try Data(contentsOf: again) == Data(contentsOf: Self.inputs.recording))
        let first = try replay(Self.inputs.recording), second = try replay(Self.inputs.recording)
        #expect(first.0.stdout == second.0.stdout && first.1 == second.1)
    }

    @Test func aDamagedFrameIsNamedWithItsOffsetAndExits65AfterTheOutput() throws {
        var bytes = [UInt8](try Data(contentsOf: Self.inputs.recording))
        bytes[bytes.count / 2] ^= 0x10
        let damaged = try ToolProcess.temporaryDirectory().appendingPathComponent("damaged.klr")
        try Data(bytes).write(to: damaged)
        let (result, events) = try replay(damaged)
        #expect(result.status == 65)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.contains("damaged.klr: byte ") == true && lines.first?.contains("checksum mismatch") == true)
        #expect(lines.last?.contains("1 damaged part(s) skipped") == true)
        #expect(result.stdout.contains("\"damaged_frames\": 1"))
        #expect(!events.isEmpty)
        let export = try ToolProcess.run(["export", damaged.path, "--csv", damaged.path + ".csv"])
        #expect(export.status == 65 && export.stderr.contains("byte "))
    }

    @Test func aCutShortLastFrameOnlyWarns() throws {
        let bytes = try Data(contentsOf: Self.inputs.recording)
        let cut = try ToolProcess.temporaryDirectory().appendingPathComponent("cut.klr")
        try bytes.prefix(bytes.count - 100).write(to: cut)
        let (result, _) = try replay(cut)
        #expect(result.status == 0)
        #expect(result.stderr.hasPrefix("kneeload: warning: ") && result.stderr.contains("last frame lost"))
        #expect(result.stdout.contains("\"truncated\": true"))
    }

    @Test func exitStatuses() throws {
        let dir = try ToolProcess.temporaryDirectory()
        var header = [UInt8](try Data(contentsOf: Self.inputs.recording))
        header[20] ^= 1
        let badHeader = dir.appendingPathComponent("header.klr")
        try Data(header).write(to: badHeader)
        let config = dir.appendingPathComponent("bad.yaml")
        try "limits:\n  nonsense: 1\n".write(to: config, atomically: true, encoding: .utf8)
        let cases: [([String], Int32, String)] = [
            (["replay", badHeader.path], 65, "header frame unreadable"),
            (["replay", dir.appendingPathComponent("missing.klr").path], 66, "cannot read"),
            (["replay", Self.inputs.recording.path, "--config", config.path], 78, "nonsense"),
            (["export", Self.inputs.csv.path, "--csv", dir.appendingPathComponent("x.csv").path], 65, "not a kneeload recording"),
            (["export", Self.inputs.recording.path, "--csv", "/nonexistent/dir/x.csv"], 73, "cannot create"),
            (["export", Self.inputs.recording.path], 64, "--csv"),
            (["simulate", "walk", "--duration", "1"], 64, "--recording"),
        ]
        for (arguments, status, message) in cases {
            let result = try ToolProcess.run(arguments)
            #expect(result.status == status, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.isEmpty)
        }
    }
}
