import KneeloadEngine

/// What the sampling loop hands to the rest of the daemon; every hook runs on the loop's thread and must
/// return quickly (they write a file every few seconds at most, or hand data to another thread).
public struct DaemonHooks {
    /// The sensors answered for the first time (systemd READY=1).
    public var ready: (DaemonSnapshot) -> Void = { _ in }
    /// Called at least every `watchdogInterval` while the loop runs (systemd WATCHDOG=1).
    public var watchdog: () -> Void = {}
    public var watchdogInterval: Duration?
    /// A new snapshot (about ten times a second).
    public var publish: (DaemonSnapshot) -> Void = { _ in }
    public var event: (DaemonEvent) -> Void = { _ in }
    /// Save the state (the monitor holds the accumulator and this run's totals): every checkpoint interval
    /// and once at the end.
    public var checkpoint: (LoadMonitor, DaemonSnapshot) -> Void = { _, _ in }

    public init() {}
}
