/// Reads what `BitWriter` wrote, from a byte range, without allocating. Reading past the end never traps:
/// it sets `overrun`, returns zeros, and the caller rejects the block.
///
/// `readRice` is the decoder's inner loop, so its common case is kept small enough to inline: while eight
/// bytes remain it tops the buffer up without a branch, and everything else (escapes, the last bytes, an
/// overrun) goes to an out-of-line path that works on a copy, so the caller's reader can live in registers.
struct BitReader {
    private let base: UnsafeRawPointer
    private var position: Int
    private let end: Int
    private let start: Int
    private var buffer: UInt64 = 0
    private var available = 0
    private(set) var overrun = false

    init(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) {
        // Only read when `end > start`, which implies a non-empty buffer and so a base address.
        self.base = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        self.position = start
        self.start = start
        self.end = end
    }

    /// Bits consumed so far.
    var bitsConsumed: Int { (position - start) * 8 - available }
    var bitsTotal: Int { (end - start) * 8 }

    /// The eight bytes at `position`, least significant first.
    @inline(__always)
    private func word() -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }

    /// Tops the buffer up to at least 56 bits while bytes remain. Bits above `available` are always the
    /// stream's own next bits (or zero), so OR-ing a whole word in is safe.
    @inline(__always)
    private mutating func refill() {
        if position + 8 <= end {
            buffer |= word() &<< UInt64(available)
            let take = (63 - available) >> 3
            position += take
            available += take << 3
        } else {
            while available <= 56 && position < end {
                buffer |= UInt64(base.load(fromByteOffset: position, as: UInt8.self)) &<< UInt64(available)
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
        let value = buffer & ((1 &<< UInt64(bits)) &- 1)
        buffer = buffer &>> UInt64(bits)
        available -= bits
        return value
    }

    /// Reads a Rice code with parameter `k` (0...32).
    @inline(__always)
    mutating func readRice(k: Int) -> UInt64 {
        if position &+ 8 <= end {
            // The refill above, branch-free: taking (63 − available) / 8 bytes leaves 56 + available % 8 bits,
            // enough for any code short of an escape (at most 23 + 1 + 32).
            // (Shift counts are converted without a sign check: `available` and `k` are never negative.)
            buffer |= word() &<< UInt64(truncatingIfNeeded: available)
            position &+= (63 &- available) &>> 3
            available |= 56
            let zeros = buffer.trailingZeroBitCount
            if zeros < BitWriter.escapeRun {
                let shift = UInt64(truncatingIfNeeded: k)
                let shifted = buffer &>> UInt64(truncatingIfNeeded: zeros &+ 1)
                buffer = shifted &>> shift
                available &-= zeros &+ 1 &+ k
                return UInt64(truncatingIfNeeded: zeros) &<< shift | shifted & ((1 &<< shift) &- 1)
            }
        }
        let (after, value) = readingRiceCarefully(k: k)
        self = after
        return value
    }

    /// Reads Rice codes with parameter `k` (0...32) for indices `start..<count`, handing each to `body`, until
    /// one needs `readRice`'s careful path (an escape near the end or longer than the buffer holds, or the
    /// end of the bytes); returns the index it
    /// stopped at. The decoder's inner loop: the reader's state is held in locals and nothing is called, so
    /// it all stays in registers, and the buffer is shifted past a code in one step.
    @inline(__always)
    mutating func readPlainRiceCodes(k: Int, from start: Int, count: Int, _ body: (Int, UInt64) -> Void) -> Int {
        var buffer = self.buffer, available = self.available, position = self.position
        let base = self.base, lastWord = end &- 8
        let shift = UInt64(truncatingIfNeeded: k), mask = (1 &<< shift) &- 1
        var i = start
        while i < count && position <= lastWord {
            buffer |= UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
                &<< UInt64(truncatingIfNeeded: available)
            position &+= (63 &- available) &>> 3
            available |= 56
            let zeros = buffer.trailingZeroBitCount
            if zeros < BitWriter.escapeRun {
                let length = zeros &+ 1 &+ k
                body(i, UInt64(truncatingIfNeeded: zeros) &<< shift | buffer &>> UInt64(truncatingIfNeeded: zeros &+ 1) & mask)
                buffer = buffer &>> UInt64(truncatingIfNeeded: length)
                available &-= length
                // Up to two more codes from the same refill when they are all there (nearly always with
                // ordinary k): fewer instructions a code, and a shorter chain from one code to the next.
                @inline(__always)
                func another() -> Bool {
                    let next = buffer.trailingZeroBitCount
                    let nextLength = next &+ 1 &+ k
                    guard i &+ 1 < count && next < BitWriter.escapeRun && nextLength <= available else { return false }
                    i &+= 1
                    body(i, UInt64(truncatingIfNeeded: next) &<< shift | buffer &>> UInt64(truncatingIfNeeded: next &+ 1) & mask)
                    buffer = buffer &>> UInt64(truncatingIfNeeded: nextLength)
                    available &-= nextLength
                    return true
                }
                if another() { _ = another() }
            } else {
                // An escape (outliers are common enough, e.g. in time jitter, to keep here): the run of
                // zeros, a 6-bit length L − 1, then L bits, when they are all in the buffer.
                let bits = Int(truncatingIfNeeded: buffer &>> 24 & 63) &+ 1
                let length = 30 &+ bits
                guard length <= available else { break }
                body(i, buffer &>> 30 & ((1 &<< UInt64(truncatingIfNeeded: bits)) &- 1))
                buffer = buffer &>> UInt64(truncatingIfNeeded: length)
                available &-= length
            }
            i &+= 1
        }
        // The last bytes, one at a time: a column of one-bit codes (a slow channel) can have dozens here.
        // (Only there: this refill can fill all 64 bits, which the one above must never see.)
        while i < count && position > lastWord {
            while available <= 56 && position < end {
                buffer |= UInt64(base.load(fromByteOffset: position, as: UInt8.self)) &<< UInt64(truncatingIfNeeded: available)
                position &+= 1
                available &+= 8
            }
            let zeros = buffer.trailingZeroBitCount
            let length = zeros &+ 1 &+ k
            guard zeros < BitWriter.escapeRun, length <= available else { break }
            body(i, UInt64(truncatingIfNeeded: zeros) &<< shift | buffer &>> UInt64(truncatingIfNeeded: zeros &+ 1) & mask)
            buffer = buffer &>> UInt64(truncatingIfNeeded: length)
            available &-= length
            i &+= 1
        }
        self.buffer = buffer
        self.available = available
        self.position = position
        return i
    }

    /// `readRice` near the end of the bytes or for an escaped code: returns the reader after the code.
    @inline(never)
    private func readingRiceCarefully(k: Int) -> (BitReader, UInt64) {
        var reader = self
        let value = reader.readRiceChecked(k: k)
        return (reader, value)
    }

    private mutating func readRiceChecked(k: Int) -> UInt64 {
        if available < 57 { refill() }
        let zeros = buffer.trailingZeroBitCount
        if zeros < BitWriter.escapeRun {
            let needed = zeros + 1 + k
            guard needed <= available else {
                overrun = true
                return 0
            }
            let shifted = buffer &>> UInt64(zeros + 1)
            let low = shifted & ((1 &<< UInt64(k)) &- 1)
            buffer = shifted &>> UInt64(k)
            available -= needed
            return UInt64(zeros) &<< UInt64(k) | low
        }
        _ = read(bits: BitWriter.escapeRun)
        let length = Int(read(bits: 6)) + 1
        var value = read(bits: min(length, 32))
        if length > 32 { value |= read(bits: length - 32) << 32 }
        return value
    }
}
