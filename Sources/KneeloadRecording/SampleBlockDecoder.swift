import KneeloadCore

/// Decodes the payload `SampleBlockEncoder` writes. Every field is checked (counts, Rice parameters, the
/// bitstream's length, time and sequence strictly increasing, values within the grid's range), so a payload
/// that passed its CRC by chance, or was crafted, gives a reason instead of a trap or nonsense samples.
struct SampleBlockDecoder {
    /// One column after another, `SampleBlockEncoder.maxCount` entries each; reused between blocks.
    private var columns = [Int64](repeating: 0, count: 9 * SampleBlockEncoder.maxCount)
    private(set) var sequences = [UInt64](repeating: 0, count: SampleBlockEncoder.maxCount)

    /// Appends the block's samples to `samples`; returns why the payload is not a valid block, or nil.
    /// On failure `samples` is left as it was.
    mutating func decode(
        _ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int, hasGyro: Bool, hasPressure: Bool,
        into samples: inout [SensorSample]
    ) -> String? {
        var cursor = ByteCursor(bytes: bytes, offset: start, end: end)
        guard let mask = cursor.uint8() else { return "empty samples frame" }
        guard mask == (hasGyro ? 1 : 0) | (hasPressure ? 2 : 0) else {
            return "channels \(mask) differ from the file header's"
        }
        guard let rawCount = cursor.varint(), rawCount >= 1, rawCount <= UInt64(SampleBlockEncoder.maxCount) else {
            return "sample count out of range"
        }
        let count = Int(rawCount)
        let columnCount = SampleBlockEncoder.columnCount(hasGyro: hasGyro, hasPressure: hasPressure)
        guard let firstSequence = cursor.varint() else { return "block header cut short" }
        let limit = RecordingGrid.limit
        var firsts: (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0, 0, 0, 0, 0)
        var problem: String?
        withUnsafeMutableBytes(of: &firsts) { raw in
            let f = raw.bindMemory(to: Int64.self)
            for c in 0..<columnCount {
                guard let value = cursor.signedVarint(), value > -limit, value < limit else {
                    problem = "block header cut short or value out of range"
                    return
                }
                f[c] = value
            }
        }
        if let problem { return problem }
        let maxCount = SampleBlockEncoder.maxCount
        problem = columns.withUnsafeMutableBufferPointer { col -> String? in
            sequences.withUnsafeMutableBufferPointer { seq -> String? in
                var bits = BitReader(bytes, from: cursor.offset, to: end)
                withUnsafeBytes(of: firsts) { raw in
                    let f = raw.bindMemory(to: Int64.self)
                    for c in 0..<columnCount { col[c * maxCount] = f[c] }
                }
                seq[0] = firstSequence
                if count > 1 {
                    // Sequence: steps of at least one.
                    var k = Int(bits.read(bits: 6))
                    if k == SampleBlockEncoder.allZero {
                        for i in 1..<count { seq[i] = seq[i - 1] &+ 1 }
                    } else {
                        guard k <= BitWriter.maxRiceParameter else { return "bad Rice parameter" }
                        for i in 1..<count { seq[i] = seq[i - 1] &+ bits.readRice(k: k) &+ 1 }
                    }
                    for i in 1..<count where seq[i] <= seq[i - 1] { return "sequence numbers do not increase" }
                    // Time: second differences; every step must be positive.
                    k = Int(bits.read(bits: 6))
                    var step: Int64 = 0
                    var t = col[0]
                    var bad = false
                    if k == SampleBlockEncoder.allZero {
                        bad = true  // a zero first step
                    } else {
                        guard k <= BitWriter.maxRiceParameter else { return "bad Rice parameter" }
                        for i in 1..<count {
                            step = step &+ RecordingFormat.unzigzag(bits.readRice(k: k))
                            t = t &+ step
                            col[i] = t
                            bad = bad || step <= 0 || t >= limit
                        }
                    }
                    if bad { return "time does not increase" }
                    // Values: first differences.
                    for c in 1..<columnCount {
                        let base = c * maxCount
                        k = Int(bits.read(bits: 6))
                        if k == SampleBlockEncoder.allZero {
                            for i in 1..<count { col[base + i] = col[base] }
                            continue
                        }
                        guard k <= BitWriter.maxRiceParameter else { return "bad Rice parameter" }
                        var v = col[base]
                        var outside = false
                        for i in 1..<count {
                            v = v &+ RecordingFormat.unzigzag(bits.readRice(k: k))
                            col[base + i] = v
                            outside = outside || v <= -limit || v >= limit
                        }
                        if outside { return "value out of range" }
                    }
                }
                if bits.overrun { return "bitstream cut short" }
                if bits.bitsTotal - bits.bitsConsumed >= 8 { return "bytes left over after the samples" }
                return nil
            }
        }
        if let problem { return problem }
        samples.reserveCapacity(samples.count + count)
        columns.withUnsafeBufferPointer { col in
            let time = RecordingGrid.timeScale, accel = RecordingGrid.accelScale
            let gyroScale = RecordingGrid.gyroScale, knee = RecordingGrid.kneeScale
            let pressure = RecordingGrid.pressureScale
            let kneeColumn = hasGyro ? 7 : 4
            for i in 0..<count {
                var gyro: Vector3?
                if hasGyro {
                    gyro = Vector3(
                        Double(col[4 * maxCount + i]) / gyroScale, Double(col[5 * maxCount + i]) / gyroScale,
                        Double(col[6 * maxCount + i]) / gyroScale)
                }
                samples.append(
                    SensorSample(
                        time: Double(col[i]) / time,
                        accel: Vector3(
                            Double(col[maxCount + i]) / accel, Double(col[2 * maxCount + i]) / accel,
                            Double(col[3 * maxCount + i]) / accel),
                        gyro: gyro,
                        kneeFlexDeg: Double(col[kneeColumn * maxCount + i]) / knee,
                        pressurePa: hasPressure ? Double(col[(kneeColumn + 1) * maxCount + i]) / pressure : nil))
            }
        }
        return nil
    }
}
