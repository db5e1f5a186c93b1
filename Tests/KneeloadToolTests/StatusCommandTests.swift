import Foundation
import KneeloadEngine
import KneeloadStatus
import Logging
import Synchronization
import Testing

/// `kneeload status`, `ack` and `watch` against a `StatusServer` in this process.
@Suite struct StatusCommandTests {
    static let status = DaemonStatus(
        uptimeS: 61.5, samples: 6150, droppedSamples: 2, session: .init(loadBWs: 1234.5, steps: 820, stairDescentSteps: 48),
        alertsActive: [.stairDescents], sensors: [SensorStatus(name: "imu", state: .ok), SensorStatus(name: "knee", state: .absent)],
        version: "0.1.0", mode: .simulated, sampleRateHz: 100)

    final class Provider: StatusProvider {
        let broadcaster = StatusEventBroadcaster()
        private let active = Mutex([AlertEvent(t: 50, kind: .stairDescents, level: .alert, value: 61, limit: 60)])

        func status() async -> DaemonStatus { StatusCommandTests.status }
        func acknowledge() async -> [AlertEvent] {
            active.withLock { active in
                defer { active.removeAll() }
                return active
            }
        }
        func events() -> AsyncStream<StatusEvent> { broadcaster.subscribe() }
    }

    /// Runs the tool on its own thread: it blocks until the child exits, and the server it talks to needs the
    /// concurrency pool's threads meanwhile.
    func tool(_ arguments: [String], environment: [String: String]? = nil) async throws -> ToolProcess.Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try ToolProcess.run(arguments, environment: environment) }) }.start()
        }
    }

    /// Serves `provider` on `directory/kneeload.sock` while `body` runs.
    func serving<T>(_ provider: Provider, in directory: String, _ body: (String) async throws -> T) async throws -> T {
        let path = directory + "/" + StatusProtocol.socketName
        let (ready, readyContinuation) = AsyncStream.makeStream(of: Void.self)
        let server = StatusServer(
            socketPath: path, provider: provider, logger: Logger(label: "test"), onListening: { readyContinuation.yield() })
        let task = Task { try await server.run() }
        var iterator = ready.makeAsyncIterator()
        _ = await iterator.next()
        defer {
            task.cancel()
            try? FileManager.default.removeItem(atPath: directory)
        }
        return try await body(path)
    }

    func shortDirectory() throws -> String {
        let path = "/tmp/klt-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func statusJSONIsTheDaemonsObjectOnOneLine() async throws {
        try await serving(Provider(), in: try shortDirectory()) { path in
            let result = try await tool(["status", "--json", "--socket", path])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == Self.status.json + "\n")
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
            for key in ["uptime_s", "samples", "dropped_samples", "session", "alerts_active", "sensors"] {
                #expect(object[key] != nil, "missing \(key)")
            }
            #expect(object["alerts_active"] as? [String] == ["stair_descents"])
            #expect((object["session"] as? [String: Any])?["stair_descent_steps"] as? Int == 48)
        }
    }

    @Test func statusFindsTheSocketInTheRuntimeDirectoryAndAckClearsAlerts() async throws {
        let directory = try shortDirectory()
        try await serving(Provider(), in: directory) { _ in
            var environment = ProcessInfo.processInfo.environment
            environment["RUNTIME_DIRECTORY"] = directory
            let status = try await tool(["status"], environment: environment)
            #expect(status.status == 0, "\(status.stderr)")
            #expect(status.stdout.contains("session: 1234.5 BW·s, 820 steps, 48 going down stairs\n"), "\(status.stdout)")
            #expect(status.stdout.contains("alerts: stair_descents\n"))
            #expect(status.stdout.contains("sensors: imu ok, knee absent\n"))
            let ack = try await tool(["ack"], environment: environment)
            #expect(ack.status == 0 && ack.stdout == "acknowledged: stair_descents (alert)\n", "\(ack)")
            let again = try await tool(["ack"], environment: environment)
            #expect(again.stdout == "nothing to acknowledge\n")
        }
    }

    @Test func watchPrintsEventsUntilTheDaemonStops() async throws {
        let provider = Provider()
        let directory = try shortDirectory()
        let path = directory + "/" + StatusProtocol.socketName
        let (ready, readyContinuation) = AsyncStream.makeStream(of: Void.self)
        let server = StatusServer(socketPath: path, provider: provider, logger: Logger(label: "test"), onListening: { readyContinuation.yield() })
        let serverTask = Task { try await server.run() }
        var iterator = ready.makeAsyncIterator()
        _ = await iterator.next()
        async let watched = tool(["watch", "--json", "--socket", path])
        // Wait for the tool's subscription (a condition, not a timing: the events must come after it).
        while provider.broadcaster.watcherCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
        let events: [StatusEvent] = [
            .stairDescentStep(StepLoad(time: 40.5, peakBW: 3.5, impulseBWs: 1.25)),
            .alert(AlertEvent(t: 41, kind: .stairDescents, level: .alert, value: 61, limit: 60)),
        ]
        for event in events { provider.broadcaster.publish(event) }
        provider.broadcaster.finish()  // the daemon stops: the server closes the watch connection
        let result = try await watched
        serverTask.cancel()
        _ = await serverTask.result
        #expect(!FileManager.default.fileExists(atPath: path), "a cancelled server removes its socket")
        try? FileManager.default.removeItem(atPath: directory)
        #expect(result.stdout == events.map { $0.json + "\n" }.joined())
        #expect(result.status == 69)
        #expect(result.stderr == "kneeload: kneeloadd closed the connection on \(path)\n")
    }

    @Test func noDaemonIsOneLineAndExit69() async throws {
        let directory = try shortDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let missing = directory + "/kneeload.sock"
        for command in ["status", "ack", "watch"] {
            let result = try await tool([command, "--json", "--socket", missing])
            #expect(result.status == 69)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == "kneeload: cannot connect to \(missing): No such file or directory (is kneeloadd running?)\n")
        }
    }
}
