import KneeloadCore

/// Collects quantized samples and encodes them as the payload of one samples frame:
///
///     channels(u8: bit 0 gyro, bit 1 pressure) count(varint)
///     first sequence(varint) first time µs and first value of each channel (zigzag varints)
///     bitstream, per column (sequence, time, ax, ay, az, [gx, gy, gz], knee, [pressure]):
///         6-bit Rice parameter k (63: every residual is zero, no codes follow), then count−1 Rice codes
///
/// Residuals: sequence step − 1; time's second difference (a steady rate costs almost nothing); every
/// value's first difference, zigzag-mapped. Sensor noise makes higher-order prediction worse, not better.
struct SampleBlockEncoder {
    static let maxCount = 4096
    static let allZero: UInt64 = 63

    let hasGyro: Bool
    let hasPressure: Bool
    private(set) var count = 0
    private(set) var firstTime = 0.0
    private(set) var lastTime = -Double.infinity
    private var sequences: [UInt64] = []
    /// time, ax, ay, az, [gx, gy, gz], knee, [pressure]
    private var columns: [[Int64]]

    init(hasGyro: Bool, hasPressure: Bool) {
        self.hasGyro = hasGyro
        self.hasPressure = hasPressure
        columns = Array(repeating: [], count: Self.columnCount(hasGyro: hasGyro, hasPressure: hasPressure))
    }

    static func columnCount(hasGyro: Bool, hasPressure: Bool) -> Int { 5 + (hasGyro ? 3 : 0) + (hasPressure ? 1 : 0) }

    var channelMask: UInt8 { (hasGyro ? 1 : 0) | (hasPressure ? 2 : 0) }

    /// Adds a sample already on `RecordingGrid` whose shape matches this block (the writer checks).
    mutating func append(_ sample: SensorSample, sequence: UInt64) {
        if count == 0 { firstTime = sample.time }
        lastTime = sample.time
        sequences.append(sequence)
        var c = 0
        func put(_ value: Double, _ scale: Double) {
            columns[c].append(RecordingGrid.units(value, scale) ?? 0)
            c += 1
        }
        put(sample.time, RecordingGrid.timeScale)
        put(sample.accel.x, RecordingGrid.accelScale)
        put(sample.accel.y, RecordingGrid.accelScale)
        put(sample.accel.z, RecordingGrid.accelScale)
        if hasGyro, let gyro = sample.gyro {
            put(gyro.x, RecordingGrid.gyroScale)
            put(gyro.y, RecordingGrid.gyroScale)
            put(gyro.z, RecordingGrid.gyroScale)
        }
        put(sample.kneeFlexDeg, RecordingGrid.kneeScale)
        if hasPressure { put(sample.pressurePa ?? 0, RecordingGrid.pressureScale) }
        count += 1
    }

    /// The frame payload for the samples so far; empties the block.
    mutating func encode() -> [UInt8] {
        var head: [UInt8] = [channelMask]
        RecordingFormat.appendVarint(UInt64(count), to: &head)
        RecordingFormat.appendVarint(sequences[0], to: &head)
        for column in columns { RecordingFormat.appendSignedVarint(column[0], to: &head) }
        var bits = BitWriter(appendingTo: head)
        if count > 1 {
            var residuals = [UInt64](repeating: 0, count: count - 1)
            for i in 1..<count { residuals[i - 1] = sequences[i] &- sequences[i - 1] &- 1 }
            Self.writeColumn(residuals, to: &bits)
            var previousStep: Int64 = 0
            for i in 1..<count {
                let step = columns[0][i] &- columns[0][i - 1]
                residuals[i - 1] = RecordingFormat.zigzag(step &- previousStep)
                previousStep = step
            }
            Self.writeColumn(residuals, to: &bits)
            for column in columns.dropFirst() {
                for i in 1..<count { residuals[i - 1] = RecordingFormat.zigzag(column[i] &- column[i - 1]) }
                Self.writeColumn(residuals, to: &bits)
            }
        }
        count = 0
        sequences.removeAll(keepingCapacity: true)
        for c in columns.indices { columns[c].removeAll(keepingCapacity: true) }
        return bits.finish()
    }

    /// The cheapest Rice parameter near log2 of the mean residual, then the codes.
    private static func writeColumn(_ residuals: [UInt64], to bits: inout BitWriter) {
        var sum: Double = 0
        var any: UInt64 = 0
        for r in residuals {
            sum += Double(r)
            any |= r
        }
        guard any != 0 else {
            bits.write(allZero, bits: 6)
            return
        }
        let mean = min(sum / Double(residuals.count), 0x1p62)
        let guess = mean >= 1 ? 63 - UInt64(mean).leadingZeroBitCount : 0
        let top = BitWriter.maxRiceParameter
        var best = (k: 0, cost: Int.max)
        for k in min(max(0, guess - 2), top)...min(top, guess + 2) {
            var cost = 0
            for r in residuals { cost += BitWriter.riceCost(r, k: k) }
            if cost < best.cost { best = (k, cost) }
        }
        bits.write(UInt64(best.k), bits: 6)
        for r in residuals { bits.writeRice(r, k: best.k) }
    }
}
