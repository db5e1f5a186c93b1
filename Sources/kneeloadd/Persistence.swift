import Foundation
import KneeloadEngine
import KneeloadState
import Logging

/// The daemon's use of `StateStore`: restore at start, save at every checkpoint and at shutdown. A state
/// directory that cannot be used is logged and the daemon monitors without persistence rather than not at
/// all; a save that fails is logged and the previous checkpoint stays.
final class Persistence: Sendable {
    let store: StateStore?
    private let logger: Logger
    /// The lifetime counters of earlier runs, from the restored file.
    private let lifetimeBefore: LifetimeCounters
    private let restoredState: DaemonState?
    /// Saves happen here, in order, off the sampling thread.
    private let writer = DispatchQueue(label: "kneeloadd.state-writer")

    init(directory: String, logger: Logger) {
        self.logger = logger
        let store = StateStore(directory: directory, logger: logger)
        do {
            // The parents too (a simulated run's directory sits below the runner's, which may not exist yet).
            let parent = (directory as NSString).deletingLastPathComponent
            if !parent.isEmpty { try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) }
            try store.prepareDirectory()
            self.store = store
        } catch {
            logger.error("state directory: \(error); running without saving state")
            self.store = nil
        }
        restoredState = self.store?.load().state
        lifetimeBefore = restoredState?.lifetime ?? LifetimeCounters()
    }

    /// The saved history on this run's engine clock, or nil for a fresh start. A session open at the checkpoint
    /// goes on (`Resumption`: its clock, calibration and alert state); otherwise the history continues on a
    /// new clock from engine time 0.
    func restore(localTime: LocalTime) -> Resumption? {
        guard let restoredState else { return nil }
        if let resumption = restoredState.resumption(nowEpochSeconds: localTime.epochSecondsAtStart) {
            let accumulator = resumption.accumulator
            logger.notice(
                "state restored: session resumed (\(accumulator.sessionLoadBWs) BW·s, \(accumulator.sessionSteps) steps so far\(resumption.calibration == nil ? "" : ", sensor calibration")\(resumption.alerts == nil ? "" : ", alert states"))")
            for part in resumption.dropped {
                logger.warning("state file: not restored: \(part); learning it afresh")
            }
            return resumption
        }
        do {
            let accumulator = try restoredState.continuedAccumulator(
                nowEpochSeconds: localTime.epochSecondsAtStart, utcOffsetSeconds: localTime.utcOffsetSeconds)
            logger.notice("state restored: \(accumulator.lifetimeLoadBWs) BW·s lifetime, \(accumulator.dailyHistory.count) days of history")
            return Resumption(accumulator: accumulator, engineTime: 0)
        } catch {
            logger.error("saved state cannot go on on this clock (\(error)); starting afresh, the file is kept until the next checkpoint replaces it")
            return nil
        }
    }

    /// Takes the checkpoint's values now and writes them on the writer queue: the two fsyncs of an atomic
    /// save take tens of milliseconds on an SD card, which the sampling loop must not wait for. `then` runs
    /// once the file is on disk (or the save failed).
    func save(_ monitor: LoadMonitor, then: @escaping @Sendable () -> Void = {}) {
        guard let store else { return then() }
        let state = DaemonState(
            monitor: monitor, lifetimeBefore: lifetimeBefore,
            savedAtEpochSeconds: monitor.accumulator.localTime.epochSeconds(at: monitor.accumulator.latestT))
        let logger = logger
        writer.async {
            do {
                try store.save(state)
            } catch {
                logger.error("checkpoint: \(error); the previous checkpoint stays")
            }
            then()
        }
    }

    /// Waits for the saves queued so far (at exit).
    func flush() {
        writer.sync {}
    }
}
