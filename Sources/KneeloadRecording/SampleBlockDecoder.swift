import KneeloadCore

/// Decodes the payload `SampleBlockEncoder` writes. Every field is checked (counts, Rice parameters, the
/// bitstream's length, time and sequence strictly increasing, values within the grid's range), so a payload
/// that passed its CRC by chance, or was crafted, gives a reason instead of a trap or nonsense samples.
///
/// The block's samples and sequence numbers land in storage the decoder keeps (`samples`, `sequences`,
/// the first `count` entries), written in place rather than appended, so the reader hands them out without
/// copying a block and nothing is allocated after the first block.
@usableFromInline
struct SampleBlockDecoder {
    /// One column after another, `SampleBlockEncoder.maxCount` entries each; reused between blocks.
    private var columns = [Int64](repeating: 0, count: 9 * SampleBlockEncoder.maxCount)
    @usableFromInline private(set) var sequences = [UInt64](repeating: 0, count: SampleBlockEncoder.maxCount)
    @usableFromInline private(set) var samples = [SensorSample](
        repeating: SensorSample(time: 0, accel: .zero, gyro: nil, kneeFlexDeg: 0), count: SampleBlockEncoder.maxCount)
    /// Samples of the last block decoded; 0 after a payload that did not decode.
    private(set) var count = 0

    /// Decodes one block into `samples` and `sequences`; returns why the payload is not a valid block, or nil.
    mutating func decode(
        _ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int, hasGyro: Bool, hasPressure: Bool
    ) -> String? {
        count = 0
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
                    // Each column is decoded in a tight loop into its storage, running values kept in
                    // locals; the checks (which decide the reason given) run over the stored column after.
                    let codes = count - 1
                    // Sequence: steps of at least one.
                    var k = Int(bits.read(bits: 6))
                    var sequence = firstSequence
                    if k == SampleBlockEncoder.allZero {
                        // Steps of one increase unless they wrap past the largest sequence number.
                        guard firstSequence <= UInt64.max - UInt64(codes) else { return "sequence numbers do not increase" }
                        for i in 1..<count {
                            sequence &+= 1
                            seq[i] = sequence
                        }
                    } else {
                        guard k <= BitWriter.maxRiceParameter else { return "bad Rice parameter" }
                        // Stored through their bit patterns: same arithmetic, wrapping alike.
                        (seq.baseAddress! + 1).withMemoryRebound(to: Int64.self, capacity: codes) {
                            Self.readColumn(&bits, .sequence, k: k, first: Int64(bitPattern: sequence), into: $0, count: codes)
                        }
                        for i in 1..<count where seq[i] <= seq[i - 1] { return "sequence numbers do not increase" }
                    }
                    // Time: second differences; every step must be positive.
                    k = Int(bits.read(bits: 6))
                    if k == SampleBlockEncoder.allZero { return "time does not increase" }  // a zero first step
                    guard k <= BitWriter.maxRiceParameter else { return "bad Rice parameter" }
                    let times = col.baseAddress! + 1
                    Self.readColumn(&bits, .time, k: k, first: col[0], into: times, count: codes)
                    // The steps are the wrapping differences of the stored times, exactly as accumulated.
                    var smallestStep = Int64.max, latest = Int64.min
                    for i in 0..<codes {
                        smallestStep = min(smallestStep, times[i] &- times[i &- 1])
                        latest = max(latest, times[i])
                    }
                    if smallestStep <= 0 || latest >= limit { return "time does not increase" }
                    // Values: first differences.
                    for c in 1..<columnCount {
                        let base = c * maxCount
                        k = Int(bits.read(bits: 6))
                        if k == SampleBlockEncoder.allZero {
                            for i in 1..<count { col[base + i] = col[base] }
                            continue
                        }
                        guard k <= BitWriter.maxRiceParameter else { return "bad Rice parameter" }
                        let values = col.baseAddress! + base + 1
                        Self.readColumn(&bits, .value, k: k, first: col[base], into: values, count: codes)
                        if !Self.allWithinLimit(values, count: codes) { return "value out of range" }
                    }
                }
                if bits.overrun { return "bitstream cut short" }
                if bits.bitsTotal - bits.bitsConsumed >= 8 { return "bytes left over after the samples" }
                return nil
            }
        }
        if let problem { return problem }
        columns.withUnsafeBufferPointer { col in
            samples.withUnsafeMutableBufferPointer { out in
                Self.convert(col, count: count, hasGyro: hasGyro, hasPressure: hasPressure, into: out)
            }
        }
        self.count = count
        return nil
    }

    /// Whether every |value| is below `RecordingGrid.limit`. The limit is a power of two, so that is whether
    /// the OR of all magnitudes is below it: a branch-free pass instead of two comparisons a value.
    private static func allWithinLimit(_ values: UnsafeMutablePointer<Int64>, count: Int) -> Bool {
        let limit = UInt64(RecordingGrid.limit)
        assert(limit.nonzeroBitCount == 1)
        var magnitudes: UInt64 = 0
        for i in 0..<count { magnitudes |= values[i].magnitude }
        return magnitudes < limit
    }

    /// How a column's codes become its values.
    private enum Coding {
        /// Sequence numbers: a code is the step minus one.
        case sequence
        /// Times: a code is the zigzagged second difference.
        case time
        /// Channel values: a code is the zigzagged first difference.
        case value
    }

    /// Reads `count` codes of one column into `out`, continuing from `first` (sequence numbers are stored
    /// as their bit patterns).
    private static func readColumn(
        _ bits: inout BitReader, _ coding: Coding, k: Int, first: Int64, into out: UnsafeMutablePointer<Int64>,
        count: Int
    ) {
        var running = (value: first, step: Int64(0))
        var i = 0
        while true {
            i = readPlainCodes(&bits, coding, k: k, running: &running, into: out, from: i, count: count)
            if i == count { return }
            accumulate(coding, bits.readRice(k: k), &running)
            out[i] = running.value
            i += 1
        }
    }

    /// `BitReader.readPlainRiceCodes` for one column. Never inlined, and it calls nothing: inside the whole
    /// of `decode`, or next to a call, the compiler runs out of registers and spills the reader's state.
    @inline(never)
    private static func readPlainCodes(
        _ bits: inout BitReader, _ coding: Coding, k: Int, running: inout (value: Int64, step: Int64),
        into out: UnsafeMutablePointer<Int64>, from start: Int, count: Int
    ) -> Int {
        var r = running
        defer { running = r }
        switch coding {
        case .sequence:
            return bits.readPlainRiceCodes(k: k, from: start, count: count) { i, code in
                accumulate(.sequence, code, &r)
                out[i] = r.value
            }
        case .time:
            return bits.readPlainRiceCodes(k: k, from: start, count: count) { i, code in
                accumulate(.time, code, &r)
                out[i] = r.value
            }
        case .value:
            return bits.readPlainRiceCodes(k: k, from: start, count: count) { i, code in
                accumulate(.value, code, &r)
                out[i] = r.value
            }
        }
    }

    @inline(__always)
    private static func accumulate(_ coding: Coding, _ code: UInt64, _ running: inout (value: Int64, step: Int64)) {
        switch coding {
        case .sequence:
            running.value = running.value &+ Int64(bitPattern: code) &+ 1
        case .time:
            running.step = running.step &+ RecordingFormat.unzigzag(code)
            running.value = running.value &+ running.step
        case .value:
            running.value = running.value &+ RecordingFormat.unzigzag(code)
        }
    }

    /// Grid units to samples: `Double(units) / scale`, exactly as the CSV reader gets them (a division, not a
    /// multiplication by the reciprocal, which could differ in the last bit). Two values share one SIMD
    /// division; each lane is still correctly rounded, so the doubles are the same as one at a time.
    @inline(__always)
    private static func convert(
        _ col: UnsafeBufferPointer<Int64>, count: Int, hasGyro: Bool, hasPressure: Bool,
        into out: UnsafeMutableBufferPointer<SensorSample>
    ) {
        let m = SampleBlockEncoder.maxCount
        let time = RecordingGrid.timeScale, accel = RecordingGrid.accelScale
        let gyro = RecordingGrid.gyroScale, knee = RecordingGrid.kneeScale, pressure = RecordingGrid.pressureScale
        @inline(__always)
        func pair(_ a: Int, _ b: Int, _ i: Int, _ scales: SIMD2<Double>) -> SIMD2<Double> {
            SIMD2(Double(col[a * m + i]), Double(col[b * m + i])) / scales
        }
        if hasGyro {
            // time ax | ay az | gx gy | gz knee | pressure
            for i in 0..<count {
                let timeX = pair(0, 1, i, SIMD2(time, accel)), yz = pair(2, 3, i, SIMD2(accel, accel))
                let gxy = pair(4, 5, i, SIMD2(gyro, gyro)), gzKnee = pair(6, 7, i, SIMD2(gyro, knee))
                out[i] = SensorSample(
                    time: timeX[0], accel: Vector3(timeX[1], yz[0], yz[1]), gyro: Vector3(gxy[0], gxy[1], gzKnee[0]),
                    kneeFlexDeg: gzKnee[1], pressurePa: hasPressure ? Double(col[8 * m + i]) / pressure : nil)
            }
        } else {
            // time ax | ay az | knee pressure
            for i in 0..<count {
                let timeX = pair(0, 1, i, SIMD2(time, accel)), yz = pair(2, 3, i, SIMD2(accel, accel))
                let kneeValue: Double, pressureValue: Double?
                if hasPressure {
                    let both = pair(4, 5, i, SIMD2(knee, pressure))
                    kneeValue = both[0]
                    pressureValue = both[1]
                } else {
                    kneeValue = Double(col[4 * m + i]) / knee
                    pressureValue = nil
                }
                out[i] = SensorSample(
                    time: timeX[0], accel: Vector3(timeX[1], yz[0], yz[1]), gyro: nil, kneeFlexDeg: kneeValue,
                    pressurePa: pressureValue)
            }
        }
    }
}
