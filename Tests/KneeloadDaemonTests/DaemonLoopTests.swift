import AlertOutputs
import Foundation
import KneeloadReplay
import KneeloadConfiguration
import KneeloadDaemon
import KneeloadEngine
import KneeloadRecording
import SimulatedBus
import Testing

/// The daemon's sampling loop on the simulated rig and GPIO chip, on the virtual clock.
@Suite struct DaemonLoopTests {
    /// Only the stair-descent limit can fire, and without a warning first.
    static let stairLimit = """
        limits:
          session_stair_descent_steps: 8
          session_load_bw_s: 1000000
          load_rate_bw_s_per_min: 1000000
          warning_fraction: 0
        """

    @Test func anAlertSetsItsLinesWithinOneSamplePeriodOfTheCrossingSample() throws {
        let harness = try DaemonHarness(scenario: "stairs", yaml: Self.stairLimit)
        harness.runScenario()
        let alert = try #require(harness.alerts.first)
        #expect(alert.kind == .stairDescents && alert.level == .alert)
        #expect(harness.alerts.count == 1)
        let crossing = harness.instant(alert.t)
        let period = Duration.milliseconds(10)
        let buzzerOn = try #require(harness.environment.gpio.changes(on: "GPIO17").first { $0.level })
        let ledOn = try #require(harness.environment.gpio.changes(on: "GPIO27").first { $0.level })
        #expect(buzzerOn.time >= crossing && buzzerOn.time <= crossing + period)
        #expect(ledOn.time >= crossing && ledOn.time <= crossing + period)
        // The LED holds the unacknowledged alert to the end.
        #expect(harness.environment.gpio.level(of: "GPIO27") == true)
        #expect(harness.readyCount == 1)
    }

    @Test func theButtonAcknowledgesTheAlert() throws {
        let harness = try DaemonHarness(scenario: "stairs", yaml: Self.stairLimit)
        let gpio = harness.environment.gpio
        // Run in one-second pieces until the alert is up, then a little longer.
        var t = 1.0
        while harness.alerts.isEmpty && t < 200 {
            harness.loop.run(until: harness.instant(t))
            t += 1
        }
        let alert = try #require(harness.alerts.first)
        // After the alert's pattern (3 s) the LED holds the unacknowledged alert.
        harness.loop.run(until: harness.instant(alert.t + 4))
        #expect(gpio.level(of: "GPIO27") == true)
        #expect(harness.loop.monitor.policy.activeAlerts.map(\.kind) == [.stairDescents])
        // A 150 ms press of a button to ground (active low, pull-up).
        gpio.drive("GPIO22", to: false)
        harness.loop.run(until: harness.instant(alert.t + 4.15))
        gpio.drive("GPIO22", to: true)
        harness.loop.run(until: harness.instant(alert.t + 4.5))
        let acknowledgements = harness.events.compactMap { event -> ([AlertEvent], String)? in
            if case .acknowledged(let alerts, let source) = event { (alerts, source) } else { nil }
        }
        #expect(acknowledgements.count == 1)
        #expect(acknowledgements.first?.0.map(\.kind) == [.stairDescents])
        #expect(acknowledgements.first?.1 == "button")
        #expect(harness.loop.monitor.policy.activeAlerts.isEmpty)
        #expect(gpio.level(of: "GPIO27") == false)
        #expect(gpio.level(of: "GPIO17") == false)
    }

    @Test func anAcknowledgeRequestFromAnotherThreadActsAtTheNextSample() throws {
        let harness = try DaemonHarness(scenario: "stairs", yaml: Self.stairLimit)
        harness.runScenario()
        #expect(!harness.loop.monitor.policy.activeAlerts.isEmpty)
        harness.control.requestAcknowledge()
        let end = harness.environment.end
        harness.loop.run(until: end + .milliseconds(20))
        #expect(harness.loop.monitor.policy.activeAlerts.isEmpty)
        #expect(harness.environment.gpio.level(of: "GPIO27") == false)
    }

    @Test func onePercentFailedTransfersNeitherStopAccumulationNorRaiseASensorFault() throws {
        let clean = try DaemonHarness(scenario: "walk")
        clean.runScenario()
        let rig = try #require(clean.environment.rig)
        let faults = DeviceFaults(transferFailureRate: 0.01)
        let faulty = try DaemonHarness(scenario: "walk", faults: [rig.imuAddress: faults, rig.kneeAddress: faults])
        faulty.runScenario()
        #expect(faulty.loop.sampler.failedReads > 20)
        #expect(!faulty.alerts.contains { $0.kind == .sensorFault })
        #expect(abs(faulty.steps - clean.steps) <= clean.steps / 20)
        let cleanLoad = clean.loop.monitor.accumulator.lifetimeLoadBWs
        #expect(abs(faulty.loop.monitor.accumulator.lifetimeLoadBWs - cleanLoad) < 0.1 * cleanLoad)
        #expect(faulty.loop.sampler.imuHealth.state == .ok && faulty.loop.sampler.kneeHealth.state == .ok)
    }

    @Test func aSensorVanishingForFiveSecondsRaisesOneSensorFaultAndRecovers() throws {
        let probe = try DaemonHarness(scenario: "walk")
        let imu = try #require(probe.environment.rig).imuAddress
        // The walk starts at 5 s of body time; the IMU is gone from 40 s to 45 s of the virtual clock.
        let gone = Duration.seconds(40)..<Duration.seconds(45)
        let harness = try DaemonHarness(scenario: "walk", faults: [imu: DeviceFaults(vanishings: [gone])])
        harness.runScenario()
        let faults = harness.alerts.filter { $0.kind == .sensorFault }
        #expect(faults.count == 1)
        let fault = try #require(faults.first)
        let vanished = (gone.lowerBound - harness.loop.start).seconds
        #expect(fault.t >= vanished + 2 && fault.t < vanished + 2.1)
        let states = harness.events.compactMap { event -> String? in
            if case .sensor(let name, _, let state, _) = event, name == "imu" { state } else { nil }
        }
        #expect(states == ["retrying", "degraded", "ok"])
        let stepsAfter = harness.events.count {
            if case .engine(.step(let s)) = $0 { s.time > vanished + 10 } else { false }
        }
        #expect(stepsAfter > 50)
        #expect(harness.loop.sampler.imuHealth.state == .ok)
    }

    /// A loop stalled for 150 ms (a slow SD card, a busy CPU) loses nothing with the IMU's FIFO: the samples
    /// wait in the chip and come in the next burst with their own spacing. Reading the output registers, the
    /// same stall is a gap of dropped samples.
    @Test(arguments: [true, false])
    func aStalledLoopLosesNoSamplesWithTheFIFO(fifo: Bool) throws {
        let harness = try DaemonHarness(scenario: "walk", yaml: "sensors:\n  imu:\n    fifo: \(fifo)\n")
        harness.loop.run(until: harness.instant(10))
        harness.environment.clock.virtualClock.advance(by: .milliseconds(150))
        harness.loop.run(until: harness.instant(20))
        let totals = harness.loop.monitor.totals
        if fifo {
            #expect(totals.droppedSamples == 0)
            // MPU-6500 at 100 Hz: every period from the first read on, within a sample or two.
            #expect(abs(totals.samples - 1999) <= 2, "\(totals.samples)")
        } else {
            #expect(totals.droppedSamples >= 13)
        }
        #expect(harness.loop.sampler.fifoDiscardedSamples == 0)
    }

    @Test func reloadedLimitsApplyFromTheNextSample() throws {
        let high = Self.stairLimit.replacingOccurrences(of: "session_stair_descent_steps: 8", with: "session_stair_descent_steps: 1000")
        let harness = try DaemonHarness(scenario: "stairs", yaml: high)
        harness.loop.run(until: harness.instant(60))
        #expect(harness.alerts.isEmpty)
        let descents = harness.loop.monitor.accumulator.sessionStairDescentSteps
        #expect(descents > 8)
        harness.control.requestReload(try Configuration(yaml: Self.stairLimit, source: "new.yaml"))
        harness.loop.run(until: harness.instant(60.2))
        #expect(harness.loop.monitor.policy.limits.sessionStairDescentSteps == 8)
        // Already past the new limit: the next evaluation fires it.
        let alert = try #require(harness.alerts.first)
        #expect(alert.kind == .stairDescents && alert.t > 60 && alert.t <= 60.2)
        #expect(harness.events.count { if case .configurationReloaded = $0 { true } else { false } } == 1)
    }

    @Test func stateIsCheckpointedOnScheduleAndAtShutDown() throws {
        let harness = try DaemonHarness(scenario: "walk", yaml: "daemon:\n  checkpoint_interval_s: 5\n")
        harness.runScenario()
        let during = harness.checkpoints.count
        harness.loop.shutDown()
        #expect(harness.checkpoints.count == during + 1)
        let duration = (harness.environment.end - harness.loop.start).seconds
        #expect(during == Int(duration / 5))
        let last = try #require(harness.checkpoints.last)
        #expect(last.0.lifetimeLoadBWs == harness.loop.monitor.accumulator.lifetimeLoadBWs)
        #expect(last.0.lifetimeLoadBWs > 0)
        // Outputs off and released at shutdown.
        #expect(harness.environment.gpio.consumer(of: "GPIO17") == nil)
        #expect(harness.environment.gpio.level(of: "GPIO17") == false)
    }
}

/// The daemon records what it monitors: replaying its recording gives exactly its own totals.
@Suite struct DaemonRecordingTests {
    @Test func replayingTheDaemonsRecordingReproducesItsRun() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kneeloadd-rec-\(UUID().uuidString)").path
        let harness = try DaemonHarness(scenario: "stairs", recordingDirectory: directory)
        harness.runScenario()
        harness.loop.shutDown()
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".klr") }
        #expect(files.count == 1)
        let file = try #require(files.first)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/" + file)))
        let configuration = harness.environment.configuration
        let replay = try ReplaySession(
            input: bytes, file: file, configuration: configuration.engine, limits: configuration.limits)
        let daemon = harness.loop.monitor.totals
        #expect(replay.summary.totals.samples == daemon.samples)
        #expect(replay.summary.totals.steps == daemon.steps)
        #expect(replay.summary.totals.stairDescentSteps == daemon.stairDescentSteps)
        #expect(replay.summary.totals.cumulativeLoadBWs == daemon.cumulativeLoadBWs)
        #expect(daemon.stairDescentSteps > 15)
        let state = try #require(harness.loop.recorder?.state)
        #expect(state.samplesRecorded == daemon.samples && state.bytesWritten < 16 * daemon.samples)
    }

    /// Storage in memory whose disk can be made full.
    final class FillableStorage: RecordingStorage, @unchecked Sendable {
        final class File: RecordingOutput {
            let storage: FillableStorage
            var bytes: [UInt8] = []
            let name: String
            init(storage: FillableStorage, name: String) {
                self.storage = storage
                self.name = name
            }
            func write(_ more: [UInt8]) throws(RecordingStorageError) {
                if storage.full { throw RecordingStorageError(path: name, operation: "write", code: 28, reason: "No space left on device") }
                bytes += more
            }
            func synchronize() throws(RecordingStorageError) {}
            func close() throws(RecordingStorageError) {}
        }
        var full = false
        private(set) var files: [File] = []
        func create(part: Int, startUnixTimeS: Double?) throws(RecordingStorageError) -> any RecordingOutput {
            if full { throw RecordingStorageError(path: "part \(part)", operation: "create", code: 28, reason: "No space left on device") }
            let file = File(storage: self, name: "part-\(part).klr")
            files.append(file)
            return file
        }
    }

    @Test func aFullDiskStopsRecordingAndItResumesWhenSpaceComesBack() throws {
        let storage = FillableStorage()
        let harness = try DaemonHarness(scenario: "mixed", recordingStorage: storage)
        try #require(harness.environment.end > harness.instant(140))
        harness.loop.run(until: harness.instant(5))
        #expect(harness.loop.recorder?.state.active == true)
        storage.full = true
        harness.loop.run(until: harness.instant(30))
        let stopped = try #require(harness.loop.recorder?.state)
        #expect(!stopped.active && stopped.stopReason?.contains("No space left") == true)
        storage.full = false
        // Tried again a minute after the stop (~6 s), not before.
        harness.loop.run(until: harness.instant(62))
        #expect(harness.loop.recorder?.state.active == false)
        harness.loop.run(until: harness.instant(70))
        #expect(harness.loop.recorder?.state.active == true)
        #expect(storage.files.count == 2)
        // Once it has worked again, the next stop is retried after a minute again, not after the doubled wait.
        storage.full = true
        harness.loop.run(until: harness.instant(110))
        #expect(harness.loop.recorder?.state.active == false)
        storage.full = false
        // Stopped at ~71 s: tried again at ~131 s (the doubled wait would make it ~191 s).
        harness.loop.run(until: harness.instant(128))
        #expect(harness.loop.recorder?.state.active == false)
        harness.loop.run(until: harness.instant(140))
        #expect(harness.loop.recorder?.state.active == true)
        #expect(storage.files.count == 3)
        harness.loop.shutDown()
        // The new part reads back, from the retry on; monitoring never stopped.
        var reader = try RecordingReader(file: "part-2.klr", bytes: storage.files[1].bytes)
        let next = reader.next()
        let first = try #require(next)
        #expect(first.time > 62 && first.time < 70)
        #expect(reader.diagnostics.isEmpty)
        #expect(harness.loop.monitor.totals.samples >= Int(140 * harness.environment.configuration.sensors.sampleRateHz) - 10)
    }
}
