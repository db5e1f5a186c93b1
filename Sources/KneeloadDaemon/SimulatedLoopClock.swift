import SimulatedBus

/// Drives the simulated bus's `VirtualClock` from the daemon loop: sleeping advances virtual time. At `speed`
/// N it also waits real time, so N seconds of the scenario pass per second (the simulation mode a person
/// watches); with no speed it runs as fast as the machine can (tests).
public final class SimulatedLoopClock: LoopClock, Sendable {
    public let virtualClock: VirtualClock
    public let speed: Double?
    private let realClock = MonotonicLoopClock()
    private let realStart: Duration
    private let virtualStart: Duration

    public init(virtualClock: VirtualClock, speed: Double?) {
        self.virtualClock = virtualClock
        self.speed = speed
        realStart = realClock.now
        virtualStart = virtualClock.now
    }

    public var now: Duration { virtualClock.now }

    public func sleep(until deadline: Duration) {
        if let speed, speed > 0 {
            realClock.sleep(until: realStart + (deadline - virtualStart) * (1 / speed))
        }
        if deadline > virtualClock.now { virtualClock.advance(to: deadline) }
    }
}
