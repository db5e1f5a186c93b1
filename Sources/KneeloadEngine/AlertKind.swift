/// What an alert is about. The raw values are a contract (CONTRACTS §3 alert kinds, §4 limits): never rename.
public enum AlertKind: String, Codable, Sendable, CaseIterable, Hashable {
    /// Session knee load passed `limits.session_load_bw_s` (CONTRACTS §4).
    case cumulativeLoad = "cumulative_load"
    /// Knee load of the last minute passed `limits.load_rate_bw_s_per_min` (CONTRACTS §4).
    case loadRate = "load_rate"
    /// Stair descent steps in the session passed `limits.session_stair_descent_steps` (CONTRACTS §4).
    case stairDescents = "stair_descents"
    /// The daemon reported a sensor fault.
    case sensorFault = "sensor_fault"
    /// The session's load passed the longest-session rule: more than `progression_factor` (1.1) × the largest
    /// session of the previous 30 days (Frandsen 2025, biomech.md §2 "Progression rules").
    case sessionProgression = "session_progression"

    /// Kinds whose value belongs to the current session and restarts from zero with the next one.
    public var isSessionBound: Bool {
        switch self {
        case .cumulativeLoad, .stairDescents, .sessionProgression: true
        case .loadRate, .sensorFault: false
        }
    }

    /// Kinds that have a warning level before the alert. The longest-session rule has none (its 10 % margin is
    /// already the early signal), nor has a sensor fault.
    public var hasWarning: Bool {
        switch self {
        case .cumulativeLoad, .loadRate, .stairDescents: true
        case .sensorFault, .sessionProgression: false
        }
    }
}

/// How serious an alert event is: a `warning` when a value passes `warning_fraction` × its limit, an `alert`
/// when it passes the limit.
public enum AlertLevel: String, Codable, Sendable, CaseIterable, Hashable {
    case warning
    case alert
}

/// Alerts raised from outside the policy's numeric checks (by the daemon).
public enum ExternalAlertKind: Sendable, Hashable {
    case sensorFault

    public var alertKind: AlertKind {
        switch self {
        case .sensorFault: .sensorFault
        }
    }
}
