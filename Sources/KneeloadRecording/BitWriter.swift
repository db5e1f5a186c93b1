/// Appends bit fields least significant bit first, and Rice codes (Golomb codes with a power-of-two
/// divisor, R. F. Rice 1979) with an escape for outliers: the entropy coder of a sample block.
struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private var accumulator: UInt64 = 0
    private var filled = 0

    /// A unary run of this many zeros means "escaped": a 6-bit length L−1, then the value in L bits.
    static let escapeRun = 24
    /// Largest Rice parameter; larger values go through the escape.
    static let maxRiceParameter = 32

    init(appendingTo bytes: [UInt8]) { self.bytes = bytes }

    /// Writes the low `bits` (0...32) bits of `value`.
    mutating func write(_ value: UInt64, bits: Int) {
        accumulator |= (value & ((1 << UInt64(bits)) &- 1)) << UInt64(filled)
        filled += bits
        while filled >= 8 {
            bytes.append(UInt8(truncatingIfNeeded: accumulator))
            accumulator >>= 8
            filled -= 8
        }
    }

    /// Writes `value` as a Rice code with parameter `k`: quotient in unary (zeros closed by a one), then
    /// the low `k` bits; quotients of `escapeRun` or more are escaped.
    mutating func writeRice(_ value: UInt64, k: Int) {
        let quotient = value >> UInt64(k)
        if quotient < UInt64(Self.escapeRun) {
            write(0, bits: Int(quotient))
            write(1, bits: 1)
            write(value, bits: k)
        } else {
            write(0, bits: Self.escapeRun)
            let length = max(1, 64 - value.leadingZeroBitCount)
            write(UInt64(length - 1), bits: 6)
            write(value, bits: min(length, 32))
            if length > 32 { write(value >> 32, bits: length - 32) }
        }
    }

    /// The bits `writeRice` spends on `value`.
    static func riceCost(_ value: UInt64, k: Int) -> Int {
        let quotient = value >> UInt64(k)
        if quotient < UInt64(escapeRun) { return Int(quotient) + 1 + k }
        return escapeRun + 6 + max(1, 64 - value.leadingZeroBitCount)
    }

    /// Pads the last byte with zeros and returns everything written.
    mutating func finish() -> [UInt8] {
        if filled > 0 { write(0, bits: 8 - filled) }
        return bytes
    }
}
