/// A register-level model of one I2C chip, as the bus sees it: write transactions and read transactions.
///
/// The model owns its register pointer and decides how it advances (auto-increment, FIFO ports that do
/// not advance, pointer registers), so each chip behaves as its datasheet says. `time` is the bus's
/// virtual time at the transaction; models compute what happened since the last call lazily (FIFO
/// filling, conversions finishing), which keeps them cheap and deterministic.
public protocol SimulatedDevice: AnyObject {
    /// The chip's name in messages, for example `MPU-6050`.
    var model: String { get }

    /// A write transaction: the bytes sent after the address byte. The first is normally the register
    /// pointer; any further bytes are data written from there.
    func receive(_ bytes: [UInt8], at time: Duration)

    /// A read transaction of `count` bytes from the current register pointer.
    func transmit(count: Int, at time: Duration) -> [UInt8]

    /// Power-on reset: every register back to its reset value, FIFO empty.
    func powerOnReset(at time: Duration)

    /// Fills the FIFO past its capacity at `time`, where the chip has one (fault injection).
    func forceFIFOOverflow(at time: Duration)
}

extension SimulatedDevice {
    public func forceFIFOOverflow(at time: Duration) {}
}
