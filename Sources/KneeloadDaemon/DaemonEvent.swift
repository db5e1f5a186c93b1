import KneeloadEngine

/// Something the daemon did, for `kneeload watch` and the log.
public enum DaemonEvent: Sendable, Equatable {
    case engine(EngineEvent)
    /// The runner (button or `kneeload ack`) acknowledged these alerts.
    case acknowledged([AlertEvent], source: String)
    case sensor(name: String, chip: String, state: String, detail: String)
    /// The t of an event: engine time in seconds.
    case configurationReloaded(t: Double)
}
