import AlertOutputs
import GaitSimulator
import KneeloadConfiguration
import KneeloadDaemon
import KneeloadEngine
import KneeloadRecording
import Logging
import SimulatedBus

/// A daemon loop on a simulated rig and GPIO chip, with every hook recorded.
final class DaemonHarness {
    let environment: SimulatedEnvironment
    let loop: DaemonLoop
    let control = DaemonControl()
    private(set) var events: [DaemonEvent] = []
    private(set) var checkpoints: [(LoadAccumulator.Snapshot, DaemonSnapshot)] = []
    private(set) var readyCount = 0

    init(
        scenario name: String, seed: UInt64 = 1, yaml: String = "", faults: [UInt8: DeviceFaults] = [:],
        recordingDirectory: String? = nil, recordingStorage: (any RecordingStorage & Sendable)? = nil
    ) throws {
        let configuration = try Configuration(yaml: yaml, source: "test.yaml")
        environment = SimulatedEnvironment(
            scenario: try Scenario.builtIn(named: name), seed: seed, speed: nil, configuration: configuration)
        for (address, fault) in faults { environment.bus.setFaults(fault, at: address) }
        var hooks = DaemonHooks()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        // The daemon's own assembly, on the simulated environment.
        let assembly = DaemonAssembly(
            configuration: configuration, mode: .simulated(environment), restored: nil, localTime: .unixEpochUTC,
            recordingTarget: recordingStorage.map { .storage($0) } ?? recordingDirectory.map { .directory($0) })
        loop = try assembly.makeLoop(control: control, hooks: hooks, logger: logger)
        hooks.event = { [unowned self] in self.events.append($0) }
        hooks.checkpoint = { [unowned self] in self.checkpoints.append(($0.accumulator.snapshot, $1)) }
        hooks.ready = { [unowned self] _ in self.readyCount += 1 }
        loop.replaceHooks(hooks)
    }

    var alerts: [AlertEvent] {
        events.compactMap { if case .engine(.alert(let a)) = $0 { a } else { nil } }
    }

    var steps: Int {
        events.count { if case .engine(.step) = $0 { true } else { false } }
    }

    /// Seconds of engine time → loop-clock instant.
    func instant(_ t: Double) -> Duration { loop.start + .nanoseconds(Int64((t * 1e9).rounded())) }

    func runScenario() {
        loop.run(until: environment.end)
    }
}
