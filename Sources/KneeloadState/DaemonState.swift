import KneeloadEngine

/// Everything `kneeloadd` keeps across restarts, as one checkpoint: the load accounting (lifetime load, the
/// daily history behind the 7/28-day loads, the session in progress, the rolling windows) and the lifetime
/// counters. All values are absolute totals at the checkpoint, never increments, so restoring one can never
/// count anything twice.
///
/// Calibration is not stored: `KneeLoadEngine` learns its upright pose (`UprightCalibration`) and the knee
/// sensor's zero (`KneeBaseline`) from scratch and offers no way to seed them; both settle within the first
/// seconds of standing or the first strides, so a restart costs little.
public struct DaemonState: Codable, Sendable, Equatable {
    /// Raised whenever the layout changes incompatibly; a file with another version is set aside.
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    /// Wall-clock time of the checkpoint (Unix epoch seconds, UTC).
    public var savedAtEpochSeconds: Double
    /// The `LoadMonitor`'s accumulator as it was at the checkpoint, on that run's engine clock. Continue it on a
    /// new clock with `LoadAccumulator(continuing:localTime:)`.
    public var accumulator: LoadAccumulator.Snapshot
    public var lifetime: LifetimeCounters

    public init(
        savedAtEpochSeconds: Double, accumulator: LoadAccumulator.Snapshot, lifetime: LifetimeCounters,
        formatVersion: Int = currentFormatVersion
    ) {
        self.formatVersion = formatVersion
        self.savedAtEpochSeconds = savedAtEpochSeconds
        self.accumulator = accumulator
        self.lifetime = lifetime
    }

    /// The checkpoint of a running daemon: its monitor's accumulator and `lifetimeBefore` (the counters loaded at
    /// start) plus this run's engine totals. Absolute values throughout.
    public init(monitor: LoadMonitor, lifetimeBefore: LifetimeCounters, savedAtEpochSeconds: Double) {
        self.init(
            savedAtEpochSeconds: savedAtEpochSeconds, accumulator: monitor.accumulator.snapshot,
            lifetime: lifetimeBefore.adding(monitor.totals))
    }

    /// Checks that the state can be restored: the version this code writes, a finite checkpoint time,
    /// consistent counters and an accumulator snapshot that `LoadAccumulator(restoring:)` accepts.
    public func validate() throws(StateFileProblem) {
        guard formatVersion == Self.currentFormatVersion else {
            throw .wrongVersion(found: formatVersion, expected: Self.currentFormatVersion)
        }
        guard savedAtEpochSeconds.isFinite, abs(savedAtEpochSeconds) <= LocalTime.epochSecondsLimit else {
            throw .invalidContent("savedAtEpochSeconds \(savedAtEpochSeconds) is not a plausible wall-clock time")
        }
        if let problem = lifetime.problem { throw .invalidContent(problem) }
        do {
            _ = try LoadAccumulator(restoring: accumulator)
        } catch {
            throw .invalidContent(error.description)
        }
    }
}
