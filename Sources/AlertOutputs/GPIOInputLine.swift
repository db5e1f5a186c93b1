/// An input line with edge events (the acknowledge button): the seam between `AcknowledgeButton` and the
/// hardware (`LinuxGPIOInputLine`) or the simulation (`SimulatedGPIOInputLine`). Levels are physical (true =
/// high); `ButtonDebouncer` applies the polarity.
public protocol GPIOInputLine: AnyObject {
    /// The line as configured, for logs.
    var label: String { get }
    /// The physical level now.
    func read() throws(GPIOError) -> Bool
    /// Waits up to `timeout` for an edge event; `true` when one is queued. `.zero` only checks.
    func waitForEdge(timeout: Duration) throws(GPIOError) -> Bool
    /// Takes the oldest queued edge event. Call only after `waitForEdge` returned true (on Linux it would
    /// block otherwise).
    func readEdge() throws(GPIOError) -> GPIOEdgeEvent
    /// A descriptor that polls readable when an edge is queued, for a loop that waits on several sources;
    /// `nil` when there is none (the simulated chip).
    var eventDescriptor: Int32? { get }
    /// Gives the line back to the kernel; a second release does nothing.
    func release()
}

extension GPIOInputLine {
    /// The edge events queued now, oldest first, without blocking: at most `limit` of them, so a line
    /// chattering faster than the loop drains it cannot stall the loop (the rest stay queued).
    public func queuedEdges(limit: Int = 64) throws(GPIOError) -> [GPIOEdgeEvent] {
        var events: [GPIOEdgeEvent] = []
        while events.count < limit, try waitForEdge(timeout: .zero) {
            events.append(try readEdge())
        }
        return events
    }
}
