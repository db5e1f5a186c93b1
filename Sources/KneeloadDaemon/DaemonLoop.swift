import AlertOutputs
import KneeloadConfiguration
import KneeloadCore
import KneeloadEngine
import KneeloadRecording
import Logging

/// The daemon's sampling loop: one sample per period at absolute deadlines on the loop clock, through the
/// engine, the accumulator and the alert policy (`LoadMonitor`), alerts out to GPIO within the same
/// iteration, the button read, state checkpointed and the watchdog fed. It runs on one thread and owns
/// everything it touches; other threads reach it through `DaemonControl` and see it through the hooks.
public final class DaemonLoop {
    public let clock: any LoopClock
    public let sampler: SensorSampler
    public let alerts: AlertHardware?
    public let control: DaemonControl
    public private(set) var monitor: LoadMonitor
    /// Every sample goes through it (and comes back on the recording's grid) before the monitor sees it,
    /// so a replay of the recording reproduces this run exactly.
    public private(set) var recorder: RecordingWriter?
    /// Deadlines since the start.
    private var sequence: UInt64 = 0
    /// The next recorded sample's sequence number: one per sample, and at least the deadline count, so a
    /// period without a sample shows as a missing number.
    private var nextSampleSequence: UInt64 = 0
    public private(set) var configuration: Configuration
    public private(set) var snapshot = DaemonSnapshot()
    /// Loop-clock instant the loop started at: engine time `engineTimeOffset`.
    public let start: Duration
    /// Engine time at `start`: 0, or where a resumed session's clock had got to (`DaemonAssembly`).
    public let engineTimeOffset: Double
    private var hooks: DaemonHooks
    private let logger: Logger
    private let period: Duration
    private var events = EventBuffer(reservingCapacity: 16)
    private var deadline: Duration
    private var isShutDown = false
    private var announcedReady = false
    private var nextPublish: Duration
    private var nextCheckpoint: Duration
    private var nextWatchdog: Duration
    private var lastGPIOError: GPIOError?

    /// Publishing a snapshot more often than this costs without telling anyone more.
    static let publishInterval = Duration.milliseconds(100)
    /// A recording stopped by its storage (a full disk, a card that went read-only) is tried again after
    /// this, then after twice as long each time it fails again, up to `recordingRetryLongest`: space may
    /// come free (retention deletes old recordings before each new file) without flooding the log.
    static let recordingRetryFirst = Duration.seconds(60)
    static let recordingRetryLongest = Duration.seconds(960)
    private var recordingRetryAt: Duration?
    private var recordingRetryDelay = recordingRetryFirst

    public init(
        configuration: Configuration, monitor: LoadMonitor, sampler: SensorSampler, alerts: AlertHardware?,
        clock: any LoopClock, control: DaemonControl, hooks: DaemonHooks, mode: String, logger: Logger,
        recorder: RecordingWriter? = nil, engineTimeOffset: Double = 0
    ) {
        self.engineTimeOffset = engineTimeOffset
        self.recorder = recorder
        self.configuration = configuration
        self.monitor = monitor
        self.sampler = sampler
        self.alerts = alerts
        self.clock = clock
        self.control = control
        self.hooks = hooks
        self.logger = logger
        period = .nanoseconds(Int64((1e9 / configuration.sensors.sampleRateHz).rounded()))
        start = clock.now
        deadline = start
        nextPublish = start
        nextCheckpoint = start + .seconds(configuration.daemon.checkpointIntervalS)
        nextWatchdog = start
        snapshot.mode = mode
        snapshot.sampleRateHz = configuration.sensors.sampleRateHz
        snapshot.sensors = SensorSampler.Device.allCases.map {
            DaemonSnapshot.Sensor(name: $0.rawValue, chip: sampler.chip(of: $0), state: "starting", failures: 0)
        }
    }

    /// Hooks set after the loop was made (they may need the loop itself).
    public func replaceHooks(_ new: DaemonHooks) { hooks = new }

    /// Samples until a stop is requested, or until the deadline after `end` on the loop clock (tests and
    /// bounded runs call it again to go on). `shutDown()` ends the run.
    public func run(until end: Duration? = nil) {
        while !control.isStopRequested {
            if let end, deadline > end { return }
            clock.sleep(until: deadline)
            let now = clock.now
            iterate(at: now)
            deadline += period
            sequence += 1
            if now >= deadline + period {
                // Too late for the samples in between: skip to the next deadline after now. The engine sees
                // the gap in the timestamps and counts those samples as dropped.
                let behind = Int((now - deadline) / period)
                snapshot.lateSamples += behind
                deadline += period * behind
                sequence += UInt64(behind)
                recorder?.note(
                    RecordingEvent(kind: .gap, time: (now - start).seconds + engineTimeOffset, sequence: sequence, count: behind))
            }
        }
    }

    private func superviseRecording(at now: Duration) {
        guard let state = recorder?.state else { return }
        if state.active {
            // A file open and written to: the storage works again.
            if state.file != nil { recordingRetryDelay = Self.recordingRetryFirst }
            return
        }
        // Closed at shutdown, or switched off: nothing to retry.
        guard state.stopReason != nil, state.stopReason != "closed" else { return }
        guard let at = recordingRetryAt else {
            recordingRetryAt = now + recordingRetryDelay
            recordingRetryDelay = min(recordingRetryDelay * 2, Self.recordingRetryLongest)
            return
        }
        guard now >= at else { return }
        recordingRetryAt = nil
        logger.notice("recording: trying again after \(state.stopReason ?? "a stop")")
        recorder?.resume()
    }

    private func iterate(at now: Duration) {
        let t = (now - start).seconds + engineTimeOffset
        handleRequests(at: now, t: t)
        sampler.sample(at: now, engineTime: t)
        nextSampleSequence = max(nextSampleSequence, sequence)
        for var sample in sampler.batch {
            if recorder != nil { sample = recorder!.append(sample, sequence: nextSampleSequence) }
            nextSampleSequence += 1
            events.removeAll()
            monitor.process(sample, events: &events)
            for event in events.events { handle(event, at: now) }
        }
        for change in sampler.changes { handle(change, at: now, t: t) }
        superviseRecording(at: now)
        pollButton(at: now, t: t)
        tickAlerts(at: now)
        if !announcedReady && sampler.isReady {
            announcedReady = true
            updateSnapshot(at: now)
            logger.notice("sensors ready: \(sampler.imu.chip) and \(sampler.knee.chip) at \(configuration.sensors.sampleRateHz) Hz")
            hooks.ready(snapshot)
        }
        if now >= nextPublish {
            updateSnapshot(at: now)
            hooks.publish(snapshot)
            nextPublish = now + Self.publishInterval
        }
        if let interval = hooks.watchdogInterval, now >= nextWatchdog {
            hooks.watchdog()
            nextWatchdog = now + interval
        }
        if now >= nextCheckpoint {
            checkpoint(at: now)
        }
    }

    private func handle(_ event: EngineEvent, at now: Duration) {
        hooks.event(.engine(event))
        guard case .alert(let alert) = event else { return }
        logger.notice(
            "\(alert.level == .alert ? "alert" : "warning"): \(alert.kind.rawValue) \(alert.value) passed \(alert.limit)",
            metadata: ["t_s": "\(alert.t)"])
        alerts?.annunciator.raise(AlertHardware.signal(for: alert), at: now)
    }

    private func handle(_ change: SensorSampler.HealthChange, at now: Duration, t: Double) {
        let name = change.device.rawValue
        let detail = change.error.map { "\($0)" } ?? ""
        switch change.transition {
        case .startedFailing:
            logger.warning("\(name) sensor (\(change.chip)) failed, retrying: \(detail)")
        case .becameDegraded:
            logger.error("\(name) sensor (\(change.chip)) degraded after \(configuration.daemon.sensorFaultAfterS) s of failures: \(detail)")
            recorder?.note(RecordingEvent(kind: .sensorFault, time: t, sequence: sequence, detail: "\(name) \(change.chip): \(detail)"))
            events.removeAll()
            monitor.raiseSensorFault(at: t, events: &events)
            for event in events.events { handle(event, at: now) }
        case .recovered(let failures):
            logger.notice("\(name) sensor (\(change.chip)) recovered after \(failures) failed reads")
        }
        let state = sampler.state(of: change.device).rawValue
        hooks.event(.sensor(name: name, chip: change.chip, state: state, detail: detail))
    }

    private func pollButton(at now: Duration, t: Double) {
        guard let button = alerts?.button else { return }
        do {
            let presses = try button.poll(at: now)
            if !presses.isEmpty { acknowledge(at: now, t: t, source: "button") }
        } catch {
            reportGPIO(error)
        }
    }

    @discardableResult
    private func acknowledge(at now: Duration, t: Double, source: String) -> [AlertEvent] {
        let acknowledged = monitor.acknowledge(at: t)
        alerts?.annunciator.acknowledge(at: now)
        logger.notice("acknowledged by \(source): \(acknowledged.map(\.kind.rawValue).joined(separator: ", "))")
        hooks.event(.acknowledged(acknowledged, source: source))
        return acknowledged
    }

    private func tickAlerts(at now: Duration) {
        guard let alerts else { return }
        do {
            try alerts.annunciator.tick(at: now)
            lastGPIOError = nil
        } catch {
            reportGPIO(error)
        }
    }

    /// A GPIO failure is logged once per kind of failure, not every sample; sampling goes on.
    private func reportGPIO(_ error: GPIOError) {
        guard lastGPIOError != error else { return }
        lastGPIOError = error
        logger.error("GPIO: \(error)")
    }

    private func handleRequests(at now: Duration, t: Double) {
        let requests = control.take()
        if requests.acknowledgements > 0 {
            let acknowledged = acknowledge(at: now, t: t, source: "kneeload ack")
            for reply in requests.acknowledgementReplies { reply(acknowledged) }
        }
        if let new = requests.configuration { reload(new, t: t) }
    }

    private func reload(_ new: Configuration, t: Double) {
        do {
            try monitor.updateLimits(new.limits)
        } catch {
            logger.error("reload: limits refused, keeping the old ones: \(error)")
            return
        }
        var kept = new
        if new.sensors != configuration.sensors || new.gpio.enabled != configuration.gpio.enabled
            || new.gpio.buzzer != configuration.gpio.buzzer || new.gpio.led != configuration.gpio.led
            || new.gpio.vibration != configuration.gpio.vibration || new.gpio.buttonLine != configuration.gpio.buttonLine
        {
            logger.warning("reload: sensor and GPIO line changes take effect at the next start")
            kept.sensors = configuration.sensors
        }
        configuration = kept
        if var context = recorder?.context {
            context.configuration = kept.sourceText
            recorder?.changeContext(context, time: t)
        }
        logger.notice("configuration reloaded")
        hooks.event(.configurationReloaded(t: t))
    }

    private func checkpoint(at now: Duration) {
        updateSnapshot(at: now)
        snapshot.lastCheckpointUptimeS = (now - start).seconds
        snapshot.lastCheckpointUnixS = monitor.accumulator.localTime.epochSeconds(at: monitor.accumulator.latestT)
        hooks.checkpoint(monitor, snapshot)
        nextCheckpoint = now + .seconds(configuration.daemon.checkpointIntervalS)
    }

    private func updateSnapshot(at now: Duration) {
        let totals = monitor.totals
        let accumulator = monitor.accumulator
        snapshot.uptimeS = (now - start).seconds
        snapshot.samples = totals.samples
        snapshot.droppedSamples = totals.droppedSamples
        snapshot.failedReads = sampler.failedReads
        snapshot.sessionLoadBWs = accumulator.sessionLoadBWs
        snapshot.sessionSteps = accumulator.sessionSteps
        snapshot.sessionStairDescentSteps = accumulator.sessionStairDescentSteps
        snapshot.dayLoadBWs = accumulator.today.loadBWs
        snapshot.daySteps = accumulator.today.steps
        snapshot.dayStairDescentSteps = accumulator.today.stairDescentSteps
        snapshot.loadLastMinuteBWs = accumulator.loadLastMinuteBWs
        snapshot.lifetimeLoadBWs = accumulator.lifetimeLoadBWs
        snapshot.acuteLoadBWs = accumulator.acuteLoadBWs
        snapshot.chronicLoadBWs = accumulator.chronicLoadBWs
        snapshot.daysOfHistory = accumulator.daysOfHistory
        snapshot.alertsActive = monitor.policy.activeAlerts
        snapshot.recording = recorder?.state
        for index in snapshot.sensors.indices {
            let device = SensorSampler.Device.allCases[index]
            let health = device == .imu ? sampler.imuHealth : sampler.kneeHealth
            snapshot.sensors[index].chip = sampler.chip(of: device)
            snapshot.sensors[index].failures = health.totalFailures
            snapshot.sensors[index].state = announcedReady || health.state != .ok ? health.state.rawValue : "starting"
        }
    }

    /// The end of the run: the last stride flushed, state saved, outputs off and lines released.
    public func shutDown() {
        guard !isShutDown else { return }
        isShutDown = true
        let now = clock.now
        events.removeAll()
        monitor.finish(events: &events)
        for event in events.events { hooks.event(.engine(event)) }
        checkpoint(at: now)
        hooks.publish(snapshot)
        if let error = alerts?.shutDown() { logger.error("GPIO at shutdown: \(error)") }
        recorder?.close()
        // Nobody will act on requests left now: answer the waiting ones.
        for reply in control.take().acknowledgementReplies { reply([]) }
    }
}
