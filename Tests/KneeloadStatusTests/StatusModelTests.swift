import Foundation
import KneeloadEngine
import NIOCore
import Testing

@testable import KneeloadStatus

@Suite struct StatusModelTests {
    @Test func statusJSONHasContractKeysFirstAndDecodesBack() throws {
        let text = DaemonStatus.example.json
        #expect(!text.contains("\n"))
        #expect(DaemonStatus.example.json == text)
        let contract = ["\"uptime_s\"", "\"samples\"", "\"dropped_samples\"", "\"session\"", "\"alerts_active\"", "\"sensors\""]
        let positions = contract.map { text.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        #expect(text.hasPrefix("{\"uptime_s\": 3725.5, \"samples\": 372550, \"dropped_samples\": 3, \"session\": {\"load_bw_s\": 1234.5, \"steps\": 820, \"stair_descent_steps\": 48}, \"alerts_active\": [\"stair_descents\", \"load_rate\"]"))
        #expect(try JSONDecoder().decode(DaemonStatus.self, from: Data(text.utf8)) == .example)
        // The synthesized encoder uses the same keys.
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(DaemonStatus.example)) as! [String: Any]
        let written = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        #expect(Set(encoded.keys) == Set(written.keys))
    }

    @Test func optionalFieldsAreLeftOutAndStillDecode() throws {
        var status = DaemonStatus.example
        status.trainingLoad = nil
        status.stateCheckpointUnixS = nil
        status.recording = .init(active: true)
        status.sensors[0].detail = nil
        let text = status.json
        #expect(!text.contains("training_load") && !text.contains("state_checkpoint") && !text.contains("reason"))
        #expect(try JSONDecoder().decode(DaemonStatus.self, from: Data(text.utf8)) == status)
    }

    @Test func everyEventTypeRoundTrips() throws {
        let events: [StatusEvent] = [
            .alert(AlertEvent(t: 1.5, kind: .cumulativeLoad, level: .warning, value: 4000.5, limit: 4000)),
            .alert(AlertEvent(t: 2.5, kind: .sessionProgression, level: .alert, value: 10, limit: 9)),
            .alertAcknowledged(t: 3, kind: .sensorFault, level: .alert),
            .alertCleared(t: 4, kind: .cumulativeLoad, level: .warning),
            .step(StepLoad(time: 5.25, peakBW: 1.5, impulseBWs: 0.0625)),
            .stairDescentStep(StepLoad(time: 5.25, peakBW: 1.5, impulseBWs: 0.0625)),
            .sensorState(t: 6, sensor: SensorStatus(name: "imu", state: .ok), previous: .absent),
            .recording(t: 7, DaemonStatus.Recording(active: true)),
            .eventsDropped(count: 17),
        ]
        for event in events {
            let line = Array(event.json.utf8)
            #expect(try StatusReply(line: line) == .event(event), "\(event.json)")
        }
        #expect(events[4].json == "{\"t_s\": 5.25, \"type\": \"step\", \"peak_bw\": 1.5, \"impulse_bw_s\": 0.0625}")
        #expect(events[0].json.hasPrefix("{\"t_s\": 1.5, \"type\": \"warning\", \"kind\": \"cumulative_load\""))
    }

    @Test func unreadableRepliesNameTheProblem() {
        #expect(throws: StatusReplyError.self) { try StatusReply(line: Array("{\"type\": \"teleport\"}".utf8)) }
        do {
            _ = try StatusReply(line: Array("{\"type\": \"status\", \"uptime_s\": 1}".utf8))
            Issue.record("decoded a status without samples")
        } catch {
            #expect(error.reason.contains("samples"), "\(error)")
        }
    }

    @Test func requestLinesParse() {
        #expect(StatusProtocol.parse(Array("{\"command\":\"status\"}".utf8), number: 1) == .success(.status))
        #expect(StatusProtocol.parse(Array("{ \"command\" : \"ack\" }\r".utf8), number: 1) == .success(.acknowledge))
        #expect(StatusProtocol.parse(Array("{\"command\":\"watch\",\"since\":3}".utf8), number: 1) == .success(.watch))
        #expect(StatusProtocol.parse(Array(" \t\r".utf8), number: 1) == nil)
        #expect(StatusProtocol.parse(Array("{\"command\":7}".utf8), number: 2) == .failure(.malformedRequest(line: 2)))
        #expect(StatusProtocol.parse([0xFF, 0xFE], number: 3) == .failure(.malformedRequest(line: 3)))
        #expect(StatusProtocol.parse(Array("{\"command\":\"Status\"}".utf8), number: 4) == .failure(.unknownCommand("Status", line: 4)))
        #expect(String(decoding: StatusRequest.acknowledge.line, as: UTF8.self) == "{\"command\": \"ack\"}\n")
    }

    @Test func linesAreSplitAcrossReadsAndOverlongOnesDropped() {
        var decoder = RequestLineDecoder(maximumLength: 8)
        var buffer = ByteBuffer(string: "{\"a\"")
        #expect(decoder.nextLine(&buffer) == nil)
        buffer.writeString(":1}\nab")
        #expect(decoder.nextLine(&buffer) == .text(Array("{\"a\":1}".utf8)))
        #expect(decoder.nextLine(&buffer) == nil)
        buffer.writeString(String(repeating: "x", count: 20))  // now over the limit: dropped as it comes
        #expect(decoder.nextLine(&buffer) == nil)
        #expect(buffer.readableBytes == 0)
        buffer.writeString("yyy\nok\n")
        #expect(decoder.nextLine(&buffer) == .tooLong)
        #expect(decoder.nextLine(&buffer) == .text(Array("ok".utf8)))
        buffer.writeString("123456789\n")
        #expect(decoder.nextLine(&buffer) == .tooLong)
    }

    @Test func socketPathFollowsTheRuntimeDirectory() {
        #expect(StatusSocketPath.resolve(environment: [:]) == "/run/kneeload/kneeload.sock")
        #expect(StatusSocketPath.resolve(environment: ["RUNTIME_DIRECTORY": "/run/k2"]) == "/run/k2/kneeload.sock")
        #expect(StatusSocketPath.resolve(environment: ["RUNTIME_DIRECTORY": "/run/a:/run/b"]) == "/run/a/kneeload.sock")
        #expect(StatusSocketPath.resolve(environment: ["RUNTIME_DIRECTORY": ""]) == "/run/kneeload/kneeload.sock")
    }
}
