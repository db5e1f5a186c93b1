/// An output line driving a buzzer, a vibration motor or an LED: the seam between `AlertAnnunciator` and
/// the hardware (`LinuxGPIOOutputLine`) or the simulation (`SimulatedGPIOOutputLine`).
///
/// Lines are owned by one loop at a time (they are not `Sendable`); `set` is a single ioctl that does not
/// block on anything but the kernel.
public protocol GPIOOutputLine: AnyObject {
    /// The line as configured, for logs.
    var label: String { get }
    var polarity: LinePolarity { get }
    /// Drives the line on (`true`) or off, through its polarity.
    func set(_ on: Bool) throws(GPIOError)
    /// Drives the line off, then gives it back to the kernel. Later `set`s fail with `.released`; a second
    /// release does nothing. The line is released even when driving it off fails (that error is thrown).
    func release() throws(GPIOError)
}
