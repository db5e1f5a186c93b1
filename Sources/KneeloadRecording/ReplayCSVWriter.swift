import KneeloadCore

/// Writes the replay CSV of CONTRACTS §2: a header line naming the columns, then one row per sample.
///
/// Columns: `t_s,ax_g,ay_g,az_g`, then `gx_dps,gy_dps,gz_dps` when the rig has a gyro, `knee_flex_deg`,
/// `pressure_pa` when it has a barometer, and any extra text columns (for example `label`) last.
/// Numbers have fixed decimals (time 6, acceleration 5, rate 3, angle 3, pressure 2), so the same samples
/// always give the same bytes. Bytes accumulate in `buffer`; the caller flushes them where it likes.
public struct ReplayCSVWriter: Sendable {
    public let hasGyro: Bool
    public let hasPressure: Bool
    public let extraColumns: [String]
    public private(set) var buffer: [UInt8] = []
    public private(set) var rows = 0

    public init(hasGyro: Bool, hasPressure: Bool = false, extraColumns: [String] = [], comments: [String] = []) {
        self.hasGyro = hasGyro
        self.hasPressure = hasPressure
        self.extraColumns = extraColumns
        buffer.reserveCapacity(1 << 16)
        for comment in comments { appendComment(comment) }
        buffer.append(contentsOf: Array(Self.header(hasGyro: hasGyro, hasPressure: hasPressure, extra: extraColumns).utf8))
        buffer.append(UInt8(ascii: "\n"))
    }

    public static func header(hasGyro: Bool, hasPressure: Bool, extra: [String] = []) -> String {
        var columns = ["t_s", "ax_g", "ay_g", "az_g"]
        if hasGyro { columns += ["gx_dps", "gy_dps", "gz_dps"] }
        columns.append("knee_flex_deg")
        if hasPressure { columns.append("pressure_pa") }
        return (columns + extra).joined(separator: ",")
    }

    /// Appends one row. `extra` holds one value per extra column; commas and newlines in it are replaced
    /// by spaces (extra columns are free text such as labels, never quoted CSV).
    public mutating func append(_ sample: SensorSample, extra: [String] = []) {
        precondition(extra.count == extraColumns.count, "one value per extra column")
        precondition(!hasGyro || sample.gyro != nil, "a gyro column set needs gyro samples")
        let comma = UInt8(ascii: ",")
        FixedPointText.append(sample.time, decimals: 6, to: &buffer)
        for value in [sample.accel.x, sample.accel.y, sample.accel.z] {
            buffer.append(comma)
            FixedPointText.append(value, decimals: 5, to: &buffer)
        }
        if hasGyro, let gyro = sample.gyro {
            for value in [gyro.x, gyro.y, gyro.z] {
                buffer.append(comma)
                FixedPointText.append(value, decimals: 3, to: &buffer)
            }
        }
        buffer.append(comma)
        FixedPointText.append(sample.kneeFlexDeg, decimals: 3, to: &buffer)
        if hasPressure {
            buffer.append(comma)
            FixedPointText.append(sample.pressurePa ?? .nan, decimals: 2, to: &buffer)
        }
        for text in extra {
            buffer.append(comma)
            for byte in text.utf8 {
                buffer.append(byte == comma || byte == 10 || byte == 13 ? UInt8(ascii: " ") : byte)
            }
        }
        buffer.append(UInt8(ascii: "\n"))
        rows += 1
    }

    /// Appends `text` as `#` comment lines (a newline in it starts another comment line).
    public mutating func appendComment(_ text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            buffer.append(contentsOf: Array("# \(line.filter { $0 != "\r" })\n".utf8))
        }
    }

    /// Hands over the bytes written so far and empties the buffer.
    public mutating func takeBytes() -> [UInt8] {
        defer { buffer.removeAll(keepingCapacity: true) }
        return buffer
    }
}
