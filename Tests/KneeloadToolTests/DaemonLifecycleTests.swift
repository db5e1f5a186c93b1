import Foundation
import KneeloadState
import KneeloadTestSupport
import Logging
import Testing

/// `kneeloadd` under a service manager's eyes: sd_notify on a socket the test made, SIGTERM, and SIGKILL at
/// random moments with the saved state checked against an uninterrupted run.
@Suite(.serialized) struct DaemonLifecycleTests {
    func start(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = ToolProcess.binary("kneeloadd")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, out)
    }

    @Test func readyWatchdogAndStoppingReachTheNotifySocketAndSIGTERMEndsWithin2s() throws {
        let listener = try NotifySocketListener()
        let state = try ToolProcess.temporaryDirectory()
        let environment = listener.environment.merging(["WATCHDOG_USEC": "200000"]) { $1 }
        let (process, _) = try start(
            ["--simulate", "walk", "--speed", "1", "--state-directory", state.path], environment: environment)
        defer { if process.isRunning { process.terminate() } }
        let ready = try #require(try listener.receive(waitingUpTo: .seconds(60)))
        #expect(ready.hasPrefix("READY=1"))
        let watchdog = try #require(try listener.receive(waitingUpTo: .seconds(20)))
        #expect(watchdog == "WATCHDOG=1")
        let sent = ContinuousClock.now
        kill(process.processIdentifier, SIGTERM)
        var messages: [String] = []
        while let message = try listener.receive(waitingUpTo: .seconds(3)) {
            messages.append(message)
            if message.hasPrefix("STOPPING=1") { break }
        }
        #expect(messages.last?.hasPrefix("STOPPING=1") == true)
        process.waitUntilExit()
        #expect(ContinuousClock.now - sent < .seconds(2))
        #expect(process.terminationStatus == 0)
        // The state was saved on the way out.
        #expect(FileManager.default.fileExists(atPath: state.appendingPathComponent(StateStore.fileName).path))
    }

    @Test func kneeloadStatusAnswersASimulatedDaemonAndAckReachesIt() throws {
        let dir = try ToolProcess.temporaryDirectory()
        let socket = "/tmp/kl-\(UUID().uuidString.prefix(8)).sock"
        let config = dir.appendingPathComponent("k.yaml").path
        try "limits:\n  session_stair_descent_steps: 5\n  warning_fraction: 0\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        let (process, _) = try start(
            ["--simulate", "stairs", "--speed", "50", "--config", config, "--socket", socket,
             "--state-directory", dir.appendingPathComponent("state").path])
        defer { if process.isRunning { process.terminate() } }
        // Wait for the socket, then for the stair-descent alert (the scenario reaches it at ~30 s, 0.6 s real).
        var object: [String: Any] = [:]
        for _ in 0..<100 {
            let result = try ToolProcess.run(["status", "--json", "--socket", socket])
            if result.status == 0 {
                object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
                if (object["alerts_active"] as? [String]) == ["stair_descents"] { break }
            }
            usleep(50_000)
        }
        for key in ["uptime_s", "samples", "dropped_samples", "session", "alerts_active", "sensors"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["mode"] as? String == "simulated")
        #expect((object["samples"] as? Int ?? 0) > 100)
        #expect((object["alerts_active"] as? [String]) == ["stair_descents"])
        let sensors = object["sensors"] as? [[String: Any]] ?? []
        #expect(sensors.map { $0["name"] as? String } == ["imu", "knee"])
        #expect(sensors.allSatisfy { $0["state"] as? String == "ok" })

        let ack = try ToolProcess.run(["ack", "--json", "--socket", socket])
        #expect(ack.status == 0, "\(ack.stderr)")
        #expect(ack.stdout.contains("stair_descents"))
        let after = try ToolProcess.run(["status", "--json", "--socket", socket])
        let afterObject = try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as! [String: Any]
        #expect((afterObject["alerts_active"] as? [String]) == [])

        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        // The socket is gone with the daemon: status says so and exits 69.
        let gone = try ToolProcess.run(["status", "--socket", socket])
        #expect(gone.status == 69)
    }

    @Test func sighupReloadsAGoodConfigurationAndKeepsTheOldOneOnABadFile() throws {
        let listener = try NotifySocketListener()
        let dir = try ToolProcess.temporaryDirectory()
        let config = dir.appendingPathComponent("k.yaml").path
        try "limits:\n  session_stair_descent_steps: 50\n".write(toFile: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = ToolProcess.binary("kneeloadd")
        process.arguments = [
            "--simulate", "walk", "--speed", "1", "--config", config, "--state-directory", dir.appendingPathComponent("s").path,
            "--socket", "/tmp/kl-\(UUID().uuidString.prefix(8)).sock",
        ]
        process.environment = ProcessInfo.processInfo.environment.merging(listener.environment) { $1 }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        #expect(try listener.receive(waitingUpTo: .seconds(60))?.hasPrefix("READY=1") == true)

        try "limits:\n  session_stair_steps: 50\n".write(toFile: config, atomically: true, encoding: .utf8)
        kill(process.processIdentifier, SIGHUP)
        #expect(try listener.receive(waitingUpTo: .seconds(20))?.hasPrefix("RELOADING=1") == true)
        #expect(try listener.receive(waitingUpTo: .seconds(20))?.hasPrefix("READY=1") == true)
        try "limits:\n  session_stair_descent_steps: 40\n".write(toFile: config, atomically: true, encoding: .utf8)
        kill(process.processIdentifier, SIGHUP)
        #expect(try listener.receive(waitingUpTo: .seconds(20))?.hasPrefix("RELOADING=1") == true)
        #expect(try listener.receive(waitingUpTo: .seconds(20))?.hasPrefix("READY=1") == true)
        usleep(200_000)
        kill(process.processIdentifier, SIGTERM)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(log.contains("<3>kneeloadd: SIGHUP: \(config):2: limits.session_stair_steps: unknown key"))
        #expect(log.contains("keeping the configuration in use"))
        #expect(log.contains("<5>kneeloadd: configuration reloaded"))
    }

    @Test func aRestartWithinMinutesGoesOnWithTheSameSession() throws {
        let dir = try ToolProcess.temporaryDirectory()
        let state = dir.appendingPathComponent("state").path
        // A session limit the first run passes: the resumed run must not alert for it a second time.
        let config = dir.appendingPathComponent("kneeload.yaml").path
        try "limits:\n  session_load_bw_s: 0.05\n".write(toFile: config, atomically: true, encoding: .utf8)
        let arguments = ["--simulate", "walk", "--speed", "1", "--duration", "3", "--state-directory", state,
            "--socket", "/tmp/kl-\(UUID().uuidString.prefix(8)).sock", "--config", config]
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let store = StateStore(directory: state, logger: logger)
        let firstRun = try ToolProcess.run(arguments, binary: "kneeloadd")
        #expect(firstRun.status == 0)
        #expect(firstRun.stdout.contains("ALERT cumulative_load"), "\(firstRun.stdout)")
        let first = try #require(store.load().state?.accumulator)
        let firstSession = try #require(first.currentSession)
        let second = try ToolProcess.run(arguments, binary: "kneeloadd")
        #expect(second.status == 0)
        #expect(second.stderr.contains("session resumed"))
        #expect(second.stderr.contains("sensor calibration, alert states"), "\(second.stderr)")
        #expect(!second.stdout.contains("cumulative_load"), "\(second.stdout)")
        let after = try #require(store.load().state?.accumulator)
        // One session across both runs, on one clock: nothing ended, nothing counted twice.
        #expect(after.sessionHistory.isEmpty)
        #expect(after.currentSession?.startT == firstSession.startT)
        #expect(after.latestT > first.latestT + 3)
        #expect(after.lifetimeLoadBWs >= first.lifetimeLoadBWs)
        #expect(after.currentSession?.loadBWs == after.lifetimeLoadBWs)
    }

    /// Checkpoints of a simulated run at full speed are deterministic (virtual clock, seeded rig): an
    /// uninterrupted run gives every checkpoint's (engine time, lifetime load).
    func checkpoints(in output: String) -> [(t: Double, load: Double)] {
        output.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("checkpoint t=") else { return nil }
            let fields = line.split(separator: " ")
            guard fields.count == 3, let t = Double(fields[1].dropFirst(2)), let load = Double(fields[2].dropFirst(14))
            else { return nil }
            return (t, load)
        }
    }

    @Test func sigkillAtRandomMomentsNeverLosesMoreThanOneCheckpointIntervalNorCountsTwice() throws {
        let configuration = try ToolProcess.temporaryDirectory().appendingPathComponent("k.yaml")
        try "daemon:\n  checkpoint_interval_s: 1\n".write(to: configuration, atomically: true, encoding: .utf8)
        let arguments = ["--simulate", "walk", "--speed", "0", "--duration", "60", "--config", configuration.path]
        let reference = try ToolProcess.run(
            arguments + ["--state-directory", try ToolProcess.temporaryDirectory().path], binary: "kneeloadd")
        #expect(reference.status == 0)
        let truth = checkpoints(in: reference.stdout)
        #expect(truth.count >= 59)
        var generator = SystemRandomNumberGenerator()
        var restoredCount = 0
        for _ in 0..<20 {
            let state = try ToolProcess.temporaryDirectory()
            let (process, out) = try start(arguments + ["--state-directory", state.path])
            usleep(UInt32.random(in: 20_000...600_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let printed = checkpoints(in: String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let outcome = StateStore(directory: state.path, logger: logger).load()
            switch outcome {
            case .freshStart:
                // Killed before the first checkpoint reached the disk.
                #expect(printed.isEmpty)
            case .restored(let saved):
                restoredCount += 1
                let t = saved.accumulator.latestT
                let load = saved.accumulator.lifetimeLoadBWs
                // Exactly a checkpoint of the uninterrupted run: never more than the truth, never torn.
                let match = truth.first { abs($0.t - t) < 1e-9 }
                #expect(match != nil && match!.load == load, "t \(t) load \(load)")
                // Never older than the last checkpoint the run reported before it was killed.
                #expect(t >= (printed.last?.t ?? 0))
            case .setAside(let problem, _):
                Issue.record("state file set aside after SIGKILL: \(problem)")
            }
        }
        #expect(restoredCount > 0)
    }
}
