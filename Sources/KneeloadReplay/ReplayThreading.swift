/// How a replay spreads over threads. The output is the same whichever is used.
enum ReplayThreading: CaseIterable {
    /// Everything on the caller's thread.
    case serial
    /// Reading (parsing or decoding) on a second thread, `LoadMonitor` on the caller's.
    case readAhead
    /// Reading on one thread, the engine on another, `LoadAccounting` on the caller's.
    case readAheadAndEngine

    /// Inputs from this size up are worth a second thread: below it, a thread costs more than it saves.
    static let threadsFromBytes = 256 << 10

    /// The choice for an input of `byteCount` bytes. `readAhead` false forces one thread, true at least two,
    /// nil decides by size and cores. The engine gets a thread of its own when nothing watches each sample
    /// (`observed`, the plot's trace) and a core is left for it: parsing CSV takes a core to itself, so with
    /// two cores an engine thread beside it would only take turns with the caller's.
    static func choose(
        readAhead: Bool?, byteCount: Int, cheapReading: Bool, observed: Bool, cores: Int = ProcessorCount.online
    ) -> ReplayThreading {
        guard readAhead ?? (byteCount >= threadsFromBytes && cores > 1) else { return .serial }
        return !observed && (cheapReading || cores > 2) ? .readAheadAndEngine : .readAhead
    }
}
