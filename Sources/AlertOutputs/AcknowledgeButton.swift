/// The acknowledge button: an input line and its debouncer. `poll(at:)` never blocks: it takes the edges the
/// kernel (or the simulated chip) has queued and lets the debouncer count time up to `time`, which must be on
/// the clock of the edge timestamps (`LinuxGPIO.eventClockNow()` for a real line, the simulation's clock for a
/// simulated one). A loop that waits on several sources can poll `line.eventDescriptor` and wake for
/// `nextDeadline`.
public final class AcknowledgeButton {
    public let line: any GPIOInputLine
    public private(set) var debouncer: ButtonDebouncer

    /// Reads the line's level now (`time`) as the starting point: a button held at start is not a press.
    public init(line: any GPIOInputLine, configuration: ButtonDebouncer.Configuration, at time: Duration)
        throws(GPIOError)
    {
        self.line = line
        debouncer = ButtonDebouncer(configuration: configuration, initialLevel: try line.read(), at: time)
    }

    /// The presses confirmed by `time`, oldest first.
    public func poll(at time: Duration) throws(GPIOError) -> [ButtonDebouncer.Press] {
        var presses: [ButtonDebouncer.Press] = []
        for edge in try line.queuedEdges() {
            if let press = debouncer.handle(edge) { presses.append(press) }
        }
        if let press = debouncer.update(at: time) { presses.append(press) }
        return presses
    }

    /// When to poll next for an exact confirmation time, if a level is waiting to settle.
    public var nextDeadline: Duration? { debouncer.nextDeadline }

    public func release() { line.release() }
}
