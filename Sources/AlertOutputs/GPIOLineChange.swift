/// One entry of `SimulatedGPIOChip`'s record: a line's physical level at a moment, and why it is recorded.
public struct GPIOLineChange: Sendable, Hashable, CustomStringConvertible {
    public enum Cause: String, Sendable, Hashable {
        /// The line was requested; `level` is the level it starts at (an output's initial value, an undriven
        /// input's pull).
        case requested
        /// A consumer drove the output to a new level.
        case set
        /// The test drove an input from outside (a button, a bouncing contact).
        case external
        /// The consumer gave the line back; `level` is the level it was left at.
        case released
    }

    /// The line's name on the simulated chip.
    public var line: String
    /// The chip's clock when it happened.
    public var time: Duration
    /// The physical level: true = high.
    public var level: Bool
    public var cause: Cause

    public init(line: String, time: Duration, level: Bool, cause: Cause) {
        self.line = line
        self.time = time
        self.level = level
        self.cause = cause
    }

    public var description: String {
        "\(time) \(line) \(level ? "high" : "low") (\(cause.rawValue))"
    }
}
