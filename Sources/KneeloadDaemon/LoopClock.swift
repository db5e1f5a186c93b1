#if canImport(Glibc)
    import Glibc
#endif

/// The daemon loop's time: monotonic instants and sleeping until an absolute deadline (so a late iteration
/// does not push every later one back: no drift).
public protocol LoopClock: AnyObject {
    /// Monotonic time since an arbitrary start.
    var now: Duration { get }
    /// Returns at `deadline` or soon after (at once if it has passed).
    func sleep(until deadline: Duration)
}

/// `CLOCK_MONOTONIC`, with `clock_nanosleep(TIMER_ABSTIME)` for the deadlines.
public final class MonotonicLoopClock: LoopClock, Sendable {
    public init() {}

    public var now: Duration {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return .seconds(ts.tv_sec) + .nanoseconds(ts.tv_nsec)
    }

    public func sleep(until deadline: Duration) {
        let (seconds, attoseconds) = deadline.components
        var ts = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        // EINTR (a signal) only wakes us early; the loop checks the time again.
        _ = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil)
    }
}
