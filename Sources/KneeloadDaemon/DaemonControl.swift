import KneeloadConfiguration
import Synchronization

/// What other threads ask of the sampling loop (stop, acknowledge, a new configuration), handed over
/// through a lock the loop takes once per sample.
public final class DaemonControl: Sendable {
    public struct Requests: Sendable {
        public var stop = false
        public var acknowledgements = 0
        public var configuration: Configuration?
    }

    private let pending = Mutex(Requests())

    public init() {}

    public func requestStop() { pending.withLock { $0.stop = true } }
    public func requestAcknowledge() { pending.withLock { $0.acknowledgements += 1 } }
    public func requestReload(_ configuration: Configuration) { pending.withLock { $0.configuration = configuration } }

    public var isStopRequested: Bool { pending.withLock { $0.stop } }

    /// Takes what is pending (the stop request stays set).
    func take() -> Requests {
        pending.withLock { requests in
            let taken = requests
            requests.acknowledgements = 0
            requests.configuration = nil
            return taken
        }
    }
}
