import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Turns one log message into one line of `LogLineStyle`. Metadata follows the message as `key=value`, keys
/// sorted so a line's layout never depends on dictionary order; control characters are escaped so a message
/// stays one journal entry (journald splits its stream at newlines).
public struct LogLineFormatter: Sendable {
    public let style: LogLineStyle

    public init(style: LogLineStyle) {
        self.style = style
    }

    /// - Parameter timeSinceEpoch: wall-clock time since 1970-01-01 UTC; used by the terminal style only.
    public func line(
        level: Logger.Level,
        label: String,
        message: String,
        metadata: Logger.Metadata,
        timeSinceEpoch: Duration
    ) -> String {
        var line: String
        switch style {
        case .journal:
            line = "<\(level.syslogPriority)>"
        case .terminal:
            line = Self.timestamp(timeSinceEpoch) + " " + level.rawValue + " "
        }
        line += label
        line += ": "
        Self.appendEscaped(message, to: &line)
        for key in metadata.keys.sorted() {
            line += " "
            line += key
            line += "="
            Self.appendValue(Self.text(of: metadata[key]!), to: &line)
        }
        return line
    }

    /// A metadata value as text. Nested arrays and dictionaries are written here rather than through
    /// swift-log's `description`, which quotes every string and lists dictionaries in hash order.
    static func text(of value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let string): return string
        case .stringConvertible(let convertible): return convertible.description
        case .array(let values): return "[" + values.map(text(of:)).joined(separator: ", ") + "]"
        case .dictionary(let entries):
            return "[" + entries.keys.sorted().map { "\($0): \(text(of: entries[$0]!))" }.joined(separator: ", ") + "]"
        }
    }

    /// ISO 8601 in UTC with milliseconds, e.g. `2026-01-31T12:00:00.123Z`.
    static func timestamp(_ sinceEpoch: Duration) -> String {
        let (seconds, attoseconds) = sinceEpoch.components
        var wholeSeconds = time_t(seconds)
        var parts = tm()
        gmtime_r(&wholeSeconds, &parts)
        let milliseconds = Int(attoseconds / 1_000_000_000_000_000)
        return "\(parts.tm_year + 1900)-\(padded(parts.tm_mon + 1, 2))-\(padded(parts.tm_mday, 2))"
            + "T\(padded(parts.tm_hour, 2)):\(padded(parts.tm_min, 2)):\(padded(parts.tm_sec, 2))"
            + ".\(padded(Int32(milliseconds), 3))Z"
    }

    private static func padded(_ value: Int32, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Copies `text`, writing newline, carriage return, tab and other control characters as escapes.
    private static func appendEscaped(_ text: String, to line: inout String) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                line += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: line.unicodeScalars.append(scalar)
            }
        }
    }

    /// A value as is when it is one plain word; otherwise in double quotes with `"` and `\` escaped, so a
    /// reader can still split the line into `key=value` pairs.
    private static func appendValue(_ value: String, to line: inout String) {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains {
            $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F
        }
        guard needsQuotes else {
            line += value
            return
        }
        line += "\""
        var escaped = ""
        for character in value {
            switch character {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            default: escaped.append(character)
            }
        }
        appendEscaped(escaped, to: &line)
        line += "\""
    }
}
