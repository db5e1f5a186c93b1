/// Where the engine appends events. The caller drains it (`removeAll`) after each batch; the storage is
/// kept, so steady-state processing does not allocate.
public struct EventBuffer: Sendable {
    public private(set) var events: [EngineEvent] = []

    public init(reservingCapacity capacity: Int = 64) {
        events.reserveCapacity(capacity)
    }

    public mutating func append(_ event: EngineEvent) { events.append(event) }
    public mutating func removeAll() { events.removeAll(keepingCapacity: true) }
    // Inlinable: callers outside the module (the daemon loop, replay, the benchmark) ask once per sample.
    @inlinable public var isEmpty: Bool { events.isEmpty }
    @inlinable public var count: Int { events.count }
}
