import Logging

extension Logger.Level {
    /// The syslog priority of this level, as the `<N>` prefix of sd-daemon(3) (SD_CRIT 2 … SD_DEBUG 7).
    /// swift-log has no emergency or alert level; trace and debug both map to debug.
    public var syslogPriority: Int {
        switch self {
        case .critical: return 2
        case .error: return 3
        case .warning: return 4
        case .notice: return 5
        case .info: return 6
        case .debug, .trace: return 7
        }
    }
}
