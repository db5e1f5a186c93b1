import ArgumentParser
import Foundation
import GaitSimulator
import KneeloadConfiguration
import KneeloadDaemon
import KneeloadEngine
import KneeloadReplay
import KneeloadState
import KneeloadStatus
import KneeloadSystemd
import Logging
import ServiceLifecycle

/// `kneeloadd`: the knee-load monitor daemon (CONTRACTS §5).
@main
struct KneeloaddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kneeloadd",
        abstract: "The kneeload daemon: samples the rig, accumulates knee load, raises alerts on GPIO.",
        discussion: """
            On the board it runs under systemd (systemd/kneeloadd.service). With --simulate it runs the same \
            loop, drivers and alert logic on the simulated sensor bus and GPIO chip, printing alerts and line \
            changes, and stops at the end of the scenario; --replay FILE does the same with a recording or \
            replay CSV moving the simulated chips.
            Exit statuses: 0 stopped, 64 usage, 65 a scenario file that does not parse, 66 no such scenario, \
            69 state or runtime directory unusable, 78 configuration error.
            """)

    @Option(help: "Configuration file (CONTRACTS §4).")
    var config: String?

    @Flag(help: "Run on the simulated sensor bus and GPIO chip.")
    var simulate = false

    @Argument(help: "With --simulate: a built-in scenario (\(Scenario.builtInNames.joined(separator: ", "))) or a scenario file.")
    var scenario: String?

    @Option(help: "Play a recording or replay CSV through the simulated chips, drivers, loop and alerts.")
    var replay: String?

    @Option(help: "With --simulate or --replay: seconds of data per real second; 0 runs as fast as the machine can.")
    var speed = 1.0

    @Option(help: "With --simulate: seed overriding the scenario's own.")
    var seed: UInt64?

    @Option(help: "Stop after this many seconds (of the scenario, with --simulate).")
    var duration: Double?

    @Option(help: "State directory (default: daemon.state_directory, $STATE_DIRECTORY, /var/lib/kneeload).")
    var stateDirectory: String?

    @Option(help: "Status socket (default: $RUNTIME_DIRECTORY/kneeload.sock, else /run/kneeload/kneeload.sock).")
    var socket: String?

    static let defaultConfigurationPath = "/etc/kneeload/kneeload.yaml"

    func validate() throws {
        if scenario != nil && !simulate { throw ValidationError("a scenario is given only with --simulate") }
        if simulate && replay != nil { throw ValidationError("--simulate and --replay exclude each other") }
        if !(speed >= 0 && speed.isFinite) { throw ValidationError("--speed must be 0 or more") }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be more than 0 seconds") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        LoggingSystem.bootstrap(JournalLogHandler.standardErrorFactory(environment: environment, logLevel: .info))
        let logger = Logger(label: "kneeloadd")
        let configuration = try loadConfiguration(logger: logger)
        let mode = try makeMode(configuration: configuration)
        let notifier = SystemdNotifier(environment: environment, logger: logger)
        let control = DaemonControl()
        let bridge = StatusBridge(control: control)
        var hooks = DaemonHooks()
        hooks.publish = { bridge.publish($0) }
        hooks.event = { bridge.handle($0) }
        let localTime = LocalTime.now()
        let stateDirectory = stateDirectory(configuration: configuration, environment: environment)
        let persistence = Persistence(directory: stateDirectory, logger: logger)
        let restored = persistence.restore(localTime: localTime)
        var runFor = duration.map { Duration.seconds($0) }
        if case .simulated(let environment) = mode {
            let printer = SimulationPrinter(
                gpio: environment.gpio, start: environment.clock.now, engineTimeOffset: restored?.engineTime ?? 0)
            hooks.event = {
                bridge.handle($0)
                printer.print($0)
            }
            hooks.publish = {
                bridge.publish($0)
                printer.printLineChanges()
            }
            if runFor == nil { runFor = .seconds(environment.duration) }
            logger.notice("\(simulate ? "simulating" : "replaying") \(environment.name) at speed \(speed == 0 ? "max" : "\(speed)")")
        }
        hooks.ready = { snapshot in
            notifier.ready(status: "sampling at \(snapshot.sampleRateHz) Hz (\(snapshot.mode))")
        }
        hooks.watchdogInterval = notifier.watchdogInterval
        hooks.watchdog = { notifier.watchdog() }

        if simulate {
            // A simulated run says what each checkpoint holds, once it is on disk (the crash tests read it).
            hooks.checkpoint = { monitor, _ in
                let line = "checkpoint t=\(monitor.accumulator.latestT) lifetime_bw_s=\(monitor.accumulator.lifetimeLoadBWs)\n"
                persistence.save(monitor) { FileHandle.standardOutput.write(Data(line.utf8)) }
            }
        } else {
            hooks.checkpoint = { monitor, _ in persistence.save(monitor) }
        }

        let recordings = configuration.daemon.recording
            ? DaemonAssembly.RecordingTarget.directory(configuration.daemon.recordingDirectory ?? stateDirectory + "/recordings")
            : nil
        var assembly = DaemonAssembly(
            configuration: configuration, mode: mode, restored: restored?.accumulator, localTime: localTime,
            recordingTarget: recordings)
        assembly.engineTimeOffset = restored?.engineTime ?? 0
        assembly.resumedCalibration = restored?.calibration
        assembly.resumedAlerts = restored?.alerts
        let sampling = SamplingService(
            assembly: assembly, control: control, hooks: hooks, runFor: runFor, logger: logger,
            onShutdownRequest: { notifier.stopping(status: "saving state") })
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: sampling, successTerminationBehavior: .gracefullyShutdownGroup),
                    .init(
                        service: ReloadService(
                            path: configurationPath, control: control, notifier: notifier, logger: logger)),
                    .init(service: StatusService(path: socketPath(environment: environment), provider: bridge, logger: logger)),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        bridge.finish()
        persistence.flush()
    }

    private func socketPath(environment: [String: String]) -> String {
        socket ?? StatusSocketPath.resolve(environment: environment)
    }

    /// `--state-directory`, else the configuration's, else systemd's or the default (CONTRACTS §5); a simulated
    /// run keeps its state apart from the runner's, in `simulation/` below it.
    private func stateDirectory(configuration: Configuration, environment: [String: String]) -> String {
        if let stateDirectory { return stateDirectory }
        let resolved = configuration.daemon.resolvedStateDirectory(environment: environment)
        return simulate || replay != nil ? resolved + "/simulation" : resolved
    }

    private var configurationPath: String? { config ?? (FileManager.default.fileExists(atPath: Self.defaultConfigurationPath) ? Self.defaultConfigurationPath : nil) }

    private func loadConfiguration(logger: Logger) throws -> Configuration {
        guard let path = configurationPath else {
            logger.info("no \(Self.defaultConfigurationPath); using the defaults")
            return Configuration()
        }
        do {
            return try Configuration.load(path: path)
        } catch {
            throw DaemonFailure(exitCode: 78, message: "\(error)")
        }
    }

    private func makeMode(configuration: Configuration) throws -> DaemonAssembly.Mode {
        if let replay { return try replayMode(path: replay, configuration: configuration) }
        guard simulate else { return .hardware }
        let argument = scenario ?? "mixed"
        let loaded: Scenario
        do {
            loaded = try Scenario.resolve(argument)
        } catch {
            let unreadable = Scenario.reference(argument) != .file(argument) || error.line == nil
            throw DaemonFailure(exitCode: unreadable ? 66 : 65, message: "\(error)")
        }
        return .simulated(
            SimulatedEnvironment(scenario: loaded, seed: seed, speed: speed == 0 ? nil : speed, configuration: configuration))
    }

    private func replayMode(path: String, configuration: Configuration) throws -> DaemonAssembly.Mode {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DaemonFailure(exitCode: 66, message: "\(path): cannot read the file")
        }
        let recorded: RecordedSamples
        do {
            recorded = try RecordedSamples(bytes: [UInt8](data), file: path)
        } catch {
            throw DaemonFailure(exitCode: 65, message: "\(error)")
        }
        for diagnostic in recorded.diagnostics {
            FileHandle.standardError.write(Data("kneeloadd: \(diagnostic)\n".utf8))
        }
        guard !recorded.samples.isEmpty else { throw DaemonFailure(exitCode: 65, message: "\(path): no samples") }
        return .simulated(
            SimulatedEnvironment(
                samples: recorded.samples, name: (path as NSString).lastPathComponent, hasGyro: recorded.hasGyro,
                speed: speed == 0 ? nil : speed, configuration: configuration))
    }

    /// Turns a `DaemonFailure` into one stderr line and its exit status.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as DaemonFailure {
            FileHandle.standardError.write(Data("kneeloadd: \(failure.message)\n".utf8))
            Foundation.exit(failure.exitCode)
        } catch {
            exit(withError: error)
        }
    }
}

struct DaemonFailure: Error {
    var exitCode: Int32
    var message: String
}
