import KneeloadYAML

/// A scenario file that cannot be used, with its file, line, key, value and what is allowed.
public typealias ScenarioError = YAMLError
