import KneeloadSystemd
import Logging
import Synchronization

/// A `LogLineWriter` that keeps every line, for tests that check what was logged: pass it to
/// `JournalLogHandler` and build a `Logger` with `logger(label:)`.
public final class CapturedLogLines: LogLineWriter {
    private let stored = Mutex<[String]>([])

    public init() {}

    public func write(line: String) {
        stored.withLock { $0.append(line) }
    }

    /// Every line so far, oldest first.
    public var lines: [String] { stored.withLock { $0 } }

    /// A logger at trace level whose journal-style lines (`<N>label: message key=value`) land here.
    public func logger(label: String = "test") -> Logger {
        Logger(label: label) { label in
            JournalLogHandler(label: label, style: .journal, writer: self, logLevel: .trace)
        }
    }
}
