import Synchronization

/// Simulated time, advanced only by hand (as NIOEmbedded's `EmbeddedEventLoop.advanceTime(by:)`), so
/// everything driven by it is deterministic and runs as fast as the host can compute.
///
/// Time is measured from zero, the moment the simulated chips are powered on.
public final class VirtualClock: Sendable {
    private let nanoseconds: Atomic<Int64>

    public init(start: Duration = .zero) {
        nanoseconds = Atomic(start.totalNanoseconds)
    }

    public var now: Duration { .nanoseconds(nanoseconds.load(ordering: .acquiring)) }

    public func advance(by interval: Duration) {
        precondition(interval >= .zero, "virtual time does not go backwards")
        nanoseconds.add(interval.totalNanoseconds, ordering: .acquiringAndReleasing)
    }

    /// Moves to `instant` if it is later than now; an earlier instant is ignored.
    public func advance(to instant: Duration) {
        nanoseconds.max(instant.totalNanoseconds, ordering: .acquiringAndReleasing)
    }
}

extension Duration {
    /// The whole duration in nanoseconds (sub-nanosecond parts are dropped).
    public var totalNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// The duration in seconds as a double.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
