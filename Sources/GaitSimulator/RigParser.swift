import KneeloadCore
import KneeloadYAML
import Yams

/// Parses and validates the `rig:` section into a `RigDescription`.
struct RigParser {
    let fields: YAMLFields

    static let keys = [
        "imu", "knee_sensor", "accel_range_g", "gyro_range_dps", "gyro", "barometer", "axis_remap",
        "mount_offset_deg", "accel_noise_g", "gyro_noise_dps", "accel_bias_g", "gyro_bias_dps", "knee_noise_deg",
        "knee_drift_deg", "knee_drift_period_s",
    ]

    func parse(_ node: Node?) throws(ScenarioError) -> RigDescription {
        var rig = RigDescription()
        guard let node else { return rig }
        let map = try fields.mapping(node, path: "rig", allowed: Self.keys)
        func number(_ key: String, _ range: ClosedRange<Double>, _ unit: String) throws(ScenarioError) -> Double? {
            try map[key].map { n throws(ScenarioError) in try fields.number(n, key: "rig.\(key)", range: range, unit: unit) }
        }
        if let n = map["imu"] { rig.imu = try fields.choice(n, key: "rig.imu", as: RigDescription.IMUChip.self) }
        if let n = map["knee_sensor"] {
            rig.kneeSensor = try fields.choice(n, key: "rig.knee_sensor", as: RigDescription.KneeSensorChip.self)
        }
        if let n = map["accel_range_g"] {
            rig.accelRangeG = try fields.oneOf(n, key: "rig.accel_range_g", allowed: RigDescription.allowedAccelRangesG, unit: "g")
        }
        if let n = map["gyro_range_dps"] {
            rig.gyroRangeDps = try fields.oneOf(
                n, key: "rig.gyro_range_dps", allowed: RigDescription.allowedGyroRangesDps, unit: "°/s")
        }
        if let n = map["gyro"] { rig.gyro = try fields.bool(n, key: "rig.gyro") }
        if let n = map["barometer"] { rig.barometer = try fields.bool(n, key: "rig.barometer") }
        if let n = map["axis_remap"] {
            let text = try fields.string(n, key: "rig.axis_remap")
            do {
                rig.axisRemap = try AxisRemap(parsing: text)
            } catch {
                throw fields.error(n, key: "rig.axis_remap", value: text, error.description)
            }
        }
        if let n = map["mount_offset_deg"] {
            let angles = try fields.mapping(n, path: "rig.mount_offset_deg", allowed: ["roll", "pitch", "yaw"])
            func angle(_ key: String) throws(ScenarioError) -> Double {
                try angles[key].map { a throws(ScenarioError) in
                    try fields.number(a, key: "rig.mount_offset_deg.\(key)", range: -180...180, unit: "°")
                } ?? 0
            }
            rig.mountOffsetDeg = RigDescription.MountOffset(roll: try angle("roll"), pitch: try angle("pitch"), yaw: try angle("yaw"))
        }
        if let v = try number("accel_noise_g", 0...1, "g") { rig.accelNoiseG = v }
        if let v = try number("gyro_noise_dps", 0...50, "°/s") { rig.gyroNoiseDps = v }
        if let v = try number("accel_bias_g", 0...1, "g") { rig.accelBiasG = v }
        if let v = try number("gyro_bias_dps", 0...50, "°/s") { rig.gyroBiasDps = v }
        if let v = try number("knee_noise_deg", 0...20, "°") { rig.kneeNoiseDeg = v }
        if let v = try number("knee_drift_deg", 0...45, "°") { rig.kneeDriftDeg = v }
        if let v = try number("knee_drift_period_s", 1...100_000, "s") { rig.kneeDriftPeriodS = v }
        return rig
    }
}
