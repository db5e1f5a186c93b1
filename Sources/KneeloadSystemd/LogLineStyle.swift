#if canImport(Glibc)
    import Glibc
#endif

/// How `JournalLogHandler` lays out a line.
public enum LogLineStyle: Sendable, Equatable {
    /// `<6>label: message key=value`: the sd-daemon(3) priority prefix journald turns into the entry's
    /// PRIORITY=, and no timestamp, since journald stamps each entry itself.
    case journal
    /// `2026-01-31T12:00:00.123Z info label: message key=value`, for a person at a terminal.
    case terminal

    /// The style for output on `descriptor`: journal when it is journald's stream (systemd.exec(5):
    /// JOURNAL_STREAM holds the "device:inode" of the stream, which a process compares with fstat of its
    /// stderr, since the variable is inherited by children whose stderr may be elsewhere) or anything else
    /// that is not a terminal, such as a pipe into a supervisor or a log file; terminal otherwise.
    public static func detect(
        environment: [String: String],
        descriptor: Int32 = STDERR_FILENO
    ) -> LogLineStyle {
        if isJournalStream(descriptor: descriptor, environment: environment) { return .journal }
        return isatty(descriptor) == 1 ? .terminal : .journal
    }

    /// Whether `descriptor` is the stream JOURNAL_STREAM names.
    public static func isJournalStream(descriptor: Int32, environment: [String: String]) -> Bool {
        guard let value = environment["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }
}
