import CGpiod

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Opens GPIO lines of the GPIO character devices through libgpiod (1.6 or 2.x, whichever CGpiod was built
/// against). Lines given by name are looked up on every `gpiochipN` of `deviceDirectory`, in numeric order.
public struct LinuxGPIO: Sendable {
    /// Where a line was found.
    public struct Location: Sendable, Hashable {
        public var chipPath: String
        public var offset: UInt32
    }

    /// Where the gpiochip devices are; "/dev" except in tests.
    public var deviceDirectory: String
    /// The consumer name the kernel shows for our lines (`gpioinfo`).
    public var consumer: String

    public init(deviceDirectory: String = "/dev", consumer: String = "kneeload") {
        self.deviceDirectory = deviceDirectory
        self.consumer = consumer
    }

    /// The libgpiod API CGpiod was compiled against: 1 or 2 (0 off Linux).
    public static var apiVersion: Int { Int(cgpiod_api_major()) }

    /// The version of the libgpiod linked at run time, for the start-up log.
    public static var libraryVersion: String { String(cString: cgpiod_library_version()) }

    /// The clock of `GPIOEdgeEvent.timestamp` for lines opened here (CLOCK_MONOTONIC, the default of both
    /// GPIO uAPIs since Linux 5.7); pass it to `AcknowledgeButton.poll(at:)`.
    public static func eventClockNow() -> Duration {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return .seconds(Int64(now.tv_sec)) + .nanoseconds(Int64(now.tv_nsec))
    }

    /// Finds the chip and offset of a line.
    public func locate(_ spec: GPIOLineSpec) throws(GPIOError) -> Location {
        switch spec {
        case .chipOffset(_, let offset):
            return Location(chipPath: spec.chipPath(in: deviceDirectory) ?? deviceDirectory, offset: offset)
        case .named(let name):
            var path = [CChar](repeating: 0, count: 4096)
            var offset: UInt32 = 0
            var chipsSeen: UInt32 = 0
            let result = path.withUnsafeMutableBufferPointer { buffer in
                cgpiod_find_line(deviceDirectory, name, buffer.baseAddress, buffer.count, &offset, &chipsSeen)
            }
            guard result == 0 else {
                throw GPIOError(
                    line: spec.description, operation: .find, chip: deviceDirectory, errno: -result,
                    chipsSearched: Int(chipsSeen))
            }
            return Location(chipPath: Self.string(path), offset: offset)
        }
    }

    /// Requests a line as an output, driven off (through `polarity`) from the first instant.
    public func openOutput(_ spec: GPIOLineSpec, polarity: LinePolarity = .activeHigh) throws(GPIOError)
        -> LinuxGPIOOutputLine
    {
        let location = try locate(spec)
        var handle: OpaquePointer?
        let initial: Int32 = polarity.level(active: false) ? 1 : 0
        let result = cgpiod_request_output(location.chipPath, location.offset, consumer, initial, &handle)
        guard result == 0, let handle else {
            throw requestError(spec, location, .requestOutput, errno: result == 0 ? EIO : -result)
        }
        return LinuxGPIOOutputLine(label: spec.description, location: location, polarity: polarity, handle: handle)
    }

    /// Requests a line as an input with `bias`, with rising and falling edge events.
    public func openInput(_ spec: GPIOLineSpec, bias: GPIOBias) throws(GPIOError) -> LinuxGPIOInputLine {
        let location = try locate(spec)
        var handle: OpaquePointer?
        let result = cgpiod_request_input(location.chipPath, location.offset, consumer, bias.shimValue, 1, &handle)
        guard result == 0, let handle else {
            throw requestError(spec, location, .requestInput, errno: result == 0 ? EIO : -result)
        }
        return LinuxGPIOInputLine(label: spec.description, location: location, handle: handle)
    }

    /// A request error, with what the kernel can add: who holds a busy line, how many lines a chip has.
    private func requestError(
        _ spec: GPIOLineSpec, _ location: Location, _ operation: GPIOError.Operation, errno: Int32
    ) -> GPIOError {
        var error = GPIOError(
            line: spec.description, operation: operation, chip: location.chipPath, offset: location.offset,
            errno: errno)
        if errno == EBUSY {
            var name = [CChar](repeating: 0, count: 64)
            var consumer = [CChar](repeating: 0, count: 64)
            var used: Int32 = 0
            let result = name.withUnsafeMutableBufferPointer { nameBuffer in
                consumer.withUnsafeMutableBufferPointer { consumerBuffer in
                    cgpiod_line_info(
                        location.chipPath, location.offset, nameBuffer.baseAddress, nameBuffer.count, &used,
                        consumerBuffer.baseAddress, consumerBuffer.count)
                }
            }
            let holder = Self.string(consumer)
            if result == 0, !holder.isEmpty { error.holder = holder }
        } else if errno == EINVAL {
            var lines: UInt32 = 0
            if cgpiod_chip_info(location.chipPath, nil, 0, &lines) == 0 { error.chipLineCount = Int(lines) }
        }
        return error
    }

    static func string(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension Duration {
    /// Whole nanoseconds, saturating at the ends of Int64 (about ±292 years).
    var saturatingNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (total, overflowAgain) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflowAgain { return seconds < 0 ? .min : .max }
        return total
    }
}
