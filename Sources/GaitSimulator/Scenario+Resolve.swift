#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Scenario {
    /// What a command-line SCENARIO argument names: a built-in scenario, or else a scenario file.
    public enum Reference: Equatable, Sendable {
        case builtIn(String)
        case file(String)
        /// Neither a built-in name nor an existing file.
        case missing(String)
    }

    public static func reference(_ argument: String) -> Reference {
        if builtInNames.contains(argument) { return .builtIn(argument) }
        return access(argument, F_OK) == 0 ? .file(argument) : .missing(argument)
    }

    /// Loads what `argument` names, with the error a user needs when it names nothing.
    public static func resolve(_ argument: String) throws(ScenarioError) -> Scenario {
        switch reference(argument) {
        case .builtIn(let name): return try builtIn(named: name)
        case .file(let path): return try load(path: path)
        case .missing(let name):
            throw ScenarioError(
                source: name, line: nil, key: nil, value: nil,
                problem: "no such scenario file, and no built-in scenario by that name; built in: "
                    + builtInNames.joined(separator: ", "))
        }
    }
}
