import KneeloadEngine

/// UTC date and time text for file names and log lines, from Unix epoch seconds (whole seconds, rounded down).
enum UTCTimestamp {
    /// `20250314T081500Z` (ISO 8601 basic format: no colons, so it is safe in file names).
    static func compact(_ epochSeconds: Double) -> String {
        let (date, hour, minute, second) = parts(epochSeconds)
        return date.filter { $0 != "-" } + "T" + pad(hour) + pad(minute) + pad(second) + "Z"
    }

    /// `2025-03-14T08:15:00Z`.
    static func iso8601(_ epochSeconds: Double) -> String {
        let (date, hour, minute, second) = parts(epochSeconds)
        return date + "T" + pad(hour) + ":" + pad(minute) + ":" + pad(second) + "Z"
    }

    private static func parts(_ epochSeconds: Double) -> (date: String, hour: Int, minute: Int, second: Int) {
        // Clamped to the range LocalTime accepts, so the conversion to Int cannot trap on a wild clock.
        let limit = LocalTime.epochSecondsLimit
        let seconds = Int(epochSeconds.isFinite ? min(max(epochSeconds, -limit), limit).rounded(.down) : 0)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let ofDay = seconds - days * 86_400
        return (LocalDay(daysSince1970: days).description, ofDay / 3600, ofDay / 60 % 60, ofDay % 60)
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
