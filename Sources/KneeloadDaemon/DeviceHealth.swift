/// How one sensor is doing, driven by the outcome of every read: a pure state machine the sampler keeps per
/// device, so the retry policy is tested without a bus.
///
/// A failed read puts the device into `.retrying`. A single failure (a glitch on the bus) is retried at the next
/// sample as it is; from the second failure in a row the device is re-initialised (probe and configure again,
/// as after a power glitch) after a backoff that doubles from `firstBackoff` up to `maximumBackoff`. Failing without a
/// single good read for `faultAfter` makes it `.degraded`, which raises `sensor_fault` once; the first good
/// read brings it back to `.ok`. Short glitches (1 % failed transfers) therefore never raise an alert.
public struct DeviceHealth: Sendable, Equatable {
    public enum State: String, Sendable, Equatable {
        case ok
        case retrying
        case degraded
    }

    public enum Transition: Sendable, Equatable {
        case startedFailing
        case becameDegraded
        case recovered(afterFailures: Int)
    }

    public static let firstBackoff: Duration = .milliseconds(10)
    public static let maximumBackoff: Duration = .seconds(1)

    public let faultAfter: Duration
    public private(set) var state = State.ok
    /// Failures since the last good read or re-initialisation.
    public private(set) var consecutiveFailures = 0
    /// Failures since the last good read.
    public private(set) var failuresSinceGoodRead = 0
    public private(set) var totalFailures = 0
    public private(set) var failingSince: Duration?
    /// When the device should next be re-initialised (nil while healthy).
    public private(set) var reinitialiseAt: Duration?
    private var backoff = DeviceHealth.firstBackoff

    public init(faultAfter: Duration) {
        self.faultAfter = faultAfter
    }

    /// Failures in a row after which the device is re-initialised rather than simply read again.
    public static let failuresBeforeReinitialisation = 2

    /// Whether the device must be set up again before it is read.
    public var needsReinitialisation: Bool { consecutiveFailures >= Self.failuresBeforeReinitialisation }

    /// Whether the backoff allows an attempt (a read or a re-initialisation) at `time`.
    public func mayAttempt(at time: Duration) -> Bool {
        guard let due = reinitialiseAt else { return true }
        return time >= due
    }

    /// Checked every sample, attempted or not, so a device that stays away is reported `faultAfter` after its
    /// first failure, not at the next attempt of a long backoff.
    public mutating func checkTimeout(at time: Duration) -> Transition? {
        guard state == .retrying, let since = failingSince, time - since >= faultAfter else { return nil }
        return degrade()
    }

    public mutating func recordSuccess(at time: Duration) -> Transition? {
        defer {
            consecutiveFailures = 0
            failuresSinceGoodRead = 0
            failingSince = nil
            reinitialiseAt = nil
            backoff = Self.firstBackoff
            state = .ok
        }
        return state == .ok ? nil : .recovered(afterFailures: failuresSinceGoodRead)
    }

    /// The device was set up again; it is read from the next sample on (a read failing then counts afresh).
    public mutating func recordReinitialised() {
        consecutiveFailures = 0
        reinitialiseAt = nil
    }

    public mutating func recordFailure(at time: Duration) -> Transition? {
        consecutiveFailures += 1
        failuresSinceGoodRead += 1
        totalFailures += 1
        let since = failingSince ?? time
        failingSince = since
        if consecutiveFailures >= Self.failuresBeforeReinitialisation {
            reinitialiseAt = time + backoff
            backoff = min(backoff * 2, Self.maximumBackoff)
        }
        switch state {
        case .ok:
            state = .retrying
            return time - since >= faultAfter ? degrade() : .startedFailing
        case .retrying:
            return time - since >= faultAfter ? degrade() : nil
        case .degraded:
            return nil
        }
    }

    private mutating func degrade() -> Transition {
        state = .degraded
        return .becameDegraded
    }
}
