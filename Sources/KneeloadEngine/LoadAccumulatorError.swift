/// Bad input to `LoadAccumulator` or `LocalTime`. The accumulator's state is unchanged when one is thrown.
public enum LoadAccumulatorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A time that is NaN, infinite, negative or beyond `LoadAccumulator.maximumTime`.
    case invalidTime(operation: String, t: Double)
    /// A time earlier than one already seen (engine time is monotonic).
    case timeWentBackwards(operation: String, t: Double, latest: Double)
    /// A load increment that is NaN, infinite, negative or above `LoadAccumulator.maximumLoadIncrement`.
    case invalidLoad(loadBWs: Double, t: Double)
    case invalidLocalTime(String)
    /// A snapshot whose parts do not fit together (wrong ring size, counts out of range...).
    case invalidSnapshot(String)
    /// A new engine clock whose local day is before the last day in the history (wall clock set back?).
    case localDayBeforeHistory(newDay: LocalDay, lastDay: LocalDay)

    public var description: String {
        switch self {
        case .invalidTime(let operation, let t):
            "\(operation): time \(t) s must be finite, ≥ 0 and ≤ \(LoadAccumulator.maximumTime) s"
        case .timeWentBackwards(let operation, let t, let latest):
            "\(operation): time \(t) s is before the latest time already seen, \(latest) s"
        case .invalidLoad(let load, let t):
            "add(loadBWs:) at t = \(t) s: load increment \(load) BW·s must be finite and in "
                + "0...\(LoadAccumulator.maximumLoadIncrement)"
        case .invalidLocalTime(let problem):
            "local time: \(problem)"
        case .invalidSnapshot(let problem):
            "load accumulator snapshot: \(problem)"
        case .localDayBeforeHistory(let newDay, let lastDay):
            "local day \(newDay) of the new clock is before the last recorded day \(lastDay)"
        }
    }
}
