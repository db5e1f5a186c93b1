import Synchronization

/// Fans daemon events out to every watcher without ever waiting: `publish` is non-blocking and O(watchers),
/// safe to call from the sampling loop. Each watcher gets a stream buffering at most `capacity` events; when it is
/// full, further events for that watcher are dropped and counted, and the count is delivered as one
/// `eventsDropped` event once there is room again.
public final class StatusEventBroadcaster: Sendable {
    public static let defaultCapacity = 256

    private struct Watcher {
        var id: UInt64
        var continuation: AsyncStream<StatusEvent>.Continuation
        /// Events dropped since the last one delivered.
        var dropped = 0
    }

    private struct State {
        var watchers: [Watcher] = []
        var nextID: UInt64 = 0
        var droppedTotal = 0
        var finished = false
    }

    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int = StatusEventBroadcaster.defaultCapacity) {
        precondition(capacity >= 2, "a watcher needs room for an event and a drop notice")
        self.capacity = capacity
    }

    /// A new watcher's stream. It ends when the consumer stops iterating or drops it, or on `finish()`.
    public func subscribe() -> AsyncStream<StatusEvent> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: StatusEvent.self, bufferingPolicy: .bufferingOldest(capacity))
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { $0.watchers.removeAll { $0.id == id } }
        }
        let finished = state.withLock { state in
            if !state.finished { state.watchers.append(Watcher(id: id, continuation: continuation)) }
            return state.finished
        }
        if finished { continuation.finish() }
        return stream
    }

    /// Hands `event` to every watcher that has room; never waits.
    public func publish(_ event: StatusEvent) {
        state.withLock { state in
            // Ended without `onTermination` having removed them yet.
            var ended: [UInt64] = []
            for index in state.watchers.indices {
                let continuation = state.watchers[index].continuation
                if state.watchers[index].dropped > 0,
                    case .enqueued = continuation.yield(.eventsDropped(count: state.watchers[index].dropped))
                {
                    state.watchers[index].dropped = 0
                }
                if state.watchers[index].dropped == 0 {
                    switch continuation.yield(event) {
                    case .enqueued: continue
                    case .terminated:
                        ended.append(state.watchers[index].id)
                        continue
                    default: break
                    }
                }
                state.watchers[index].dropped += 1
                state.droppedTotal += 1
            }
            if !ended.isEmpty { state.watchers.removeAll { ended.contains($0.id) } }
        }
    }

    /// Ends every watcher's stream (daemon shutdown); later subscriptions end at once.
    public func finish() {
        let continuations = state.withLock { state in
            state.finished = true
            defer { state.watchers.removeAll() }
            return state.watchers.map(\.continuation)
        }
        // Outside the lock: finishing runs `onTermination`, which takes it.
        for continuation in continuations { continuation.finish() }
    }

    /// Watchers subscribed now.
    public var watcherCount: Int { state.withLock { $0.watchers.count } }

    /// Events dropped for slow watchers since the start, all watchers together.
    public var droppedEvents: Int { state.withLock { $0.droppedTotal } }
}
