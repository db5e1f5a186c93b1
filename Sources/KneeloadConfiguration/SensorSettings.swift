import KneeloadCore
import KneeloadYAML
import SensorDrivers
import Yams

/// The `sensors:` section: which bus, which chips at which addresses (or `auto` to probe their strap
/// addresses), the sample rate, the axis remap into the CONTRACTS §1 frame and the knee sensor's calibration.
///
/// ```yaml
/// sensors:
///   i2c_bus: /dev/i2c-1
///   sample_rate_hz: 100
///   axis_remap: "x,y,z"        # chip axes → frame axes, e.g. "-y,x,z"
///   imu:
///     chip: auto               # auto | mpu6050 | lsm6ds
///     address: auto            # or 0x68, 0x69, 0x6a, 0x6b
///     accel_range_g: 16        # 2 | 4 | 8 | 16
///     gyro_range_dps: 2000     # 250 | 500 | 1000 | 2000
///     gyro: true               # false: accelerometer only
///     fifo: true               # read the chip's FIFO in bursts (no sample lost to a late loop)
///   knee:
///     chip: auto               # auto | ads1115 | as5600
///     address: auto            # ADS1115 0x48–0x4b, AS5600 0x36
///     channel: 0               # ADS1115 input AIN0–AIN3
///     straight_v: 1.146        # flex divider volts with the knee straight …
///     bent_v: 1.877            # … and at bent_deg (two-point calibration)
///     bent_deg: 90
///     zero_offset_deg: 0       # AS5600: encoder angle with the knee straight
///     clockwise_is_flexion: true
/// ```
public struct SensorSettings: Sendable, Equatable {
    public enum IMUChip: String, Sendable, CaseIterable {
        case auto, mpu6050, lsm6ds
    }

    public enum KneeChip: String, Sendable, CaseIterable {
        case auto, ads1115, as5600
    }

    public var i2cBus = "/dev/i2c-1"
    public var sampleRateHz = 100.0
    public var axisRemap = AxisRemap.identity
    public var imuChip = IMUChip.auto
    /// nil: probe the chip family's strap addresses.
    public var imuAddress: UInt8?
    public var accelRangeG = 16
    public var gyroRangeDPS = 2000
    public var useGyro = true
    /// Drain the IMU's FIFO each period instead of reading its output registers.
    public var useFIFO = true
    public var kneeChip = KneeChip.auto
    public var kneeAddress: UInt8?
    public var flexChannel = 0
    public var flexCalibration = FlexCalibration.typical
    public var encoderZeroOffsetDeg = 0.0
    public var encoderClockwiseIsFlexion = true

    /// The rates the engine accepts (it takes the rate from timestamps, 25–1000 Hz).
    public static let sampleRateRangeHz: ClosedRange<Double> = 25...1000

    public init() {}

    public var imuSettings: IMUSettings {
        IMUSettings(accelRangeG: accelRangeG, gyroRangeDPS: gyroRangeDPS, sampleRateHz: sampleRateHz)
    }

    static let keys = ["i2c_bus", "sample_rate_hz", "axis_remap", "imu", "knee"]
    static let imuKeys = ["chip", "address", "accel_range_g", "gyro_range_dps", "gyro", "fifo"]
    static let kneeKeys = [
        "chip", "address", "channel", "straight_v", "bent_v", "bent_deg", "zero_offset_deg", "clockwise_is_flexion",
    ]

    init(_ node: Node, fields: YAMLFields) throws(YAMLError) {
        let keys = try fields.mapping(node, path: "sensors", allowed: Self.keys)
        if let n = keys["i2c_bus"] {
            i2cBus = try fields.string(n, key: "sensors.i2c_bus")
            guard i2cBus.hasPrefix("/") else {
                throw fields.error(n, key: "sensors.i2c_bus", value: i2cBus, "expected a device path such as /dev/i2c-1")
            }
        }
        if let n = keys["sample_rate_hz"] {
            sampleRateHz = try fields.number(n, key: "sensors.sample_rate_hz", range: Self.sampleRateRangeHz, unit: "Hz")
        }
        if let n = keys["axis_remap"] {
            let text = try fields.string(n, key: "sensors.axis_remap")
            do {
                axisRemap = try AxisRemap(parsing: text)
            } catch {
                throw fields.error(n, key: "sensors.axis_remap", value: text, error.description)
            }
        }
        if let imu = keys["imu"] {
            let m = try fields.mapping(imu, path: "sensors.imu", allowed: Self.imuKeys)
            if let n = m["chip"] { imuChip = try fields.choice(n, key: "sensors.imu.chip", as: IMUChip.self) }
            if let n = m["address"] {
                imuAddress = try Self.address(n, key: "sensors.imu.address", allowed: [0x68, 0x69, 0x6A, 0x6B], fields)
            }
            if let n = m["accel_range_g"] {
                accelRangeG = try fields.oneOf(n, key: "sensors.imu.accel_range_g", allowed: [2, 4, 8, 16], unit: "g")
            }
            if let n = m["gyro_range_dps"] {
                gyroRangeDPS = try fields.oneOf(
                    n, key: "sensors.imu.gyro_range_dps", allowed: [250, 500, 1000, 2000], unit: "°/s")
            }
            if let n = m["gyro"] { useGyro = try fields.bool(n, key: "sensors.imu.gyro") }
            if let n = m["fifo"] { useFIFO = try fields.bool(n, key: "sensors.imu.fifo") }
        }
        if let knee = keys["knee"] {
            try parseKnee(knee, fields: fields)
        }
        if imuChip == .mpu6050, let a = imuAddress, a > 0x69 {
            throw fields.error(keys["imu"], key: "sensors.imu.address", value: Self.hex(a), "an MPU-6050 sits at 0x68 or 0x69")
        }
        if imuChip == .lsm6ds, let a = imuAddress, a < 0x6A {
            throw fields.error(keys["imu"], key: "sensors.imu.address", value: Self.hex(a), "an LSM6DS sits at 0x6a or 0x6b")
        }
    }

    private mutating func parseKnee(_ node: Node, fields: YAMLFields) throws(YAMLError) {
        let m = try fields.mapping(node, path: "sensors.knee", allowed: Self.kneeKeys)
        if let n = m["chip"] { kneeChip = try fields.choice(n, key: "sensors.knee.chip", as: KneeChip.self) }
        if let n = m["address"] {
            kneeAddress = try Self.address(n, key: "sensors.knee.address", allowed: [0x36, 0x48, 0x49, 0x4A, 0x4B], fields)
            if kneeChip == .as5600 && kneeAddress != 0x36 || kneeChip == .ads1115 && kneeAddress == 0x36 {
                throw fields.error(
                    n, key: "sensors.knee.address", value: fields.written(n),
                    "an ADS1115 sits at 0x48–0x4b, an AS5600 at 0x36")
            }
        }
        if let n = m["channel"] { flexChannel = try fields.integer(n, key: "sensors.knee.channel", range: 0...3, unit: "") }
        var straight = flexCalibration.straightVolts
        var bent = flexCalibration.bentVolts
        var bentDeg = flexCalibration.bentDeg
        let volts: ClosedRange<Double> = 0...6.144
        if let n = m["straight_v"] { straight = try fields.number(n, key: "sensors.knee.straight_v", range: volts, unit: "V") }
        if let n = m["bent_v"] { bent = try fields.number(n, key: "sensors.knee.bent_v", range: volts, unit: "V") }
        if let n = m["bent_deg"] { bentDeg = try fields.number(n, key: "sensors.knee.bent_deg", range: 10...150, unit: "°") }
        do {
            flexCalibration = try FlexCalibration(straightVolts: straight, bentVolts: bent, bentDeg: bentDeg)
        } catch {
            throw fields.error(m["bent_v"] ?? m["straight_v"] ?? node, key: "sensors.knee.bent_v", value: String(bent), error.description)
        }
        if let n = m["zero_offset_deg"] {
            encoderZeroOffsetDeg = try fields.number(n, key: "sensors.knee.zero_offset_deg", range: 0...360, unit: "°")
        }
        if let n = m["clockwise_is_flexion"] {
            encoderClockwiseIsFlexion = try fields.bool(n, key: "sensors.knee.clockwise_is_flexion")
        }
    }

    /// `auto` (nil) or an address among `allowed`, written as hex (0x68) or decimal.
    private static func address(_ node: Node, key: String, allowed: [UInt8], _ fields: YAMLFields) throws(YAMLError) -> UInt8? {
        let text = try fields.string(node, key: key)
        if text == "auto" { return nil }
        let lower = text.lowercased()
        let value = lower.hasPrefix("0x") ? UInt8(lower.dropFirst(2), radix: 16) : UInt8(lower)
        guard let value, allowed.contains(value) else {
            throw fields.error(node, key: key, value: text, "allowed: auto | " + allowed.map(hex).joined(separator: " | "))
        }
        return value
    }

    static func hex(_ value: UInt8) -> String {
        "0x" + (value < 16 ? "0" : "") + String(value, radix: 16)
    }
}
