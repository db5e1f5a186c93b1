import Testing

@testable import KneeloadEngine

/// A `LocalTime` whose engine t = 0 is `hour`:00 local time on the given date, at `utcOffsetSeconds`.
func localTime(
    year: Int = 2025, month: Int = 3, day: Int = 14, hour: Double = 8, utcOffsetSeconds: Int = 0
) throws -> LocalTime {
    let localDay = try #require(LocalDay(year: year, month: month, day: day))
    let localSeconds = Double(localDay.daysSince1970) * 86_400 + hour * 3600
    return try LocalTime(
        epochSecondsAtStart: localSeconds - Double(utcOffsetSeconds), utcOffsetSeconds: utcOffsetSeconds)
}

func day(_ year: Int, _ month: Int, _ day: Int) throws -> LocalDay {
    try #require(LocalDay(year: year, month: month, day: day))
}
