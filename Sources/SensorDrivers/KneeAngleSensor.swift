/// A knee-flexion sensor driver: a flex sensor through an ADC, or a magnetic encoder on a hinged brace.
/// `readFlexion()` returns knee flexion in degrees, 0 = straight, positive = flexed (CONTRACTS §1).
public protocol KneeAngleSensor: AnyObject {
    var chip: String { get }
    var address: UInt8 { get }

    func probe() throws(SensorError) -> ChipIdentity
    /// Writes the chip's configuration and verifies it by read-back.
    func configure() throws(SensorError)
    func readFlexion() throws(SensorError) -> Double
}
