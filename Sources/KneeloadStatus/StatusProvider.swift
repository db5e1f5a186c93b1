import KneeloadEngine

/// What the daemon gives the status server. Calls come from the server's connection tasks, concurrently with
/// the daemon's own work, so each must be cheap and must never wait on a client.
public protocol StatusProvider: Sendable {
    /// The daemon's state now.
    func status() async -> DaemonStatus

    /// Acknowledges every active alert, as the button does, and returns what was active (empty if nothing was).
    /// The daemon publishes the matching `alertAcknowledged` events itself.
    func acknowledge() async -> [AlertEvent]

    /// A new subscription to live events, ended by the server dropping the stream. It must buffer a bounded
    /// number of events so a stuck watcher cannot grow the daemon's memory: return
    /// `StatusEventBroadcaster.subscribe()`.
    func events() -> AsyncStream<StatusEvent>
}
