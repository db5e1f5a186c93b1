#if canImport(Glibc)
    import Glibc
#endif
import KneeloadEngine

extension LocalTime {
    /// Wall-clock time (to the nanosecond) and UTC offset now: engine time 0 of a run starting now, for its
    /// local days.
    public static func now() -> LocalTime {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var seconds = ts.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        let epoch = Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        return (try? LocalTime(epochSecondsAtStart: epoch, utcOffsetSeconds: parts.tm_gmtoff)) ?? .unixEpochUTC
    }
}
