/// Bad input to `AlertPolicy`. The policy's state is unchanged when one is thrown.
public enum AlertPolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidLimits([AlertLimits.Problem])
    /// A time that is NaN or infinite.
    case invalidTime(operation: String, t: Double)
    /// A time earlier than one already seen.
    case timeWentBackwards(operation: String, t: Double, latest: Double)
    /// An input value that is NaN, infinite or negative.
    case invalidInput(name: String, value: Double, t: Double)
    case invalidSnapshot(String)

    public var description: String {
        switch self {
        case .invalidLimits(let problems):
            problems.map(\.description).joined(separator: "; ")
        case .invalidTime(let operation, let t):
            "alert policy \(operation): time \(t) s must be finite"
        case .timeWentBackwards(let operation, let t, let latest):
            "alert policy \(operation): time \(t) s is before the latest time already seen, \(latest) s"
        case .invalidInput(let name, let value, let t):
            "alert policy evaluate(at: \(t)): \(name) = \(value) must be finite and ≥ 0"
        case .invalidSnapshot(let problem):
            "alert policy snapshot: \(problem)"
        }
    }
}
