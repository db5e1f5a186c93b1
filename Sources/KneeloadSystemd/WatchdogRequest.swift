#if canImport(Glibc)
    import Glibc
#endif

/// What the service manager asked of this process's watchdog, read from `$WATCHDOG_USEC` and `$WATCHDOG_PID`.
///
/// sd_watchdog_enabled(3): WATCHDOG_USEC is the timeout in microseconds; when WATCHDOG_PID is set the request
/// is only for that process ("if … not the PID of the calling process, the watchdog is not enabled for it").
/// The manual recommends pinging at half the timeout, which is `pingInterval`.
public enum WatchdogRequest: Sendable, Equatable, CustomStringConvertible {
    /// WATCHDOG_USEC is unset.
    case notRequested
    case requested(timeout: Duration)
    /// WATCHDOG_PID names another process (a parent that set the variables and forked us, for example).
    case forOtherProcess(pid: Int32)
    /// A variable is malformed; the text names it and its value.
    case invalid(String)

    public init(environment: [String: String], processID: Int32) {
        guard let usecText = environment["WATCHDOG_USEC"] else {
            self = .notRequested
            return
        }
        guard let usec = UInt64(usecText), usec > 0, usec < UInt64(Int64.max) else {
            self = .invalid("WATCHDOG_USEC=\(usecText) is not a positive number of microseconds")
            return
        }
        if let pidText = environment["WATCHDOG_PID"] {
            guard let pid = Int32(pidText), pid > 0 else {
                self = .invalid("WATCHDOG_PID=\(pidText) is not a process id")
                return
            }
            guard pid == processID else {
                self = .forOtherProcess(pid: pid)
                return
            }
        }
        self = .requested(timeout: .microseconds(Int64(usec)))
    }

    /// How often to send WATCHDOG=1: half the timeout, or nil when no watchdog applies to this process.
    public var pingInterval: Duration? {
        guard case .requested(let timeout) = self else { return nil }
        return timeout / 2
    }

    public var description: String {
        switch self {
        case .notRequested: return "no watchdog requested"
        case .requested(let timeout): return "watchdog timeout \(timeout)"
        case .forOtherProcess(let pid): return "watchdog requested for pid \(pid), not this process"
        case .invalid(let reason): return reason
        }
    }
}
