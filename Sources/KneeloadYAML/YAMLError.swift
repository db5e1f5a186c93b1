/// A YAML file (a scenario, the configuration) that cannot be used: which file, which line, which key, the
/// value found and what is allowed instead.
public struct YAMLError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file path or the name given for the text.
    public var source: String
    /// 1-based line of the offending key or value, when known.
    public var line: Int?
    /// Dotted path of the key, such as `segments[3].cadence_spm`, when the problem is with a key.
    public var key: String?
    /// The value as written, when there is one.
    public var value: String?
    /// What is wrong and what is allowed.
    public var problem: String

    public init(source: String, line: Int?, key: String?, value: String?, problem: String) {
        self.source = source
        self.line = line
        self.key = key
        self.value = value
        self.problem = problem
    }

    public var description: String {
        var text = source
        if let line { text += ":\(line)" }
        text += ": "
        if let key {
            text += key
            if let value { text += " = \(value)" }
            text += ": "
        } else if let value {
            text += "'\(value)': "
        }
        return text + problem
    }
}
