import Synchronization

/// A hand-moved clock for the simulated chip (the tests' own: AlertOutputs does not depend on SimulatedBus).
final class TestClock: Sendable {
    private let time = Mutex(Duration.zero)

    var now: Duration { time.withLock { $0 } }

    func set(_ instant: Duration) {
        time.withLock { $0 = instant }
    }

    func advance(by interval: Duration) {
        time.withLock { $0 += interval }
    }
}

extension Duration {
    static func ms(_ value: Int64) -> Duration { .milliseconds(value) }
}
