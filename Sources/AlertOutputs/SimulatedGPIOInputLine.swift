/// An input line of a `SimulatedGPIOChip`, with edge events. `waitForEdge` never waits: simulated time only
/// moves when the simulation moves it, so it reports whether an edge is queued now.
public final class SimulatedGPIOInputLine: GPIOInputLine {
    public let label: String
    private let chip: SimulatedGPIOChip
    private let offset: Int
    private let requestID: UInt64
    private var released = false

    init(chip: SimulatedGPIOChip, offset: Int, requestID: UInt64, label: String) {
        self.chip = chip
        self.offset = offset
        self.requestID = requestID
        self.label = label
    }

    deinit {
        release()
    }

    public func read() throws(GPIOError) -> Bool {
        try chip.read(offset, requestID: currentID, label: label)
    }

    public func waitForEdge(timeout: Duration) throws(GPIOError) -> Bool {
        try chip.hasEdge(offset, requestID: currentID, label: label)
    }

    public func readEdge() throws(GPIOError) -> GPIOEdgeEvent {
        try chip.takeEdge(offset, requestID: currentID, label: label)
    }

    public var eventDescriptor: Int32? { nil }

    public func release() {
        guard !released else { return }
        released = true
        chip.release(offset, requestID: requestID)
    }

    /// 0 after release: no request has that ID, so every call fails with EBADF.
    private var currentID: UInt64 { released ? 0 : requestID }
}
