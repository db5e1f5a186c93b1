import KneeloadEngine

extension DaemonState {
    /// A restart sooner than this after the checkpoint goes on with the same session (a crash, a watchdog
    /// restart, a reboot mid-run), so session limits still hold; a later one starts a new session.
    public static let sessionResumeWindowS = 600.0

    /// The checkpoint restored exactly on its own engine clock, when `nowEpochSeconds` is at most
    /// `sessionResumeWindowS` after it: the open session, the rolling windows and the day go on. Returns the
    /// accumulator and the engine time that `nowEpochSeconds` is on that clock; nil when the gap is longer,
    /// negative (a wall clock set back) or the file does not restore.
    public func resumedAccumulator(nowEpochSeconds: Double) -> (LoadAccumulator, engineTime: Double)? {
        let saved = accumulator.localTime.epochSeconds(at: accumulator.latestT)
        let gap = nowEpochSeconds - saved
        guard accumulator.currentSession != nil, gap >= 0, gap <= Self.sessionResumeWindowS,
            let restored = try? LoadAccumulator(restoring: accumulator)
        else { return nil }
        return (restored, accumulator.latestT + gap)
    }

    /// Everything a resumed session takes up: the accumulator on its own clock, the engine's learned sensor
    /// placement and the alert policy's state (each only when present and valid; `dropped` says which were
    /// not and why, for the log). Nil when `resumedAccumulator` is.
    public func resumption(nowEpochSeconds: Double) -> Resumption? {
        guard let (accumulator, engineTime) = resumedAccumulator(nowEpochSeconds: nowEpochSeconds) else { return nil }
        var resumption = Resumption(accumulator: accumulator, engineTime: engineTime, dropped: unreadableParts)
        if let calibration {
            if let problem = calibration.problem {
                resumption.dropped.append("calibration (\(problem))")
            } else {
                resumption.calibration = calibration
            }
        }
        if let alerts {
            do {
                _ = try AlertPolicy(restoring: alerts)
                if let latest = alerts.latestT, latest > engineTime {
                    resumption.dropped.append("alerts (its time \(latest) is after the resumed clock's \(engineTime))")
                } else {
                    resumption.alerts = alerts
                }
            } catch {
                resumption.dropped.append("alerts (\(error))")
            }
        }
        return resumption
    }

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
