/// Plays alerts on GPIO outputs without blocking: the caller's loop (the one that samples the sensors) calls
/// `tick(at:)` whenever it comes round, and at the latest at `nextDeadline`; each tick writes only the lines
/// whose level must change, one ioctl each. What plays when is `AnnunciationSchedule`'s business.
///
/// A line that fails to be written is retried on every following tick (its state is unknown), and the other
/// lines are still driven; the tick throws the first failure so the caller can log it. `stop()` drives every
/// line off and releases it.
///
/// Owned by one loop (not `Sendable`), like the lines it drives.
public final class AlertAnnunciator {
    public private(set) var schedule: AnnunciationSchedule
    /// Buzzer, vibration motor: they play the pattern.
    public let patternOutputs: [any GPIOOutputLine]
    /// LED: shows the pattern, and holds while an alert is unacknowledged.
    public let indicatorOutputs: [any GPIOOutputLine]
    /// What each line (pattern outputs, then indicators) was last driven to; `nil` when unknown.
    private var driven: [Bool?]
    private var lastTick: Duration?
    public private(set) var isStopped = false

    public init(
        patternOutputs: [any GPIOOutputLine], indicatorOutputs: [any GPIOOutputLine],
        schedule: AnnunciationSchedule = AnnunciationSchedule()
    ) {
        self.patternOutputs = patternOutputs
        self.indicatorOutputs = indicatorOutputs
        self.schedule = schedule
        driven = Array(repeating: nil, count: patternOutputs.count + indicatorOutputs.count)
    }

    /// Queues or starts `signal` (see `AnnunciationSchedule`); the lines change at the next tick.
    public func raise(_ signal: AlertSignal, at time: Duration) {
        guard !isStopped else { return }
        schedule.raise(signal, at: time)
    }

    /// The runner acknowledged: everything stops at the next tick.
    public func acknowledge(at time: Duration) {
        guard !isStopped else { return }
        schedule.acknowledge(at: time)
    }

    /// Drops one kind, playing or waiting.
    public func withdraw(_ kind: AlertSignal.Kind, at time: Duration) {
        guard !isStopped else { return }
        schedule.withdraw(kind, at: time)
    }

    /// Drives the lines to what the schedule says for `time`.
    public func tick(at time: Duration) throws(GPIOError) {
        guard !isStopped else { return }
        schedule.advance(to: time)
        let outputs = schedule.outputs(at: time)
        lastTick = time
        var firstFailure: GPIOError?
        for (index, line) in allLines.enumerated() {
            let wanted = index < patternOutputs.count ? outputs.pattern : outputs.indicator
            guard driven[index] != wanted else { continue }
            do {
                try line.set(wanted)
                driven[index] = wanted
            } catch {
                driven[index] = nil
                firstFailure = firstFailure ?? error
            }
        }
        if let firstFailure { throw firstFailure }
    }

    /// How soon after a failed write the line is tried again, when nothing else makes the loop tick: soon
    /// enough to recover a transient fault, rarely enough not to spin on a dead line.
    public static let retryInterval = Duration.milliseconds(100)

    /// When to tick next at the latest for exact timing; `nil` when nothing will change by itself. Right after
    /// a `raise`, it is the raise time: tick at once.
    public var nextDeadline: Duration? {
        guard !isStopped else { return nil }
        let change = schedule.nextChange(after: lastTick ?? .nanoseconds(Int64.min / 2))
        guard let lastTick, driven.contains(nil) else { return change }
        let retry = lastTick + Self.retryInterval
        return change.map { min($0, retry) } ?? retry
    }

    /// Drives every line off and releases it; later calls do nothing. Every line is released even if some
    /// fail; the first failure is thrown.
    public func stop() throws(GPIOError) {
        guard !isStopped else { return }
        isStopped = true
        var firstFailure: GPIOError?
        for line in allLines {
            do { try line.release() } catch { firstFailure = firstFailure ?? error }
        }
        if let firstFailure { throw firstFailure }
    }

    private var allLines: [any GPIOOutputLine] { patternOutputs + indicatorOutputs }
}
