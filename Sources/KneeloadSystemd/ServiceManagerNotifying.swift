/// The state changes a daemon reports to its service manager. `SystemdNotifier` speaks sd_notify(3); a daemon
/// core written against this protocol can be tested with a recording double.
///
/// Every method returns whether the message was delivered; callers may ignore it, as sd_notify(3) advises.
public protocol ServiceManagerNotifying: Sendable {
    /// How often to call `watchdog()`, or nil when no watchdog applies.
    var watchdogInterval: Duration? { get }

    /// Startup (or a reload) is complete: READY=1, with an optional STATUS= line.
    @discardableResult func ready(status: String?) -> Bool
    /// A free-form status line shown by `systemctl status`.
    @discardableResult func status(_ text: String) -> Bool
    /// The watchdog keep-alive ping.
    @discardableResult func watchdog() -> Bool
    /// Shutdown has begun.
    @discardableResult func stopping(status: String?) -> Bool
    /// A configuration reload has begun; call `ready(status:)` when it is done.
    @discardableResult func reloading(status: String?) -> Bool
}
