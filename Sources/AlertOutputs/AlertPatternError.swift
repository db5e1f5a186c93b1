/// Why an alert pattern was refused: the whole text, which item (1-based, as separated by commas) and what is
/// wrong with it. The description is one line for the configuration error report; the configuration layer
/// puts the key in front.
public struct AlertPatternError: Error, Hashable, CustomStringConvertible {
    public enum Problem: Hashable, Sendable {
        case empty
        case emptyItem
        case unknownKeyword(String)
        /// `on` or `off` without a duration.
        case missingDuration(keyword: String)
        case badNumber(String)
        case missingUnit(number: String)
        case unknownUnit(String)
        /// A duration with a fraction of a millisecond.
        case notWholeMilliseconds(String)
        case stepTooShort(milliseconds: Int64)
        case stepTooLong(milliseconds: Int64)
        case missingRepeatCount
        case badRepeatCount(String)
        case repeatCountOutOfRange(Int)
        /// `repeat` must be the last item (and so appears once).
        case repeatNotLast
        case noOnStep
        case tooManySteps(Int)
    }

    /// The pattern text as given.
    public var pattern: String
    /// The 1-based item the problem is in; `nil` for a problem of the whole pattern.
    public var item: Int?
    public var itemText: String?
    public var problem: Problem

    public init(pattern: String, item: Int? = nil, itemText: String? = nil, problem: Problem) {
        self.pattern = pattern
        self.item = item
        self.itemText = itemText
        self.problem = problem
    }

    public var description: String {
        var text = "alert pattern \"\(pattern)\": "
        if let item { text += "item \(item)" + (itemText.map { " \"\($0)\"" } ?? "") + ": " }
        return text + explanation
    }

    private var explanation: String {
        let syntax = "write items like \"on 200ms\", \"off 0.5s\", \"repeat 3\" separated by commas"
        switch problem {
        case .empty: return "empty; \(syntax)"
        case .emptyItem: return "empty item (two commas in a row, or a comma at an end)"
        case .unknownKeyword(let word):
            return "\"\(word)\" is not a step; expected \"on <duration>\", \"off <duration>\" or \"repeat <count>\""
        case .missingDuration(let keyword): return "\"\(keyword)\" needs a duration, for example \"\(keyword) 200ms\""
        case .badNumber(let text): return "\"\(text)\" is not a duration; write a number and a unit, like 200ms or 0.5s"
        case .missingUnit(let number): return "the duration \"\(number)\" has no unit; write \(number)ms or \(number)s"
        case .unknownUnit(let unit): return "unknown unit \"\(unit)\"; use ms or s"
        case .notWholeMilliseconds(let text): return "\"\(text)\" is not a whole number of milliseconds"
        case .stepTooShort(let milliseconds):
            return "a step of \(milliseconds) ms is shorter than the shortest allowed, "
                + "\(AlertPattern.shortestStepMilliseconds) ms"
        case .stepTooLong(let milliseconds):
            return "a step of \(milliseconds) ms is longer than the longest allowed, "
                + "\(AlertPattern.longestStepMilliseconds / 1000) s"
        case .missingRepeatCount: return "\"repeat\" needs a count from 1 to \(AlertPattern.maximumRepeatCount) or \"forever\""
        case .badRepeatCount(let text):
            return "repeat count \"\(text)\" is not a whole number from 1 to \(AlertPattern.maximumRepeatCount) or \"forever\""
        case .repeatCountOutOfRange(let count):
            return "repeat count \(count) is outside 1 to \(AlertPattern.maximumRepeatCount)"
        case .repeatNotLast: return "\"repeat\" must be the last item, and given once"
        case .noOnStep: return "the pattern has no \"on\" step, so it would never be noticed"
        case .tooManySteps(let count): return "\(count) steps; at most \(AlertPattern.maximumSteps) are allowed"
        }
    }
}
