import KneeloadConfiguration
import KneeloadEngine
import Synchronization

/// What other threads ask of the sampling loop (stop, acknowledge, a new configuration), handed over
/// through a lock the loop takes once per sample.
public final class DaemonControl: Sendable {
    public struct Requests: Sendable {
        public var stop = false
        public var acknowledgements = 0
        /// Told what was acknowledged, once the loop has done it.
        public var acknowledgementReplies: [@Sendable ([AlertEvent]) -> Void] = []
        public var configuration: Configuration?
    }

    private let pending = Mutex(Requests())

    public init() {}

    public func requestStop() { pending.withLock { $0.stop = true } }
    public func requestAcknowledge() { pending.withLock { $0.acknowledgements += 1 } }

    /// Acknowledges at the loop's next sample and calls `reply` with what was active; after a stop, at once
    /// with nothing (no loop is left to do it).
    public func requestAcknowledge(reply: @escaping @Sendable ([AlertEvent]) -> Void) {
        let stopped = pending.withLock { requests in
            if !requests.stop {
                requests.acknowledgements += 1
                requests.acknowledgementReplies.append(reply)
            }
            return requests.stop
        }
        if stopped { reply([]) }
    }
    public func requestReload(_ configuration: Configuration) { pending.withLock { $0.configuration = configuration } }

    public var isStopRequested: Bool { pending.withLock { $0.stop } }

    /// Takes what is pending (the stop request stays set).
    func take() -> Requests {
        pending.withLock { requests in
            let taken = requests
            requests.acknowledgements = 0
            requests.acknowledgementReplies = []
            requests.configuration = nil
            return taken
        }
    }
}
