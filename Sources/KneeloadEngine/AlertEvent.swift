/// One alert or warning as it fires. Encodes with CONTRACTS-style keys:
/// `{"t_s": 301.2, "kind": "stair_descents", "level": "alert", "value": 61, "limit": 60}`.
public struct AlertEvent: Codable, Sendable, Hashable {
    /// Engine time, seconds.
    public var t: Double
    public var kind: AlertKind
    public var level: AlertLevel
    /// The value that passed the threshold: BW·s for `cumulative_load`, `load_rate` (BW·s in the last minute)
    /// and `session_progression` (the session's load); steps for `stair_descents`; 1 for `sensor_fault`.
    public var value: Double
    /// The threshold passed, in the unit of `value` (for a warning, `warning_fraction` × the limit; for
    /// `session_progression`, `progression_factor` × the largest recent session; 0 for `sensor_fault`).
    public var limit: Double

    public init(t: Double, kind: AlertKind, level: AlertLevel, value: Double, limit: Double) {
        self.t = t
        self.kind = kind
        self.level = level
        self.value = value
        self.limit = limit
    }

    private enum CodingKeys: String, CodingKey {
        case t = "t_s"
        case kind, level, value, limit
    }
}
