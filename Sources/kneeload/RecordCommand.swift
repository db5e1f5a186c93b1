import ArgumentParser
import Foundation
import GaitSimulator
import KneeloadConfiguration
import KneeloadDaemon
import KneeloadEngine
import Logging

/// `kneeload record --duration S --output FILE [--config PATH] [--simulate SCENARIO]`: bench work without the
/// daemon. The configured sensors are set up and sampled exactly as the daemon does (same assembly, loop and
/// supervision; no GPIO, no state), into one recording file.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record the configured sensors for a while, without the daemon.",
        discussion: """
            Reads the configuration's sensors section (bus, chips, rate, axis remap, calibration) and writes \
            every sample to FILE in the daemon's recording format. --simulate SCENARIO records a simulated rig \
            instead (no hardware needed). Stop the daemon first: two processes on one bus confuse the chips' FIFOs.
            """)

    @Option(help: "How many seconds to record.")
    var duration: Double

    @Option(name: .shortAndLong, help: "The recording file to write (replaced if it exists).")
    var output: String

    @Option(help: "Configuration file (CONTRACTS §4; default /etc/kneeload/kneeload.yaml if it exists).")
    var config: String?

    @Option(help: "Record a simulated rig running this scenario instead of the hardware.")
    var simulate: String?

    func validate() throws {
        if !(duration > 0 && duration <= 86_400) { throw ValidationError("--duration must be in (0, 86400] seconds") }
    }

    func run() throws {
        var configuration = try loadConfiguration()
        configuration.gpio.enabled = false
        let mode: DaemonAssembly.Mode
        if let simulate {
            let scenario: Scenario
            do {
                scenario = try Scenario.resolve(simulate)
            } catch {
                let unreadable = Scenario.reference(simulate) != .file(simulate) || error.line == nil
                throw CommandFailure(error.description, exitCode: unreadable ? CommandFailure.noInput : CommandFailure.dataError)
            }
            mode = .simulated(SimulatedEnvironment(scenario: scenario, seed: nil, speed: nil, configuration: configuration))
        } else {
            mode = .hardware
        }
        var logger = Logger(label: "kneeload-record")
        logger.logLevel = .warning
        let assembly = DaemonAssembly(
            configuration: configuration, mode: mode, restored: nil, localTime: .now(),
            recordingTarget: .file(output))
        let loop: DaemonLoop
        do {
            loop = try assembly.makeLoop(control: DaemonControl(), hooks: DaemonHooks(), logger: logger)
        } catch {
            throw CommandFailure(error.description, exitCode: CommandFailure.unavailable)
        }
        loop.run(until: loop.start + .seconds(duration))
        // Closing the recording ends its `active` state, so look at it before.
        if let state = loop.recorder?.state, !state.active {
            loop.shutDown()
            throw CommandFailure("\(output): \(state.stopReason ?? "recording stopped")", exitCode: CommandFailure.cannotCreate)
        }
        loop.shutDown()
        let state = loop.recorder?.state
        let snapshot = loop.snapshot
        printError(
            "recorded \(state?.samplesRecorded ?? 0) samples (\(snapshot.failedReads) failed reads, "
                + "\(snapshot.lateSamples) late) from \(loop.sampler.imu.chip) and \(loop.sampler.knee.chip) to \(output)")
    }

    private func loadConfiguration() throws -> Configuration {
        let path = config ?? "/etc/kneeload/kneeload.yaml"
        guard config != nil || FileManager.default.fileExists(atPath: path) else { return Configuration() }
        do {
            return try Configuration.load(path: path)
        } catch {
            throw CommandFailure(error.description, exitCode: CommandFailure.configurationError)
        }
    }
}
