import KneeloadCore

/// The grid every recorded value sits on: exactly the decimals the replay CSV writes (CONTRACTS §2 via
/// `ReplayCSVWriter`): time in µs, acceleration in 10⁻⁵ g, angular rate and flexion in 10⁻³, pressure in
/// 10⁻² Pa. A recorded value decodes as `Double(units) / scale`, the correctly rounded value of its decimal
/// text, which is also what the CSV reader parses from that text; so a recording, its CSV export and the
/// CSV the simulator writes all replay to the same doubles. The daemon feeds the engine the quantized
/// sample `RecordingWriter.append` returns, so the engine sees what the recording holds.
public enum RecordingGrid {
    static let timeScale = 1e6
    static let accelScale = 1e5
    static let gyroScale = 1e3
    static let kneeScale = 1e3
    static let pressureScale = 1e2
    /// Largest |units| recorded: integers up to 2⁵³ convert to and from Double exactly.
    static let limit: Int64 = 1 << 53

    /// Units of `value` on a grid of `scale` per unit, rounded half away from zero like `FixedPointText`;
    /// nil when not finite or too large to record.
    @inline(__always)
    static func units(_ value: Double, _ scale: Double) -> Int64? {
        let scaled = (value * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled.magnitude < Double(limit) else { return nil }  // also false for NaN
        return Int64(scaled)
    }

    /// `sample` on the grid, or nil when one of its values cannot be recorded (not finite, or beyond 2⁵³ units).
    public static func quantize(_ sample: SensorSample) -> SensorSample? {
        guard let t = units(sample.time, timeScale), let ax = units(sample.accel.x, accelScale),
            let ay = units(sample.accel.y, accelScale), let az = units(sample.accel.z, accelScale),
            let knee = units(sample.kneeFlexDeg, kneeScale)
        else { return nil }
        var gyro: Vector3?
        if let g = sample.gyro {
            guard let gx = units(g.x, gyroScale), let gy = units(g.y, gyroScale), let gz = units(g.z, gyroScale) else {
                return nil
            }
            gyro = Vector3(Double(gx) / gyroScale, Double(gy) / gyroScale, Double(gz) / gyroScale)
        }
        var pressure: Double?
        if let p = sample.pressurePa {
            guard let units = units(p, pressureScale) else { return nil }
            pressure = Double(units) / pressureScale
        }
        return SensorSample(
            time: Double(t) / timeScale,
            accel: Vector3(Double(ax) / accelScale, Double(ay) / accelScale, Double(az) / accelScale),
            gyro: gyro, kneeFlexDeg: Double(knee) / kneeScale, pressurePa: pressure)
    }
}
