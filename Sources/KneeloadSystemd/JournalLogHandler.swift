import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// A swift-log handler for a daemon: one line per message on stderr, with the syslog priority prefix
/// journald understands when stderr is not a terminal, and a timestamped readable line when it is.
///
/// Metadata is merged as swift-log's StreamLogHandler does (provider, then the handler's, then the message's;
/// later wins) and a logged `error` is added as `error=` unless the message already has that key.
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public let label: String
    private let formatter: LogLineFormatter
    private let writer: any LogLineWriter
    private let now: @Sendable () -> Duration

    /// - Parameters:
    ///   - writer: where lines go; share one `FileDescriptorLogWriter` among handlers so lines stay whole.
    ///   - now: wall-clock time since the Unix epoch, for the terminal style's timestamps.
    public init(
        label: String,
        style: LogLineStyle,
        writer: any LogLineWriter,
        logLevel: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil,
        now: @escaping @Sendable () -> Duration = JournalLogHandler.wallClock
    ) {
        self.label = label
        self.formatter = LogLineFormatter(style: style)
        self.writer = writer
        self.logLevel = logLevel
        self.metadataProvider = metadataProvider
        self.now = now
    }

    /// A handler factory for stderr (or `descriptor`), its style detected once from `environment` and the
    /// descriptor itself: pass it to `Logger(label:factory:)`, or to `LoggingSystem.bootstrap` in a main that
    /// owns the process.
    public static func standardErrorFactory(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        logLevel: Logger.Level = .info,
        descriptor: Int32 = STDERR_FILENO
    ) -> @Sendable (String) -> any LogHandler {
        let style = LogLineStyle.detect(environment: environment, descriptor: descriptor)
        let writer = FileDescriptorLogWriter(descriptor: descriptor)
        return { label in JournalLogHandler(label: label, style: style, writer: writer, logLevel: logLevel) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadataProvider?.get() ?? [:]
        merged.merge(metadata) { _, handler in handler }
        if let explicit = event.metadata { merged.merge(explicit) { _, message in message } }
        if let error = event.error, merged["error"] == nil { merged["error"] = "\(error)" }
        let time = formatter.style == .terminal ? now() : .zero
        writer.write(
            line: formatter.line(
                level: event.level,
                label: label,
                message: event.message.description,
                metadata: merged,
                timeSinceEpoch: time
            )
        )
    }

    /// CLOCK_REALTIME since the Unix epoch.
    @Sendable public static func wallClock() -> Duration {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return .seconds(now.tv_sec) + .nanoseconds(now.tv_nsec)
    }
}
