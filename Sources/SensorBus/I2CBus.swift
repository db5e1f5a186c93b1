/// The seam between chip drivers and whatever carries their bytes: Linux's `/dev/i2c-N`, or the
/// simulated bus of the `SimulatedBus` module. Drivers are written against this protocol only.
///
/// Every transaction names its 7-bit device address. Multi-byte reads are one combined transaction
/// (write the register pointer, repeated start, read). Failures throw `I2CError` carrying the bus,
/// address, register, operation and errno; an implementation never aborts and never retries silently:
/// retry policy belongs to the caller.
public protocol I2CBus: Sendable {
    /// The bus's name in messages, for example `/dev/i2c-1`.
    var name: String { get }

    /// Reads `count` bytes starting at `register`.
    ///
    /// With `.incrementing`, byte *i* comes from register `register + i` (the chip auto-increments).
    /// With `.fixed`, every byte comes from the same register, as when draining a FIFO data port. The
    /// distinction matters when a transport has to split a long read into several transactions.
    func read(address: UInt8, register: UInt8, count: Int, addressing: RegisterAddressing) throws(I2CError)
        -> [UInt8]

    /// Writes `bytes` starting at `register` (one transaction: register pointer, then the data).
    func write(address: UInt8, register: UInt8, bytes: [UInt8]) throws(I2CError)
}

/// How a chip advances its register pointer during a multi-byte read.
public enum RegisterAddressing: Sendable, Hashable {
    case incrementing
    case fixed
}

extension I2CBus {
    public func read(address: UInt8, register: UInt8, count: Int) throws(I2CError) -> [UInt8] {
        try read(address: address, register: register, count: count, addressing: .incrementing)
    }

    /// SMBus "read byte data".
    public func readByte(address: UInt8, register: UInt8) throws(I2CError) -> UInt8 {
        try read(address: address, register: register, count: 1)[0]
    }

    /// SMBus "write byte data".
    public func writeByte(address: UInt8, register: UInt8, value: UInt8) throws(I2CError) {
        try write(address: address, register: register, bytes: [value])
    }

    /// SMBus "read word data": two bytes, low byte first, as SMBus defines it.
    public func readWordLittleEndian(address: UInt8, register: UInt8) throws(I2CError) -> UInt16 {
        let bytes = try read(address: address, register: register, count: 2)
        return UInt16(bytes[0]) | UInt16(bytes[1]) << 8
    }

    /// Two bytes, high byte first (MPU-6050, ADS1115, AS5600 order).
    public func readWordBigEndian(address: UInt8, register: UInt8) throws(I2CError) -> UInt16 {
        let bytes = try read(address: address, register: register, count: 2)
        return UInt16(bytes[0]) << 8 | UInt16(bytes[1])
    }

    public func writeWordBigEndian(address: UInt8, register: UInt8, value: UInt16) throws(I2CError) {
        try write(address: address, register: register, bytes: [UInt8(value >> 8), UInt8(value & 0xFF)])
    }
}
