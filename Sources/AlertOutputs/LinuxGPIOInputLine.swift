import CGpiod

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An input line with both-edge events, requested through libgpiod (`LinuxGPIO.openInput`). Released by
/// `release()` or at the latest when the object goes away.
public final class LinuxGPIOInputLine: GPIOInputLine {
    public let label: String
    public let location: LinuxGPIO.Location
    private var handle: OpaquePointer?

    init(label: String, location: LinuxGPIO.Location, handle: OpaquePointer) {
        self.label = label
        self.location = location
        self.handle = handle
    }

    deinit {
        release()
    }

    public func read() throws(GPIOError) -> Bool {
        let value = cgpiod_get_value(try requireHandle(.read))
        if value < 0 { throw error(.read, -value) }
        return value == 1
    }

    public func waitForEdge(timeout: Duration) throws(GPIOError) -> Bool {
        let nanoseconds = max(0, timeout.saturatingNanoseconds)
        let result = cgpiod_wait_edge(try requireHandle(.waitForEdge), nanoseconds)
        if result < 0 { throw error(.waitForEdge, -result) }
        return result == 1
    }

    public func readEdge() throws(GPIOError) -> GPIOEdgeEvent {
        var event = cgpiod_edge_event()
        let result = cgpiod_read_edge(try requireHandle(.readEdge), &event)
        if result < 0 { throw error(.readEdge, -result) }
        return GPIOEdgeEvent(
            edge: event.edge == CGPIOD_EDGE_RISING ? .rising : .falling,
            timestamp: .nanoseconds(Int64(clamping: event.timestamp_ns)),
            lineSequence: event.line_seqno == 0 ? nil : event.line_seqno)
    }

    public var eventDescriptor: Int32? {
        guard let handle else { return nil }
        let descriptor = cgpiod_event_fd(handle)
        return descriptor >= 0 ? descriptor : nil
    }

    public func release() {
        guard let handle else { return }
        cgpiod_release(handle)
        self.handle = nil
    }

    private func requireHandle(_ operation: GPIOError.Operation) throws(GPIOError) -> OpaquePointer {
        guard let handle else { throw error(operation, EBADF) }
        return handle
    }

    private func error(_ operation: GPIOError.Operation, _ errno: Int32) -> GPIOError {
        GPIOError(line: label, operation: operation, chip: location.chipPath, offset: location.offset, errno: errno)
    }
}
