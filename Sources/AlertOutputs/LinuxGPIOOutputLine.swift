import CGpiod

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An output line requested through libgpiod (`LinuxGPIO.openOutput`). Released, after being driven off,
/// by `release()` or at the latest when the object goes away.
public final class LinuxGPIOOutputLine: GPIOOutputLine {
    public let label: String
    public let location: LinuxGPIO.Location
    public let polarity: LinePolarity
    private var handle: OpaquePointer?

    init(label: String, location: LinuxGPIO.Location, polarity: LinePolarity, handle: OpaquePointer) {
        self.label = label
        self.location = location
        self.polarity = polarity
        self.handle = handle
    }

    deinit {
        try? release()
    }

    public func set(_ on: Bool) throws(GPIOError) {
        guard let handle else { throw error(EBADF) }
        let result = cgpiod_set_value(handle, polarity.level(active: on) ? 1 : 0)
        if result < 0 { throw error(-result) }
    }

    public func release() throws(GPIOError) {
        guard let handle else { return }
        let driven = cgpiod_set_value(handle, polarity.level(active: false) ? 1 : 0)
        cgpiod_release(handle)
        self.handle = nil
        if driven < 0 { throw error(-driven) }
    }

    private func error(_ errno: Int32) -> GPIOError {
        GPIOError(line: label, operation: .set, chip: location.chipPath, offset: location.offset, errno: errno)
    }
}
