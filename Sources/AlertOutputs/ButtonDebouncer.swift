/// Turns the raw level of a push button (its edge events, or levels read now and then) into presses.
///
/// A press is the button's active level held without a change for at least `debounceTime` (default 30 ms,
/// comfortably longer than the few milliseconds a tactile switch typically bounces, and far shorter than a
/// deliberate press). Any edge,
/// even a repeated one (an edge the kernel lost in between), restarts the count. A press is reported once;
/// the button must then be released (inactive, stable for `debounceTime`) before the next press counts. A
/// button already held when the debouncer starts is not a press.
///
/// Pure: time comes from the caller (edge timestamps, and `update(at:)` on the same clock).
public struct ButtonDebouncer: Sendable {
    public struct Configuration: Sendable, Hashable {
        public var debounceTime: Duration
        /// How the button is wired. The common wiring is a button to ground with the pull-up on: active-low.
        public var polarity: LinePolarity
        /// The pull the input line is requested with.
        public var bias: GPIOBias

        public init(
            debounceTime: Duration = .milliseconds(30), polarity: LinePolarity = .activeLow, bias: GPIOBias = .pullUp
        ) {
            self.debounceTime = debounceTime
            self.polarity = polarity
            self.bias = bias
        }
    }

    public struct Press: Sendable, Hashable {
        /// When the button reached its active level for the last time before holding it.
        public var pressedAt: Duration
        /// When the press counted: `pressedAt` + the debounce time.
        public var confirmedAt: Duration

        public init(pressedAt: Duration, confirmedAt: Duration) {
            self.pressedAt = pressedAt
            self.confirmedAt = confirmedAt
        }
    }

    public let configuration: Configuration
    /// The debounced state.
    public private(set) var isPressed: Bool
    private var rawLevel: Bool
    private var rawSince: Duration
    private var latest: Duration

    /// `initialLevel` is the physical level read when the line was requested, at `time`.
    public init(configuration: Configuration = Configuration(), initialLevel: Bool, at time: Duration) {
        self.configuration = configuration
        rawLevel = initialLevel
        rawSince = time
        latest = time
        isPressed = configuration.polarity.isActive(level: initialLevel)
    }

    /// An edge from the line. Returns the press the time up to this edge confirmed, if any.
    public mutating func handle(_ edge: GPIOEdgeEvent) -> Press? {
        let press = update(at: edge.timestamp)
        rawLevel = edge.level
        rawSince = latest
        return press
    }

    /// A level read from the line at `time` (for a line without edge events, or to resynchronise).
    public mutating func observe(level: Bool, at time: Duration) -> Press? {
        let press = update(at: time)
        if level != rawLevel {
            rawLevel = level
            rawSince = latest
        }
        return press
    }

    /// Lets time pass to `time` without an edge: confirms a level held long enough.
    public mutating func update(at time: Duration) -> Press? {
        latest = max(latest, time)  // a timestamp from the past counts as now: time does not run backwards here
        let active = configuration.polarity.isActive(level: rawLevel)
        guard active != isPressed, latest - rawSince >= configuration.debounceTime else { return nil }
        isPressed = active
        return active ? Press(pressedAt: rawSince, confirmedAt: rawSince + configuration.debounceTime) : nil
    }

    /// When `update(at:)` would next change the debounced state, if the level holds; `nil` if it is settled.
    public var nextDeadline: Duration? {
        configuration.polarity.isActive(level: rawLevel) != isPressed ? rawSince + configuration.debounceTime : nil
    }
}
