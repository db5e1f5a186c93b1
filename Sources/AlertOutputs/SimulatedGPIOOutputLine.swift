/// An output line of a `SimulatedGPIOChip`.
public final class SimulatedGPIOOutputLine: GPIOOutputLine {
    public let label: String
    public let polarity: LinePolarity
    private let chip: SimulatedGPIOChip
    private let offset: Int
    private let requestID: UInt64
    private var released = false

    init(chip: SimulatedGPIOChip, offset: Int, requestID: UInt64, label: String, polarity: LinePolarity) {
        self.chip = chip
        self.offset = offset
        self.requestID = requestID
        self.label = label
        self.polarity = polarity
    }

    deinit {
        try? release()
    }

    public func set(_ on: Bool) throws(GPIOError) {
        try chip.write(offset, requestID: released ? 0 : requestID, level: polarity.level(active: on), label: label)
    }

    public func release() throws(GPIOError) {
        guard !released else { return }
        defer {
            released = true
            chip.release(offset, requestID: requestID)
        }
        try chip.write(offset, requestID: requestID, level: polarity.level(active: false), label: label)
    }
}
