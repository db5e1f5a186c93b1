/// One edge on an input line, as the kernel (or the simulated chip) timestamped it.
public struct GPIOEdgeEvent: Sendable, Hashable {
    public enum Edge: String, Sendable, Hashable {
        case rising
        case falling
    }

    public var edge: Edge
    /// When the edge happened. For `LinuxGPIO` lines: the kernel's CLOCK_MONOTONIC (`LinuxGPIO.eventClockNow()`
    /// reads the same clock); for simulated lines: the simulated chip's clock.
    public var timestamp: Duration
    /// The per-line sequence number, from 1 (libgpiod 2.x and the simulated chip; `nil` on libgpiod 1.6). A gap
    /// means the event queue overflowed and edges were lost.
    public var lineSequence: UInt64?

    public init(edge: Edge, timestamp: Duration, lineSequence: UInt64? = nil) {
        self.edge = edge
        self.timestamp = timestamp
        self.lineSequence = lineSequence
    }

    /// The physical level of the line just after the edge.
    public var level: Bool { edge == .rising }
}
