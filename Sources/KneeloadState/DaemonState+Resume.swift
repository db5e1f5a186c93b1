import KneeloadEngine

extension DaemonState {
    /// The checkpoint's accounting carried over to a new engine clock whose t = 0 is `nowEpochSeconds`
    /// (`LoadAccumulator(continuing:localTime:)`: the open session ends, the days in between close empty).
    ///
    /// A wall clock that reads earlier than the last recorded local day (a board without a real-time clock before
    /// NTP has set it, or a UTC offset moved back across midnight) would make days run backwards, which the
    /// accumulator refuses; the new clock then starts at the beginning of that day instead, so the history is
    /// kept and new load counts towards that day. Throws only for an invalid time or offset.
    public func continuedAccumulator(
        nowEpochSeconds: Double, utcOffsetSeconds: Int
    ) throws(LoadAccumulatorError) -> LoadAccumulator {
        let lastDayStart = Double(accumulator.today.day.daysSince1970) * 86_400 - Double(utcOffsetSeconds)
        let start = nowEpochSeconds.isNaN ? nowEpochSeconds : max(nowEpochSeconds, lastDayStart)
        let localTime = try LocalTime(epochSecondsAtStart: start, utcOffsetSeconds: utcOffsetSeconds)
        return try LoadAccumulator(continuing: accumulator, localTime: localTime)
    }
}
