import KneeloadEngine
import KneeloadStatus
import Synchronization

/// The daemon's side of the status socket: keeps the loop's latest snapshot for `kneeload status`, hands
/// `kneeload ack` to the loop and waits for its answer, and turns the loop's events into watch events. The
/// loop calls `publish` and `handle` from its thread; the server calls the `StatusProvider` methods from its
/// tasks.
public final class StatusBridge: StatusProvider {
    public static let version = "0.1.0"

    private let control: DaemonControl
    private let broadcaster = StatusEventBroadcaster()
    private let latest = Mutex(DaemonSnapshot())
    /// Each sensor's last state, for the `previous` of a `sensor_state` event.
    private let sensorStates = Mutex([String: SensorStatus.State]())

    public init(control: DaemonControl) {
        self.control = control
    }

    // MARK: loop side

    public func publish(_ snapshot: DaemonSnapshot) {
        latest.withLock { $0 = snapshot }
    }

    public func handle(_ event: DaemonEvent) {
        switch event {
        case .engine(.step(let step)): broadcaster.publish(.step(step))
        case .engine(.stairDescentStep(let step)): broadcaster.publish(.stairDescentStep(step))
        case .engine(.alert(let alert)): broadcaster.publish(.alert(alert))
        case .acknowledged(let alerts, _):
            for alert in alerts {
                broadcaster.publish(.alertAcknowledged(t: latest.withLock { $0.uptimeS }, kind: alert.kind, level: alert.level))
            }
        case .sensor(let name, let chip, let state, let detail):
            let status = SensorStatus(
                name: name, state: Self.state(state), detail: detail.isEmpty ? chip : "\(chip): \(detail)")
            let previous = sensorStates.withLock { states in
                defer { states[name] = status.state }
                return states[name] ?? .ok
            }
            broadcaster.publish(.sensorState(t: latest.withLock { $0.uptimeS }, sensor: status, previous: previous))
        case .configurationReloaded:
            break
        }
    }

    /// No more events (shutdown): watchers' streams end.
    public func finish() { broadcaster.finish() }

    // MARK: StatusProvider

    public func status() async -> DaemonStatus {
        Self.status(from: latest.withLock { $0 })
    }

    public func acknowledge() async -> [AlertEvent] {
        await withCheckedContinuation { continuation in
            control.requestAcknowledge { continuation.resume(returning: $0) }
        }
    }

    public func events() -> AsyncStream<StatusEvent> { broadcaster.subscribe() }

    // MARK: mapping

    /// The loop's sensor states as `kneeload status` names them.
    static func state(_ loopState: String) -> SensorStatus.State {
        switch loopState {
        case DeviceHealth.State.ok.rawValue: .ok
        case DeviceHealth.State.retrying.rawValue: .degraded
        case DeviceHealth.State.degraded.rawValue: .fault
        default: .absent  // "starting": not read yet
        }
    }

    public static func status(from s: DaemonSnapshot) -> DaemonStatus {
        DaemonStatus(
            uptimeS: s.uptimeS, samples: s.samples, droppedSamples: s.droppedSamples,
            session: .init(loadBWs: s.sessionLoadBWs, steps: s.sessionSteps, stairDescentSteps: s.sessionStairDescentSteps),
            alertsActive: s.alertsActive.map(\.kind),
            sensors: s.sensors.map { SensorStatus(name: $0.name, state: state($0.state), detail: $0.chip) },
            version: version, mode: DaemonStatus.Mode(rawValue: s.mode) ?? .hardware, sampleRateHz: s.sampleRateHz,
            lateSamples: s.lateSamples,
            day: .init(loadBWs: s.dayLoadBWs, steps: s.daySteps, stairDescentSteps: s.dayStairDescentSteps),
            loadLastMinuteBWs: s.loadLastMinuteBWs,
            trainingLoad: .init(acuteBWs: s.acuteLoadBWs, chronicBWs: s.chronicLoadBWs, daysOfHistory: s.daysOfHistory),
            recording: s.recording.map { .init(active: $0.active, reason: $0.stopReason) }
                ?? .init(active: false, reason: "not configured"),
            stateCheckpointUnixS: s.lastCheckpointUnixS)
    }
}
