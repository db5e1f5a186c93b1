/// When the daemon's next checkpoint is due, from monotonic times the caller passes in (no clock reads).
///
/// Asked on every sample, so it is two Doubles and comparisons: no allocation, no locks. A checkpoint is due
/// once `interval` has passed since the last one; a save that fails is not retried before the next interval
/// (a failing disk is not hammered at the sampling rate).
public struct CheckpointSchedule: Sendable, Equatable {
    /// Seconds between checkpoints unless configured otherwise: at most this much load is lost to a SIGKILL or
    /// a power cut (issue #4: "checkpoint every few seconds").
    public static let defaultInterval = 5.0

    public let interval: Double
    /// Monotonic time of the last checkpoint (or of the start, which counts as one: the state was just loaded).
    public private(set) var lastCheckpoint: Double

    /// `nil` unless `interval` is finite and positive and `start` is finite.
    public init?(interval: Double = defaultInterval, start: Double) {
        guard interval.isFinite, interval > 0, start.isFinite else { return nil }
        self.interval = interval
        lastCheckpoint = start
    }

    /// Whether a checkpoint is due at monotonic time `now`. A time before the last checkpoint (a clock that is
    /// not monotonic after all) makes one due, so checkpoints cannot stop; a non-finite time never does.
    public func isDue(at now: Double) -> Bool {
        guard now.isFinite else { return false }
        return now < lastCheckpoint || now - lastCheckpoint >= interval
    }

    /// Records that a checkpoint was taken (or attempted) at `now`; non-finite times are ignored.
    public mutating func recordCheckpoint(at now: Double) {
        if now.isFinite { lastCheckpoint = now }
    }

    /// `isDue(at:)`, recording the checkpoint when it is: the one call the sampling loop needs.
    public mutating func claimIfDue(at now: Double) -> Bool {
        guard isDue(at: now) else { return false }
        lastCheckpoint = now
        return true
    }
}
