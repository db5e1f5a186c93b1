import Foundation
import KneeloadEngine
import NIOCore
import Testing

@testable import KneeloadStatus

@Suite struct StatusServerTests {
    @Test func statusRoundTrip() async throws {
        let provider = FakeProvider()
        try await withServer(provider) { path, _ in
            try await withConnection(path) { connection in
                try await connection.send(.status)
                let line = try #require(try await connection.line())
                #expect(line == "{\"type\": \"status\", " + DaemonStatus.example.json.dropFirst())
                #expect(try StatusReply(line: Array(line.utf8)) == .status(.example))
                // Several requests on one connection, answered in order.
                try await connection.send(.status)
                #expect(try await connection.reply() == .status(.example))
            }
        }
        #expect(provider.statusCalls == 2)
    }

    @Test func acknowledgeReturnsWhatWasActiveOnce() async throws {
        let alerts = [
            AlertEvent(t: 120.5, kind: .stairDescents, level: .alert, value: 61, limit: 60),
            AlertEvent(t: 130.25, kind: .loadRate, level: .warning, value: 500.5, limit: 480),
        ]
        let provider = FakeProvider(active: alerts)
        try await withServer(provider) { path, _ in
            try await withConnection(path) { connection in
                try await connection.send(.acknowledge)
                #expect(try await connection.reply() == .acknowledged(alerts))
                try await connection.send(.acknowledge)
                #expect(try await connection.reply() == .acknowledged([]))
            }
        }
    }

    @Test func watchReceivesEventsInOrder() async throws {
        let provider = FakeProvider()
        let events: [StatusEvent] = [
            .step(StepLoad(time: 10.5, peakBW: 0.875, impulseBWs: 0.3125)),
            .step(StepLoad(time: 11.5, peakBW: 3.5, impulseBWs: 1.125)),
            .stairDescentStep(StepLoad(time: 11.5, peakBW: 3.5, impulseBWs: 1.125)),
            .alert(AlertEvent(t: 12, kind: .stairDescents, level: .alert, value: 61, limit: 60)),
            .sensorState(t: 13, sensor: SensorStatus(name: "knee", state: .fault, detail: "no answer at 0x48"), previous: .ok),
            .alertAcknowledged(t: 14, kind: .stairDescents, level: .alert),
            .alertCleared(t: 15, kind: .loadRate, level: .warning),
            .recording(t: 16, DaemonStatus.Recording(active: false, reason: "disk full")),
        ]
        try await withServer(provider) { path, _ in
            try await withConnection(path) { connection in
                try await connection.send(.watch)
                #expect(try await connection.reply() == .watching)
                for event in events { provider.broadcaster.publish(event) }
                var received: [StatusReply] = []
                for _ in events { received.append(try await connection.reply()) }
                #expect(received == events.map(StatusReply.event))
            }
        }
    }

    @Test func badRequestsGetErrorsAndTheConnectionSurvives() async throws {
        try await withServer(FakeProvider()) { path, _ in
            try await withConnection(path) { connection in
                try await connection.send("not json\n")
                try await connection.send("\n  \r\n{\"command\": \"dance\"}\n")
                try await connection.send(String(repeating: "x", count: StatusProtocol.maximumRequestBytes + 10) + "\n")
                try await connection.send("[\"status\"]\n{\"command\":\"status\",\"extra\":1}\r\n")
                #expect(try await connection.reply() == .error(code: "malformed_request", message: "request line 1 is not a JSON object with a string \"command\""))
                #expect(
                    try await connection.reply()
                        == .error(code: "unknown_command", message: "request line 4: unknown command \"dance\" (known: status, ack, watch)"))
                #expect(try await connection.reply() == .error(code: "request_too_long", message: "request line 5 is longer than 4096 bytes"))
                #expect(try await connection.reply() == .error(code: "malformed_request", message: "request line 6 is not a JSON object with a string \"command\""))
                #expect(try await connection.reply() == .status(.example))
            }
        }
    }

    @Test func clientsAreServedConcurrently() async throws {
        let provider = FakeProvider()
        try await withServer(provider) { path, _ in
            // A watcher holds its connection open while eight others ask for the status.
            try await withConnection(path) { watcher in
                try await watcher.send(.watch)
                #expect(try await watcher.reply() == .watching)
                try await withThrowingTaskGroup(of: StatusReply.self) { group in
                    for _ in 0..<8 {
                        group.addTask {
                            try await withConnection(path) { connection in
                                try await connection.send(.status)
                                return try await connection.reply()
                            }
                        }
                    }
                    for try await reply in group { #expect(reply == .status(.example)) }
                }
                provider.broadcaster.publish(.eventsDropped(count: 0))
                #expect(try await watcher.reply() == .event(.eventsDropped(count: 0)))
            }
        }
        #expect(provider.statusCalls == 8)
    }

    /// Connections beyond the limit are told why and closed; those open go on, and once one closes a new
    /// client is served again.
    @Test(.timeLimit(.minutes(1))) func connectionsBeyondTheLimitAreRefused() async throws {
        let provider = FakeProvider()
        try await withServer(provider, maximumConnections: 2) { path, _ in
            try await withConnection(path) { first in
                try await first.send(.watch)
                #expect(try await first.reply() == .watching)
                try await withConnection(path) { second in
                    try await second.send(.status)
                    #expect(try await second.reply() == .status(.example))
                    let (refusal, after) = try await withConnection(path) { third in
                        (try await third.reply(), try await third.line())
                    }
                    #expect(
                        refusal == .error(code: "too_many_connections", message: "the daemon already serves 2 connections; try again later"))
                    #expect(after == nil)
                    // The two open connections still work.
                    try await second.send(.status)
                    #expect(try await second.reply() == .status(.example))
                    provider.broadcaster.publish(.eventsDropped(count: 0))
                    #expect(try await first.reply() == .event(.eventsDropped(count: 0)))
                }
                // The second has closed: a new client is served once the server has seen it go.
                var served = false
                for _ in 0..<200 where !served {
                    served = try await withConnection(path) { connection in
                        try await connection.send(.status)
                        return try await connection.reply() == .status(.example)
                    }
                    if !served { try await Task.sleep(for: .milliseconds(10)) }
                }
                #expect(served)
            }
        }
    }

    /// A watcher that never reads: publishing never waits, other clients are served, and once it reads again the
    /// events it missed are accounted for exactly by `events_dropped` lines.
    @Test func aWatcherThatNeverReadsDoesNotHoldUpTheDaemon() async throws {
        let provider = FakeProvider(capacity: 64)
        let published = 20_000  // ~1.9 MB of lines: far more than the socket, NIO and the stream can hold
        try await withServer(provider) { path, _ in
            try await withConnection(path) { stuck in
                try await stuck.send(.watch)
                #expect(try await stuck.reply() == .watching)
                for i in 0..<published {
                    provider.broadcaster.publish(.step(StepLoad(time: Double(i), peakBW: 1, impulseBWs: 0.5)))
                }
                #expect(provider.broadcaster.droppedEvents > 0)
                try await withConnection(path) { other in
                    try await other.send(.status)
                    #expect(try await other.reply() == .status(.example))
                }
                // Every event was either queued for the watcher (and so reaches it) or dropped and counted.
                let droppedDuringFlood = provider.broadcaster.droppedEvents
                var received: [Double] = []
                var told = 0
                func take(_ reply: StatusReply) throws {
                    switch reply {
                    case .event(.step(let step)): received.append(step.time)
                    case .event(.eventsDropped(let count)): told += count
                    case .event(.recording): break
                    case let other: throw TestFailure("unexpected \(other)")
                    }
                }
                while received.count < published - droppedDuringFlood { try take(try await stuck.reply()) }
                // The drops after the last queued step are told ahead of the next event that fits.
                provider.broadcaster.publish(.recording(t: -1, DaemonStatus.Recording(active: true)))
                while true {
                    let reply = try await stuck.reply()
                    try take(reply)
                    if case .event(.recording) = reply { break }
                }
                #expect(received == received.sorted())
                #expect(told == droppedDuringFlood && droppedDuringFlood > 0)
                #expect(provider.broadcaster.droppedEvents == droppedDuringFlood)
            }
        }
    }

    @Test func socketIsGroupOnlyAndRemovedOnGracefulShutdown() async throws {
        let path = temporarySocketPath()
        try await withServer(FakeProvider(), path: path) { path, group in
            var status = stat()
            #expect(lstat(path, &status) == 0)
            #expect(status.st_mode & S_IFMT == S_IFSOCK)
            #expect(status.st_mode & 0o777 == 0o660)
            // A connected watcher must not keep the server from stopping.
            try await withConnection(path) { watcher in
                try await watcher.send(.watch)
                #expect(try await watcher.reply() == .watching)
                await group.triggerGracefulShutdown()
                #expect(try await watcher.line() == nil)
            }
        }
        #expect(access(path, F_OK) != 0 && errno == ENOENT)
    }

    @Test func aStaleSocketIsReplacedAndALiveOneRefused() async throws {
        let path = temporarySocketPath()
        // A socket file nobody listens on, as a crashed daemon leaves it.
        let stale = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(stale, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(stale)
        #expect(bound == 0)
        try await withServer(FakeProvider(), path: path) { path, _ in
            try await withConnection(path) { connection in
                try await connection.send(.status)
                #expect(try await connection.reply() == .status(.example))
            }
            let second = StatusServer(socketPath: path, provider: FakeProvider(), logger: .init(label: "test"))
            await #expect(throws: StatusServerError.inUse(path: path)) { try await second.run() }
        }
    }
}
