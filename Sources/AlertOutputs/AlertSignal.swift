/// What the annunciator is asked to announce: an alert kind at a level.
///
/// Kinds are the engine's alert kinds by their contract names (CONTRACTS §3: `cumulative_load`, `load_rate`,
/// `stair_descents`, `sensor_fault`, and `session_progression`); this module does not depend on the engine,
/// so the daemon converts with `AlertSignal.Kind(rawValue: event.kind.rawValue)`. Kinds added later play the
/// fallback pattern of their level until the table gives them one.
public struct AlertSignal: Sendable, Hashable, CustomStringConvertible {
    public struct Kind: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        public static let cumulativeLoad = Kind(rawValue: "cumulative_load")
        public static let loadRate = Kind(rawValue: "load_rate")
        public static let stairDescents = Kind(rawValue: "stair_descents")
        public static let sensorFault = Kind(rawValue: "sensor_fault")
        public static let sessionProgression = Kind(rawValue: "session_progression")

        /// The kinds with patterns of their own in `AlertPatternTable.standard`.
        public static let known: [Kind] = [.cumulativeLoad, .loadRate, .stairDescents, .sensorFault, .sessionProgression]

        public var description: String { rawValue }
    }

    /// An alert outranks a warning: it preempts a playing warning and is queued ahead of waiting ones.
    public enum Level: String, Sendable, Hashable, CaseIterable, Comparable {
        case warning
        case alert

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs == .warning && rhs == .alert }
    }

    public var kind: Kind
    public var level: Level

    public init(_ kind: Kind, _ level: Level) {
        self.kind = kind
        self.level = level
    }

    /// `kind.level`, for example `load_rate.alert`: also the form of the pattern keys in `AlertPatternTable`.
    public var description: String { "\(kind.rawValue).\(level.rawValue)" }
}
