/// A problem in a replay CSV, with the file and line it was found on (CONTRACTS §2: exit status 65 and a
/// message naming the file, the line number and the problem).
public struct ReplayCSVError: Error, Hashable, CustomStringConvertible {
    public enum Problem: Hashable, Sendable {
        case empty
        case missingColumns([String])
        case duplicateColumn(String)
        case fieldCount(expected: Int, found: Int)
        case notANumber(column: String, text: String)
        case notFinite(column: String, text: String)
        case timeNotIncreasing(previous: Double, current: Double)
        case invalidUTF8
    }

    public var file: String
    /// 1-based line number.
    public var line: Int
    public var problem: Problem

    public init(file: String, line: Int, problem: Problem) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    public var description: String {
        let place = "\(file):\(line): "
        switch problem {
        case .empty:
            return place + "no header line (the file is empty or only comments)"
        case .missingColumns(let names):
            return place + "header lacks required column(s) \(names.joined(separator: ", ")); "
                + "required: t_s, ax_g, ay_g, az_g, knee_flex_deg"
        case .duplicateColumn(let name):
            return place + "column \(name) appears twice in the header"
        case let .fieldCount(expected, found):
            return place + "expected \(expected) fields, found \(found)"
        case let .notANumber(column, text) where text.isEmpty:
            // Most often a rig without a sensor written as empty cells: its columns are to be left out.
            return place + "\(column) is empty (a rig without a gyro or barometer leaves its columns out)"
        case let .notANumber(column, text):
            return place + "\(column) is not a number: '\(text)'"
        case let .notFinite(column, text):
            return place + "\(column) is not finite: '\(text)'"
        case let .timeNotIncreasing(previous, current):
            return place + "t_s \(current) does not increase (previous row \(previous))"
        case .invalidUTF8:
            return place + "not UTF-8 text"
        }
    }
}
