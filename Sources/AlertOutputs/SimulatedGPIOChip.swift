import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A GPIO chip in memory with named lines, for tests and `kneeloadd --simulate`. It behaves as the kernel's
/// GPIO character device does where that matters to a consumer (a line has one consumer at a time, others get
/// EBUSY; edge events are queued with timestamps and sequence numbers; a full queue drops new events, as the
/// kernel's kfifo does, leaving a gap in the sequence), and it records every level of every line with the time
/// it happened, from the clock it is given.
///
/// Levels are physical (true = high). A released output keeps its last level (the kernel leaves a released
/// line's state to the chip driver; real drivers keep it), which is why consumers drive lines off before
/// releasing them.
public final class SimulatedGPIOChip: Sendable {
    /// The chip's name, as `chipOffset` specs name it: "gpiochip0" (also accepted as "/dev/gpiochip0").
    public let name: String
    public let lineNames: [String]
    /// Edge events a line queues before dropping new ones (16 per line in the kernel's v1 uAPI; the v2 default
    /// is 16 per requested line).
    public static let eventQueueCapacity = 16

    private let now: @Sendable () -> Duration
    private let state: Mutex<State>

    private enum Direction {
        case output
        case input(edges: Bool)
    }

    private struct Line {
        var level = false
        /// Set once a test drove the line: from then on the pull no longer decides an input's level.
        var drivenFromOutside = false
        var direction: Direction?
        var consumer: String?
        /// Identifies the current request, so a released line object cannot touch a later request.
        var requestID: UInt64 = 0
        var events: [GPIOEdgeEvent] = []
        var sequence: UInt64 = 0
        var writes = 0
        var writeFault: Int32?
    }

    private struct State {
        var lines: [Line]
        var changes: [GPIOLineChange] = []
        var nextRequestID: UInt64 = 1

        /// Request IDs start at 1; 0 marks a free line and a released line object, which own nothing.
        func owns(_ offset: Int, _ requestID: UInt64) -> Bool {
            requestID != 0 && lines[offset].requestID == requestID
        }
    }

    /// `now` gives the time to record changes and timestamp edges with: the simulation's clock (for example
    /// `{ virtualClock.now }`).
    public init(name: String = "gpiochip0", lineNames: [String], now: @escaping @Sendable () -> Duration) {
        self.name = name
        self.lineNames = lineNames
        self.now = now
        state = Mutex(State(lines: Array(repeating: Line(), count: lineNames.count)))
    }

    // MARK: Consumer side

    public func openOutput(
        _ spec: GPIOLineSpec, polarity: LinePolarity = .activeHigh, consumer: String = "kneeload"
    ) throws(GPIOError) -> SimulatedGPIOOutputLine {
        let offset = try resolve(spec, for: .requestOutput)
        let level = polarity.level(active: false)
        let id = try request(offset, spec: spec, operation: .requestOutput, consumer: consumer) { line in
            line.direction = .output
            line.level = level
        }
        return SimulatedGPIOOutputLine(
            chip: self, offset: offset, requestID: id, label: spec.description, polarity: polarity)
    }

    public func openInput(_ spec: GPIOLineSpec, bias: GPIOBias, consumer: String = "kneeload") throws(GPIOError)
        -> SimulatedGPIOInputLine
    {
        let offset = try resolve(spec, for: .requestInput)
        let id = try request(offset, spec: spec, operation: .requestInput, consumer: consumer) { line in
            line.direction = .input(edges: true)
            if !line.drivenFromOutside, let pulled = bias.idleLevel { line.level = pulled }
            line.events = []
        }
        return SimulatedGPIOInputLine(chip: self, offset: offset, requestID: id, label: spec.description)
    }

    // MARK: Test side

    /// Every recorded level, in order.
    public var changes: [GPIOLineChange] { state.withLock { $0.changes } }

    /// The recorded levels of one line, in order.
    public func changes(on line: String) -> [GPIOLineChange] {
        state.withLock { $0.changes.filter { $0.line == line } }
    }

    /// The line's physical level now; `nil` for a name the chip does not have.
    public func level(of line: String) -> Bool? {
        guard let offset = lineNames.firstIndex(of: line) else { return nil }
        return state.withLock { $0.lines[offset].level }
    }

    /// The consumer holding the line; `nil` when it is free (or unknown).
    public func consumer(of line: String) -> String? {
        guard let offset = lineNames.firstIndex(of: line) else { return nil }
        return state.withLock { $0.lines[offset].consumer }
    }

    /// How many times consumers wrote the line, changing its level or not.
    public func writeCount(of line: String) -> Int {
        guard let offset = lineNames.firstIndex(of: line) else { return 0 }
        return state.withLock { $0.lines[offset].writes }
    }

    /// Drives a line from outside (a button contact) at the chip's current time. If the level changes and an
    /// input with edge detection holds the line, an edge event is queued. Returns false, changing nothing, for
    /// an unknown line or one requested as an output (the consumer drives it).
    @discardableResult
    public func drive(_ line: String, to level: Bool) -> Bool {
        guard let offset = lineNames.firstIndex(of: line) else { return false }
        let time = now()
        return state.withLock { state in
            if case .output = state.lines[offset].direction { return false }
            state.lines[offset].drivenFromOutside = true
            guard state.lines[offset].level != level else { return true }
            state.lines[offset].level = level
            state.changes.append(GPIOLineChange(line: line, time: time, level: level, cause: .external))
            if case .input(edges: true) = state.lines[offset].direction {
                state.lines[offset].sequence += 1
                if state.lines[offset].events.count < Self.eventQueueCapacity {
                    state.lines[offset].events.append(
                        GPIOEdgeEvent(
                            edge: level ? .rising : .falling, timestamp: time,
                            lineSequence: state.lines[offset].sequence))
                }
            }
            return true
        }
    }

    /// Makes every write to the line fail with `errno` (a vanished expander, a revoked request) until called
    /// again with `nil`.
    public func failWrites(on line: String, errno: Int32?) {
        guard let offset = lineNames.firstIndex(of: line) else { return }
        state.withLock { $0.lines[offset].writeFault = errno }
    }

    // MARK: Used by the line objects

    func write(_ offset: Int, requestID: UInt64, level: Bool, label: String) throws(GPIOError) {
        let time = now()
        let failure: Int32? = state.withLock { state in
            guard state.owns(offset, requestID) else { return EBADF }
            state.lines[offset].writes += 1
            if let fault = state.lines[offset].writeFault { return fault }
            guard state.lines[offset].level != level else { return nil }
            state.lines[offset].level = level
            state.changes.append(GPIOLineChange(line: lineNames[offset], time: time, level: level, cause: .set))
            return nil
        }
        if let failure { throw error(label, .set, offset, failure) }
    }

    func read(_ offset: Int, requestID: UInt64, label: String) throws(GPIOError) -> Bool {
        let result: Bool? = state.withLock { state in
            state.owns(offset, requestID) ? state.lines[offset].level : nil
        }
        guard let result else { throw error(label, .read, offset, EBADF) }
        return result
    }

    func hasEdge(_ offset: Int, requestID: UInt64, label: String) throws(GPIOError) -> Bool {
        let result: Bool? = state.withLock { state in
            state.owns(offset, requestID) ? !state.lines[offset].events.isEmpty : nil
        }
        guard let result else { throw error(label, .waitForEdge, offset, EBADF) }
        return result
    }

    func takeEdge(_ offset: Int, requestID: UInt64, label: String) throws(GPIOError) -> GPIOEdgeEvent {
        let result: Result<GPIOEdgeEvent, GPIOError> = state.withLock { state in
            guard state.owns(offset, requestID) else {
                return .failure(error(label, .readEdge, offset, EBADF))
            }
            // The kernel would block here; the simulation cannot wait for an edge nobody will make.
            guard !state.lines[offset].events.isEmpty else { return .failure(error(label, .readEdge, offset, EAGAIN)) }
            return .success(state.lines[offset].events.removeFirst())
        }
        return try result.get()
    }

    /// Ends the request `requestID`; a stale one (already released) does nothing.
    func release(_ offset: Int, requestID: UInt64) {
        let time = now()
        state.withLock { state in
            guard state.owns(offset, requestID) else { return }
            state.lines[offset].requestID = 0
            state.lines[offset].consumer = nil
            state.lines[offset].direction = nil
            state.lines[offset].events = []
            state.changes.append(
                GPIOLineChange(line: lineNames[offset], time: time, level: state.lines[offset].level, cause: .released))
        }
    }

    // MARK: Private

    private func resolve(_ spec: GPIOLineSpec, for operation: GPIOError.Operation) throws(GPIOError) -> Int {
        switch spec {
        case .named(let lineName):
            guard let offset = lineNames.firstIndex(of: lineName) else {
                throw GPIOError(line: spec.description, operation: .find, chip: name, errno: ENOENT, chipsSearched: 1)
            }
            return offset
        case .chipOffset(let chip, let offset):
            guard chip == name || chip.hasSuffix("/" + name) else {
                throw GPIOError(line: spec.description, operation: operation, chip: chip, offset: offset, errno: ENOENT)
            }
            guard offset < lineNames.count else {
                throw GPIOError(
                    line: spec.description, operation: operation, chip: name, offset: offset, errno: EINVAL,
                    chipLineCount: lineNames.count)
            }
            return Int(offset)
        }
    }

    private func request(
        _ offset: Int, spec: GPIOLineSpec, operation: GPIOError.Operation, consumer: String,
        configure: (inout Line) -> Void
    ) throws(GPIOError) -> UInt64 {
        let time = now()
        let holder: String? = state.withLock { state in
            if let holder = state.lines[offset].consumer { return holder }
            let id = state.nextRequestID
            state.nextRequestID += 1
            state.lines[offset].requestID = id
            state.lines[offset].consumer = consumer
            state.lines[offset].sequence = 0
            configure(&state.lines[offset])
            state.changes.append(
                GPIOLineChange(line: lineNames[offset], time: time, level: state.lines[offset].level, cause: .requested))
            return nil
        }
        if let holder {
            throw GPIOError(
                line: spec.description, operation: operation, chip: name, offset: UInt32(offset), errno: EBUSY,
                holder: holder)
        }
        return state.withLock { $0.lines[offset].requestID }
    }

    private func error(_ label: String, _ operation: GPIOError.Operation, _ offset: Int, _ errno: Int32) -> GPIOError {
        GPIOError(line: label, operation: operation, chip: name, offset: UInt32(offset), errno: errno)
    }
}
