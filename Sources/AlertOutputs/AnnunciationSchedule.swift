/// What the alert outputs should show at any moment: which signal plays, which wait, and the resulting on/off
/// of the pattern outputs (buzzer, vibration motor) and the indicator (LED). Pure: no I/O, no clock; time is
/// whatever the caller passes (`AlertAnnunciator` drives the lines from it).
///
/// Rules:
/// - A signal raised while nothing plays starts at once (after the gap, if a pattern has just ended).
/// - An alert raised while a warning plays preempts it: the warning stops and is dropped, the alert starts at
///   once. Any other signal raised while one plays waits in a queue: alerts ahead of warnings, otherwise in
///   order of arrival; a queued warning is dropped when an alert of its kind arrives. Raising the signal that is
///   playing restarts it.
/// - When a pattern ends, the next queued signal starts `gapBetweenSignals` later, so rhythms do not run
///   together. A queued signal always plays in full: if the caller was too late to see it start, it starts then.
/// - The indicator is on while the pattern output is on; between and after patterns it stays lit while an
///   alert (not a warning) is unacknowledged, if `indicatorHoldsUnacknowledgedAlerts`.
/// - `acknowledge` (the runner pressed the button; the engine acknowledges every active alert at once) stops
///   what plays, empties the queue and puts the indicator out. `withdraw` drops one kind (a new session drops
///   the session-bound alerts).
public struct AnnunciationSchedule: Sendable {
    public struct Outputs: Sendable, Hashable {
        /// Buzzer and vibration motor.
        public var pattern: Bool
        /// LED.
        public var indicator: Bool

        public init(pattern: Bool, indicator: Bool) {
            self.pattern = pattern
            self.indicator = indicator
        }

        public static let off = Outputs(pattern: false, indicator: false)
    }

    public struct Playback: Sendable, Hashable {
        public var signal: AlertSignal
        public var pattern: AlertPattern
        public var start: Duration

        /// When the pattern ends; `nil` for one that repeats forever.
        public var end: Duration? { pattern.totalDuration.map { start + $0 } }
    }

    public var patterns: AlertPatternTable
    /// Silence between the end of one pattern and the start of the next.
    public var gapBetweenSignals: Duration
    public var indicatorHoldsUnacknowledgedAlerts: Bool

    public private(set) var playing: Playback?
    /// Signals waiting for the one playing, in the order they will play.
    public private(set) var queue: [AlertSignal] = []
    /// Alert-level signals raised since the last acknowledgement (what the indicator holds for).
    public private(set) var unacknowledged: [AlertSignal] = []
    /// The end of the gap after the last pattern: nothing starts before it.
    public private(set) var quietUntil: Duration?

    public init(
        patterns: AlertPatternTable = .standard, gapBetweenSignals: Duration = .milliseconds(700),
        indicatorHoldsUnacknowledgedAlerts: Bool = true
    ) {
        self.patterns = patterns
        self.gapBetweenSignals = gapBetweenSignals
        self.indicatorHoldsUnacknowledgedAlerts = indicatorHoldsUnacknowledgedAlerts
    }

    /// Nothing plays, waits or is held on the indicator.
    public var isIdle: Bool { playing == nil && queue.isEmpty && unacknowledged.isEmpty }

    public mutating func raise(_ signal: AlertSignal, at time: Duration) {
        advance(to: time)
        if signal.level == .alert {
            if !unacknowledged.contains(signal) { unacknowledged.append(signal) }
            queue.removeAll { $0.kind == signal.kind && $0.level < signal.level }
        }
        if let current = playing {
            if current.signal == signal || current.signal.level < signal.level {
                start(signal, at: time)
            } else if !queue.contains(signal) {
                let position = queue.firstIndex { $0.level < signal.level } ?? queue.endIndex
                queue.insert(signal, at: position)
            }
        } else if let quietUntil, quietUntil > time {
            if !queue.contains(signal) {
                let position = queue.firstIndex { $0.level < signal.level } ?? queue.endIndex
                queue.insert(signal, at: position)
            }
        } else {
            start(signal, at: time)
        }
    }

    public mutating func acknowledge(at time: Duration) {
        advance(to: time)
        playing = nil
        queue = []
        unacknowledged = []
        quietUntil = nil
    }

    public mutating func withdraw(_ kind: AlertSignal.Kind, at time: Duration) {
        advance(to: time)
        queue.removeAll { $0.kind == kind }
        unacknowledged.removeAll { $0.kind == kind }
        if playing?.signal.kind == kind {
            playing = nil
            quietUntil = time + gapBetweenSignals
        }
    }

    /// Ends the patterns that have ended by `time` and starts the queued ones that are due.
    public mutating func advance(to time: Duration) {
        // Each pass ends one pattern or starts one; a queue of n signals needs at most 2n + 2 passes.
        for _ in 0...(2 * queue.count + 2) {
            if let current = playing {
                guard let end = current.end, end <= time else { return }
                playing = nil
                quietUntil = end + gapBetweenSignals
            } else if let quiet = quietUntil {
                guard quiet <= time else { return }
                quietUntil = nil
                guard !queue.isEmpty else { return }
                let next = queue.removeFirst()
                let pattern = patterns.pattern(for: next)
                // Started late enough that it would already be over: play it from now instead of skipping it.
                let start = pattern.totalDuration.map { quiet + $0 <= time } == true ? time : quiet
                playing = Playback(signal: next, pattern: pattern, start: start)
            } else if !queue.isEmpty {
                start(queue.removeFirst(), at: time)
            } else {
                return
            }
        }
    }

    /// The outputs at `time`, which must not be before the last `advance`/`raise`/`acknowledge`.
    public func outputs(at time: Duration) -> Outputs {
        let held = indicatorHoldsUnacknowledgedAlerts && !unacknowledged.isEmpty
        guard let current = playing, time >= current.start else { return Outputs(pattern: false, indicator: held) }
        let on = current.pattern.isOn(at: time - current.start)
        return Outputs(pattern: on, indicator: on || (held && current.end.map { time >= $0 } == true))
    }

    /// The first moment after `time` at which the outputs change if nothing new is raised; `nil` if they never
    /// do. A loop that ticks the annunciator at this deadline plays patterns to the millisecond.
    public func nextChange(after time: Duration) -> Duration? {
        var future = self
        future.advance(to: time)
        let now = future.outputs(at: time)
        var moment = time
        // Every pass moves to the next internal event (a step boundary, a pattern end, a queued start).
        for _ in 0..<(4 * (queue.count + 2) * (AlertPattern.maximumSteps + 2)) {
            guard let event = future.nextEvent(after: moment) else { return nil }
            future.advance(to: event)
            if future.outputs(at: event) != now { return event }
            moment = event
        }
        return nil
    }

    // MARK: Private

    private mutating func start(_ signal: AlertSignal, at time: Duration) {
        queue.removeAll { $0 == signal }
        playing = Playback(signal: signal, pattern: patterns.pattern(for: signal), start: time)
        quietUntil = nil
    }

    /// The next moment after `time` at which the state may change.
    private func nextEvent(after time: Duration) -> Duration? {
        var candidates: [Duration] = []
        if let current = playing {
            if current.start > time { candidates.append(current.start) }
            if let change = current.pattern.nextChange(after: time - current.start) {
                candidates.append(current.start + change)
            }
            if let end = current.end, end > time { candidates.append(end) }
        } else if let quiet = quietUntil, quiet > time {
            candidates.append(quiet)
        }
        return candidates.min()
    }
}
