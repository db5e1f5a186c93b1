import CI2C
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// An I2C bus through Linux's `/dev/i2c-N` character device.
///
/// At open it asks the adapter what it can do (`I2C_FUNCS`). Adapters that do plain I2C (the Pi's
/// BCM2835) get combined `I2C_RDWR` transfers; SMBus-only adapters (the kernel's `i2c-stub`, some
/// bridges) get SMBus I2C-block transfers of at most 32 bytes, split as `RegisterAddressing` says.
public final class LinuxI2CBus: I2CBus {
    public enum Transport: String, Sendable {
        /// `I2C_RDWR` combined transfers.
        case plainI2C = "plain I2C"
        /// SMBus byte and I2C-block transfers.
        case smbus = "SMBus"
    }

    public let name: String
    public let functionality: UInt
    public let transport: Transport

    private struct State {
        var fd: Int32
        /// The address last given to `I2C_SLAVE`; SMBus transfers go to it.
        var selected: UInt8?
    }

    private let state: Mutex<State>
    private static let rdwrChunk = 4096

    /// Opens `path`, for example `/dev/i2c-1`.
    public init(path: String, preferredTransport: Transport? = nil) throws(I2CError) {
        let fd = ci2c_open(path)
        guard fd >= 0 else { throw I2CError(bus: path, operation: .open, errno: -fd) }
        var funcs: UInt = 0
        let status = ci2c_functionality(fd, &funcs)
        guard status == 0 else {
            _ = ci2c_close(fd)
            throw I2CError(bus: path, operation: .queryFunctionality, errno: -status)
        }
        let canI2C = funcs & ci2c_func_i2c != 0
        let canBlock = funcs & ci2c_func_smbus_read_i2c_block != 0 && funcs & ci2c_func_smbus_write_i2c_block != 0
        let chosen: Transport
        switch preferredTransport {
        case .plainI2C? where canI2C, nil where canI2C: chosen = .plainI2C
        case .smbus? where canBlock, nil where canBlock: chosen = .smbus
        default:
            _ = ci2c_close(fd)
            throw I2CError(bus: path, operation: .queryFunctionality, errno: EOPNOTSUPP)
        }
        name = path
        functionality = funcs
        transport = chosen
        state = Mutex(State(fd: fd, selected: nil))
    }

    /// Opens `/dev/i2c-<number>`.
    public convenience init(busNumber: Int) throws(I2CError) {
        try self.init(path: "/dev/i2c-\(busNumber)")
    }

    deinit {
        state.withLock { _ = ci2c_close($0.fd) }
    }

    public func read(address: UInt8, register: UInt8, count: Int, addressing: RegisterAddressing) throws(I2CError)
        -> [UInt8]
    {
        guard count > 0 else { return [] }
        let chunk = transport == .plainI2C ? Self.rdwrChunk : Int(ci2c_smbus_block_max)
        let result: Result<[UInt8], I2CError> = state.withLock { state in
            var bytes = [UInt8](repeating: 0, count: count)
            var done = 0
            while done < count {
                let n = min(chunk, count - done)
                let reg = addressing == .incrementing ? register &+ UInt8(truncatingIfNeeded: done) : register
                let status = bytes.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    let base = buffer.baseAddress! + done
                    switch transport {
                    case .plainI2C:
                        return ci2c_rdwr_read(state.fd, UInt16(address), reg, base, UInt16(n))
                    case .smbus:
                        let selected = select(&state, address)
                        guard selected == 0 else { return selected }
                        return ci2c_smbus_read_block(state.fd, reg, base, UInt8(n))
                    }
                }
                if status < 0 {
                    return .failure(
                        I2CError(
                            bus: name, operation: .read, address: address, register: reg, byteCount: n, errno: -status
                        ))
                }
                done += n
            }
            return .success(bytes)
        }
        return try result.get()
    }

    public func write(address: UInt8, register: UInt8, bytes: [UInt8]) throws(I2CError) {
        let chunk = transport == .plainI2C ? Self.rdwrChunk : Int(ci2c_smbus_block_max)
        let failure: I2CError? = state.withLock { state in
            var done = 0
            repeat {
                let n = min(chunk, bytes.count - done)
                let reg = register &+ UInt8(truncatingIfNeeded: done)
                let status = bytes.withUnsafeBufferPointer { buffer -> Int32 in
                    let base = buffer.baseAddress.map { $0 + done }
                    switch transport {
                    case .plainI2C:
                        return ci2c_rdwr_write(state.fd, UInt16(address), reg, base, UInt16(n))
                    case .smbus:
                        let selected = select(&state, address)
                        guard selected == 0 else { return selected }
                        // A bare register write only moves the chip's pointer: SMBus "send byte".
                        if n == 0 { return ci2c_smbus_send_byte(state.fd, reg) }
                        if n == 1 { return ci2c_smbus_write_byte(state.fd, reg, base![0]) }
                        return ci2c_smbus_write_block(state.fd, reg, base, UInt8(n))
                    }
                }
                if status < 0 {
                    return I2CError(
                        bus: name, operation: .write, address: address, register: reg, byteCount: n, errno: -status)
                }
                done += n
            } while done < bytes.count
            return nil
        }
        if let failure { throw failure }
    }

    private func select(_ state: inout State, _ address: UInt8) -> Int32 {
        if state.selected == address { return 0 }
        let status = ci2c_select(state.fd, UInt16(address))
        if status == 0 { state.selected = address }
        return status
    }
}
