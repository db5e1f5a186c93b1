import Foundation

/// What a replay needs to know besides the samples, written as JSON in each file's header frame: the chips
/// and their ranges and scales, the nominal rate, the axis remap, the flex calibration, the configuration
/// text and when the file was started. Fields are optional where a source may not know them; readers
/// ignore fields they do not know, so more can be added.
public struct RecordingContext: Sendable, Hashable, Codable {
    public struct FlexCalibrationValues: Sendable, Hashable, Codable {
        public var straightVolts: Double
        public var bentVolts: Double
        public var bentDeg: Double

        public init(straightVolts: Double, bentVolts: Double, bentDeg: Double) {
            self.straightVolts = straightVolts
            self.bentVolts = bentVolts
            self.bentDeg = bentDeg
        }

        enum CodingKeys: String, CodingKey {
            case straightVolts = "straight_volts", bentVolts = "bent_volts", bentDeg = "bent_deg"
        }
    }

    /// Who wrote the recording, e.g. "kneeloadd 1.0" or "kneeload simulate stairs seed 1".
    public var source: String
    /// Wall clock when the file was started, seconds since 1970 UTC (set by the writer when it has a clock).
    public var startUnixTimeS: Double?
    public var nominalRateHz: Double
    public var imuChip: String?
    public var kneeSensorChip: String?
    public var accelRangeG: Int?
    public var gyroRangeDps: Int?
    public var accelGPerLSB: Double?
    public var gyroDpsPerLSB: Double?
    /// Chip axes to the CONTRACTS §1 frame, as `AxisRemap(parsing:)` reads it.
    public var axisRemap: String
    public var flexCalibration: FlexCalibrationValues?
    /// The AS5600 reading of a straight knee, for rigs with an encoder.
    public var kneeZeroOffsetDeg: Double?
    /// The configuration file's text (CONTRACTS §4) in force when the file was started.
    public var configuration: String?
    /// 1 for the first file of a recording, counting up across rotations.
    public var part: Int

    public init(
        source: String, nominalRateHz: Double, axisRemap: String = "x,y,z", startUnixTimeS: Double? = nil,
        imuChip: String? = nil, kneeSensorChip: String? = nil, accelRangeG: Int? = nil, gyroRangeDps: Int? = nil,
        accelGPerLSB: Double? = nil, gyroDpsPerLSB: Double? = nil, flexCalibration: FlexCalibrationValues? = nil,
        kneeZeroOffsetDeg: Double? = nil, configuration: String? = nil, part: Int = 1
    ) {
        self.source = source
        self.startUnixTimeS = startUnixTimeS
        self.nominalRateHz = nominalRateHz
        self.imuChip = imuChip
        self.kneeSensorChip = kneeSensorChip
        self.accelRangeG = accelRangeG
        self.gyroRangeDps = gyroRangeDps
        self.accelGPerLSB = accelGPerLSB
        self.gyroDpsPerLSB = gyroDpsPerLSB
        self.axisRemap = axisRemap
        self.flexCalibration = flexCalibration
        self.kneeZeroOffsetDeg = kneeZeroOffsetDeg
        self.configuration = configuration
        self.part = part
    }

    enum CodingKeys: String, CodingKey {
        case source, startUnixTimeS = "start_unix_time_s", nominalRateHz = "nominal_rate_hz", imuChip = "imu_chip"
        case kneeSensorChip = "knee_sensor_chip", accelRangeG = "accel_range_g", gyroRangeDps = "gyro_range_dps"
        case accelGPerLSB = "accel_g_per_lsb", gyroDpsPerLSB = "gyro_dps_per_lsb", axisRemap = "axis_remap"
        case flexCalibration = "flex_calibration", kneeZeroOffsetDeg = "knee_zero_offset_deg"
        case configuration, part
    }

    /// Deterministic JSON: keys in a fixed order, absent values left out, numbers with fixed decimals.
    public var jsonText: String {
        var json = JSONText()
        json.beginObject()
        json.string(CodingKeys.source.rawValue, source)
        if let startUnixTimeS { json.number(CodingKeys.startUnixTimeS.rawValue, startUnixTimeS, decimals: 3) }
        json.number(CodingKeys.nominalRateHz.rawValue, nominalRateHz, decimals: 6)
        if let imuChip { json.string(CodingKeys.imuChip.rawValue, imuChip) }
        if let kneeSensorChip { json.string(CodingKeys.kneeSensorChip.rawValue, kneeSensorChip) }
        if let accelRangeG { json.integer(CodingKeys.accelRangeG.rawValue, accelRangeG) }
        if let gyroRangeDps { json.integer(CodingKeys.gyroRangeDps.rawValue, gyroRangeDps) }
        if let accelGPerLSB { json.number(CodingKeys.accelGPerLSB.rawValue, accelGPerLSB, decimals: 9) }
        if let gyroDpsPerLSB { json.number(CodingKeys.gyroDpsPerLSB.rawValue, gyroDpsPerLSB, decimals: 9) }
        json.string(CodingKeys.axisRemap.rawValue, axisRemap)
        if let flexCalibration {
            json.beginObject(CodingKeys.flexCalibration.rawValue)
            json.number("straight_volts", flexCalibration.straightVolts, decimals: 6)
            json.number("bent_volts", flexCalibration.bentVolts, decimals: 6)
            json.number("bent_deg", flexCalibration.bentDeg, decimals: 6)
            json.endObject()
        }
        if let kneeZeroOffsetDeg { json.number(CodingKeys.kneeZeroOffsetDeg.rawValue, kneeZeroOffsetDeg, decimals: 6) }
        if let configuration { json.string(CodingKeys.configuration.rawValue, configuration) }
        json.integer(CodingKeys.part.rawValue, part)
        json.endObject()
        return json.text
    }

    /// Parses the header's JSON; nil when it is not a context (the reader reports that, samples still read).
    public init?(jsonText: String) {
        guard let value = try? JSONDecoder().decode(RecordingContext.self, from: Data(jsonText.utf8)) else { return nil }
        self = value
    }
}
