/// Reads what `BitWriter` wrote, from a byte range, without allocating. Reading past the end never traps:
/// it sets `overrun`, returns zeros, and the caller rejects the block.
struct BitReader {
    private let base: UnsafeRawBufferPointer
    private var position: Int
    private let end: Int
    private let start: Int
    private var buffer: UInt64 = 0
    private var available = 0
    private(set) var overrun = false

    init(_ base: UnsafeRawBufferPointer, from start: Int, to end: Int) {
        self.base = base
        self.position = start
        self.start = start
        self.end = end
    }

    /// Bits consumed so far.
    var bitsConsumed: Int { (position - start) * 8 - available }
    var bitsTotal: Int { (end - start) * 8 }

    /// Tops the buffer up to at least 56 bits while bytes remain. Bits above `available` are always the
    /// stream's own next bits (or zero), so OR-ing a whole word in is safe.
    @inline(__always)
    private mutating func refill() {
        if position + 8 <= end {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            buffer |= word << UInt64(available)
            let take = (63 - available) >> 3
            position += take
            available += take << 3
        } else {
            while available <= 56 && position < end {
                buffer |= UInt64(base[position]) << UInt64(available)
                position += 1
                available += 8
            }
        }
    }

    /// Reads `bits` (0...32) bits.
    @inline(__always)
    mutating func read(bits: Int) -> UInt64 {
        if available < bits {
            refill()
            if available < bits {
                overrun = true
                return 0
            }
        }
        let value = buffer & ((1 << UInt64(bits)) &- 1)
        buffer >>= UInt64(bits)
        available -= bits
        return value
    }

    @inline(__always)
    mutating func readRice(k: Int) -> UInt64 {
        if available < 57 { refill() }
        let zeros = buffer.trailingZeroBitCount
        if zeros < BitWriter.escapeRun {
            let needed = zeros + 1 + k
            guard needed <= available else {
                overrun = true
                return 0
            }
            let shifted = buffer >> UInt64(zeros + 1)
            let low = shifted & ((1 << UInt64(k)) &- 1)
            buffer = shifted >> UInt64(k)
            available -= needed
            return UInt64(zeros) << UInt64(k) | low
        }
        _ = read(bits: BitWriter.escapeRun)
        let length = Int(read(bits: 6)) + 1
        var value = read(bits: min(length, 32))
        if length > 32 { value |= read(bits: length - 32) << 32 }
        return value
    }
}
