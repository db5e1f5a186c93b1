/// One sample in the frame and units of CONTRACTS §1.
///
/// Shank frame: `x` up along the shank, `y` forward, `z = x × y` (to the runner's left).
/// Acceleration is specific force in g (standing upright reads about `(+1, 0, 0)`), angular rate in °/s,
/// knee flexion in degrees (0 = straight, positive = flexed), time in seconds on a monotonic clock.
/// A plain value type with no references, so the engine can stream it without allocating.
public struct SensorSample: Sendable, Hashable {
    public var time: Double
    public var accel: Vector3
    /// Nil on a rig without a gyro.
    public var gyro: Vector3?
    public var kneeFlexDeg: Double
    /// Barometric pressure in pascals, where a barometer is fitted.
    public var pressurePa: Double?

    @inlinable
    public init(time: Double, accel: Vector3, gyro: Vector3?, kneeFlexDeg: Double, pressurePa: Double? = nil) {
        self.time = time
        self.accel = accel
        self.gyro = gyro
        self.kneeFlexDeg = kneeFlexDeg
        self.pressurePa = pressurePa
    }
}
