/// How one output plays an alert: a sequence of on and off steps, played a number of times (or until the
/// alert is acknowledged).
///
/// Text syntax (`init(parsing:)`), items separated by commas, keywords and units case-insensitive:
///
///     pattern  = item { "," item }
///     item     = ("on" | "off") duration        a step: the output on (or off) for that long
///              | "repeat" (count | "forever")   how many times the steps play in all; last item, at most once
///     duration = number unit                    200ms, 200 ms, 0.5s, 1s: whole milliseconds, 10 ms to 60 s
///     unit     = "ms" | "s"
///     count    = 1 ... 100                      without "repeat" the steps play once
///
/// Example: `"on 200ms, off 100ms, repeat 3"` is three 200 ms beeps 100 ms apart (900 ms in all). A pattern
/// needs at least one "on" step and has at most 32 steps. In a configuration file a pattern may also be a list
/// of items (`init(parsing: [String])`): `["on 200ms", "off 100ms", "repeat 3"]`.
public struct AlertPattern: Sendable, Hashable, CustomStringConvertible {
    public struct Step: Sendable, Hashable {
        public var isOn: Bool
        public var duration: Duration

        public init(isOn: Bool, duration: Duration) {
            self.isOn = isOn
            self.duration = duration
        }

        public static func on(_ duration: Duration) -> Step { Step(isOn: true, duration: duration) }
        public static func off(_ duration: Duration) -> Step { Step(isOn: false, duration: duration) }
    }

    public enum Repetition: Sendable, Hashable {
        /// Played this many times in all.
        case times(Int)
        /// Played until the alert is acknowledged (or preempted).
        case forever
    }

    /// Shorter steps would be lost between the ticks of a loop that samples at 100 Hz, and no buzzer or
    /// vibration motor makes a distinguishable pulse that short anyway.
    public static let shortestStepMilliseconds: Int64 = 10
    public static let longestStepMilliseconds: Int64 = 60_000
    public static let maximumSteps = 32
    public static let maximumRepeatCount = 100

    public let steps: [Step]
    public let repetition: Repetition

    /// Step lengths in milliseconds, and where each ends within a cycle.
    private let stepMilliseconds: [Int64]
    private let stepEnds: [Int64]

    public init(steps: [Step], repetition: Repetition = .times(1)) throws(AlertPatternError) {
        let text = Self.describe(steps, repetition)
        var milliseconds: [Int64] = []
        for (index, step) in steps.enumerated() {
            let (value, remainder) = step.duration.saturatingNanoseconds.quotientAndRemainder(dividingBy: 1_000_000)
            let problem: AlertPatternError.Problem? =
                remainder != 0 ? .notWholeMilliseconds("\(step.duration)")
                : value < Self.shortestStepMilliseconds ? .stepTooShort(milliseconds: value)
                : value > Self.longestStepMilliseconds ? .stepTooLong(milliseconds: value) : nil
            if let problem {
                throw AlertPatternError(
                    pattern: text, item: index + 1, itemText: Self.describe(step, milliseconds: value), problem: problem)
            }
            milliseconds.append(value)
        }
        guard steps.count <= Self.maximumSteps else {
            throw AlertPatternError(pattern: text, problem: .tooManySteps(steps.count))
        }
        guard steps.contains(where: \.isOn) else { throw AlertPatternError(pattern: text, problem: .noOnStep) }
        if case .times(let count) = repetition, !(1...Self.maximumRepeatCount).contains(count) {
            throw AlertPatternError(pattern: text, problem: .repeatCountOutOfRange(count))
        }
        self.init(validated: steps, milliseconds: milliseconds, repetition: repetition)
    }

    /// For steps already checked: whole milliseconds within the limits, at least one on.
    private init(validated steps: [Step], milliseconds: [Int64], repetition: Repetition) {
        self.steps = steps
        self.repetition = repetition
        stepMilliseconds = milliseconds
        var end: Int64 = 0
        stepEnds = milliseconds.map { length in
            end += length
            return end
        }
    }

    /// Parses the text syntax above; errors name the item and the problem.
    public init(parsing text: String) throws(AlertPatternError) {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
        guard items.contains(where: { !$0.isEmpty }) else { throw AlertPatternError(pattern: text, problem: .empty) }
        var steps: [Step] = []
        var repetition = Repetition.times(1)
        for (index, item) in items.enumerated() {
            func fail(_ problem: AlertPatternError.Problem) -> AlertPatternError {
                AlertPatternError(pattern: text, item: index + 1, itemText: item, problem: problem)
            }
            let words = item.split(whereSeparator: \.isWhitespace)
            guard let keyword = words.first?.lowercased() else { throw fail(.emptyItem) }
            let argument = words.dropFirst().joined()
            switch keyword {
            case "on", "off":
                guard !argument.isEmpty else { throw fail(.missingDuration(keyword: keyword)) }
                let milliseconds: Int64
                do { milliseconds = try Self.parseMilliseconds(argument) } catch { throw fail(error.problem) }
                if milliseconds < Self.shortestStepMilliseconds { throw fail(.stepTooShort(milliseconds: milliseconds)) }
                if milliseconds > Self.longestStepMilliseconds { throw fail(.stepTooLong(milliseconds: milliseconds)) }
                steps.append(Step(isOn: keyword == "on", duration: .milliseconds(milliseconds)))
            case "repeat":
                guard index == items.count - 1 else { throw fail(.repeatNotLast) }
                guard !argument.isEmpty else { throw fail(.missingRepeatCount) }
                if argument.lowercased() == "forever" {
                    repetition = .forever
                } else {
                    guard argument.allSatisfy(\.isASCIIDigit), argument.count <= 9, let count = Int(argument) else {
                        throw fail(.badRepeatCount(argument))
                    }
                    guard (1...Self.maximumRepeatCount).contains(count) else { throw fail(.repeatCountOutOfRange(count)) }
                    repetition = .times(count)
                }
            default:
                throw fail(.unknownKeyword(String(words[0])))
            }
            if steps.count > Self.maximumSteps {
                throw AlertPatternError(pattern: text, problem: .tooManySteps(steps.count))
            }
        }
        guard steps.contains(where: \.isOn) else { throw AlertPatternError(pattern: text, problem: .noOnStep) }
        try self.init(steps: steps, repetition: repetition)
    }

    /// The list form of the configuration: one item per element (an element may also hold several, with commas).
    public init(parsing items: [String]) throws(AlertPatternError) {
        try self.init(parsing: items.joined(separator: ", "))
    }

    /// One play of the steps.
    public var cycleDuration: Duration { .milliseconds(cycleMilliseconds) }

    /// From start to end; `nil` for a pattern repeated forever.
    public var totalDuration: Duration? {
        guard case .times(let count) = repetition else { return nil }
        return .milliseconds(cycleMilliseconds * Int64(count))
    }

    /// How long the output is on over the whole pattern (`nil` when repeated forever): how insistent it is.
    public var totalOnTime: Duration? {
        guard case .times(let count) = repetition else { return nil }
        let perCycle = zip(steps, stepMilliseconds).reduce(Int64(0)) { $0 + ($1.0.isOn ? $1.1 : 0) }
        return .milliseconds(perCycle * Int64(count))
    }

    /// Whether the output is on `elapsed` after the pattern started: off before the start and from the end on.
    public func isOn(at elapsed: Duration) -> Bool {
        guard let index = stepIndex(at: elapsed.saturatingNanoseconds) else { return false }
        return steps[index].isOn
    }

    /// The first moment after `elapsed` (both from the pattern's start) at which `isOn` changes; `nil` when it
    /// never changes again.
    public func nextChange(after elapsed: Duration) -> Duration? {
        let now = max(elapsed.saturatingNanoseconds, -1)
        let current = isOn(at: elapsed)
        let cycle = cycleMilliseconds * 1_000_000
        let end = totalDuration?.saturatingNanoseconds ?? .max
        // Boundaries within one cycle from now suffice: the pattern is periodic until its end.
        let cycleStart = now < 0 ? 0 : (now / cycle) * cycle
        var candidates = (stepEnds.map { cycleStart + $0 * 1_000_000 } + stepEnds.map { cycleStart + cycle + $0 * 1_000_000 })
        if now < 0 { candidates.insert(0, at: 0) }
        if totalDuration != nil { candidates.append(end) }
        for boundary in candidates.sorted() where boundary > now && boundary <= end {
            if isOn(at: .nanoseconds(boundary)) != current { return .nanoseconds(boundary) }
        }
        return nil
    }

    /// One 200 ms beep: what plays when a table has no pattern at all for a level.
    static let plainBeep = AlertPattern(
        validated: [.on(.milliseconds(200)), .off(.milliseconds(200))], milliseconds: [200, 200], repetition: .times(1))

    /// The canonical text form; parsing it gives an equal pattern.
    public var description: String { Self.describe(steps, repetition) }

    // MARK: Private

    private var cycleMilliseconds: Int64 { stepEnds.last ?? 0 }

    /// The step playing at `nanoseconds` after the start; `nil` before the start and after the end.
    private func stepIndex(at nanoseconds: Int64) -> Int? {
        let end = totalDuration?.saturatingNanoseconds ?? .max
        guard nanoseconds >= 0, nanoseconds < end, cycleMilliseconds > 0 else { return nil }
        let withinCycle = nanoseconds % (cycleMilliseconds * 1_000_000)
        return stepEnds.firstIndex { withinCycle < $0 * 1_000_000 }
    }

    /// "200ms" -> 200, "0.5s" -> 500, "1 s" (spaces already removed) -> 1000.
    private static func parseMilliseconds(_ text: String) throws(DurationProblem) -> Int64 {
        let number = text.prefix { $0.isASCIIDigit || $0 == "." }
        let unit = text.dropFirst(number.count).lowercased()
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard !number.isEmpty, parts.count <= 2, parts.contains(where: { !$0.isEmpty }), number.count <= 12 else {
            throw DurationProblem(problem: .badNumber(text))
        }
        guard !unit.isEmpty else { throw DurationProblem(problem: .missingUnit(number: String(number))) }
        let scale: Int64
        switch unit {
        case "ms": scale = 1
        case "s": scale = 1000
        default: throw DurationProblem(problem: .unknownUnit(unit))
        }
        let whole = Int64(parts[0]) ?? 0
        let fractionDigits = parts.count == 2 ? String(parts[1]) : ""
        var fraction = Int64(fractionDigits) ?? 0
        var divisor: Int64 = 1
        for _ in fractionDigits { divisor *= 10 }
        fraction *= scale
        guard fraction % divisor == 0 else { throw DurationProblem(problem: .notWholeMilliseconds(text)) }
        return whole * scale + fraction / divisor
    }

    private struct DurationProblem: Error {
        var problem: AlertPatternError.Problem
    }

    private static func describe(_ steps: [Step], _ repetition: Repetition) -> String {
        var items = steps.map { describe($0, milliseconds: $0.duration.saturatingNanoseconds / 1_000_000) }
        switch repetition {
        case .times(1): break
        case .times(let count): items.append("repeat \(count)")
        case .forever: items.append("repeat forever")
        }
        return items.joined(separator: ", ")
    }

    private static func describe(_ step: Step, milliseconds: Int64) -> String {
        let duration = milliseconds % 1000 == 0 && milliseconds > 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
        return (step.isOn ? "on " : "off ") + duration
    }
}
