#if canImport(Glibc)
    import Glibc
#endif
import KneeloadEngine

extension LocalTime {
    /// Wall-clock time and UTC offset now: engine time 0 of a run starting now, for its local days.
    public static func now() -> LocalTime {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        return (try? LocalTime(epochSecondsAtStart: Double(now), utcOffsetSeconds: parts.tm_gmtoff)) ?? .unixEpochUTC
    }
}
