import KneeloadCore

/// A fixed-capacity ring of recent per-sample signals, allocated once at init, so the gait detector can look
/// back over a whole stride (find the toe-off before a swing, the contact after it, the knee through stance)
/// without allocating per sample. Samples are addressed by their absolute sequence number.
public struct SampleHistory: Sendable {
    /// Highest sample rate the look-back is sized for (CONTRACTS §2 allows up to 1000 Hz; margin for jitter).
    public static let maximumRateHz = 1100.0

    /// A power of two, so a sequence number maps to its slot with a mask instead of a division.
    public let capacity: Int
    private let mask: Int
    /// Sequence number the next appended sample gets.
    public private(set) var nextIndex = 0
    /// One slot per sample, all signals together, so a look-back reads neighbouring memory. Copy-on-write
    /// like an array's buffer, but the uniqueness check is separate from the write (`prepareForAppend`):
    /// the engine checks once at the start of its per-sample call, before it holds any values in registers,
    /// instead of in the middle of it, where the runtime call made it spill and reload them.
    /// Unsafe for concurrency checking only as an array's buffer is: see `Storage`.
    nonisolated(unsafe) private var storage: Storage

    private struct Entry {
        var time: Double
        var rate: Double
        var knee: Double
        var impact: Double
        var pressure: Double
        /// Kept for `ImpactMeter`, which measures the change from earlier samples: one ring written per
        /// sample instead of two.
        var accel: Vector3
    }

    /// The ring's memory, allocated once (one allocation: the entries follow the object's header). Shared
    /// between copies of a history until one of them appends. Safe to share between threads: it is only
    /// written after `isKnownUniquelyReferenced` (see `prepareForAppend`), as an array's buffer is, so a
    /// shared one is never written.
    private final class Storage: ManagedBuffer<Int, Entry> {
        static func make(count: Int, filledWith entry: Entry) -> Storage {
            let buffer = create(minimumCapacity: count) { _ in count }
            buffer.withUnsafeMutablePointerToElements { $0.initialize(repeating: entry, count: count) }
            return unsafeDowncast(buffer, to: Storage.self)
        }

        func copy() -> Storage {
            let count = header
            let buffer = Storage.create(minimumCapacity: count) { _ in count }
            withUnsafeMutablePointerToElements { source in
                buffer.withUnsafeMutablePointerToElements { $0.initialize(from: source, count: count) }
            }
            return unsafeDowncast(buffer, to: Storage.self)
        }

        @inline(__always) var entries: UnsafeMutablePointer<Entry> {
            withUnsafeMutablePointerToElements { $0 }
        }

        deinit {
            _ = withUnsafeMutablePointers { count, entries in entries.deinitialize(count: count.pointee) }
        }
    }

    public init(lookBackSeconds: Double) {
        var size = 1
        while size < Int((lookBackSeconds * Self.maximumRateHz).rounded(.up)) + 2 { size <<= 1 }
        capacity = size
        mask = size - 1
        storage = Storage.make(
            count: capacity, filledWith: Entry(time: 0, rate: 0, knee: 0, impact: 0, pressure: .nan, accel: .zero))
    }

    /// Oldest sequence number still held.
    @inlinable public var firstIndex: Int { Swift.max(0, nextIndex - capacity) }
    @inlinable public var isEmpty: Bool { nextIndex == firstIndex }
    @inlinable public var lastIndex: Int { nextIndex - 1 }

    @inline(__always) func slot(_ index: Int) -> Int { index & mask }

    public mutating func append(
        time: Double, rate: Double, knee: Double, impact: Double, pressure: Double, accel: Vector3
    ) {
        prepareForAppend()
        appendPrepared(time: time, rate: rate, knee: knee, impact: impact, pressure: pressure, accel: accel)
    }

    /// Makes the storage this history's own (copying it if another copy shares it), so that
    /// `appendPrepared` may write to it. The storage stays unique until this history is copied again.
    @inline(__always)
    mutating func prepareForAppend() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// `append` without the uniqueness check: only after `prepareForAppend`, with no copy of this history
    /// made since (a copy would see the write).
    @inline(__always)
    mutating func appendPrepared(
        time: Double, rate: Double, knee: Double, impact: Double, pressure: Double, accel: Vector3
    ) {
        storage.entries[nextIndex & mask] = Entry(
            time: time, rate: rate, knee: knee, impact: impact, pressure: pressure, accel: accel)
        nextIndex += 1
        // The first index moves by at most one per append, and only once the ring is full.
        let first = nextIndex &- capacity
        if first > oldestReadable { oldestReadable = first }
    }

    /// Forgets everything (after a gap in the data) but keeps the numbering monotonic.
    public mutating func clear() {
        // Moving the first index past everything held is enough: old slots are never read again.
        clearedBefore = nextIndex
        oldestReadable = nextIndex
    }

    /// Samples before this sequence number were cleared.
    public private(set) var clearedBefore = 0
    /// Oldest sequence number that may be read: max(firstIndex, clearedBefore), kept up to date by `append`
    /// and `clear` because every look-back and the engine's per-sample impact meter ask for it.
    public private(set) var oldestReadable = 0

    public func time(_ i: Int) -> Double { entry(i).time }
    public func rate(_ i: Int) -> Double { entry(i).rate }
    public func knee(_ i: Int) -> Double { entry(i).knee }
    public func impact(_ i: Int) -> Double { entry(i).impact }
    public func pressure(_ i: Int) -> Double { entry(i).pressure }
    public func accel(_ i: Int) -> Vector3 { entry(i).accel }

    /// A slot is `index & mask` of `mask + 1` entries, in range by construction.
    @inline(__always) private func entry(_ i: Int) -> Entry {
        storage.entries[slot(i)]
    }

    /// First readable sequence number whose time is at or after `t` (nextIndex if none).
    ///
    /// Timestamps are nearly evenly spaced, so the index is first guessed from the mean interval of the
    /// samples held; a search that doubles its step from there brackets it, and bisection finishes. The
    /// answer is the same as a plain bisection's (times only increase), in a few reads instead of ~13.
    public func index(atOrAfter t: Double) -> Int {
        let first = oldestReadable
        let last = nextIndex - 1
        // Also NaN (no time is at or after it in the ordering a bisection uses) gives the oldest.
        guard first <= last, t > entry(first).time else { return first }
        guard t <= entry(last).time else { return nextIndex }
        // From here entry(first).time < t ≤ entry(last).time: the answer lies in (first, last].
        let share = (t - entry(first).time) / (entry(last).time - entry(first).time)
        let guess = Swift.min(Swift.max(first + Int(Double(last - first) * share), first + 1), last)
        // Bracket: entry(below).time < t ≤ entry(above).time.
        var below: Int
        var above: Int
        var step = 1
        if entry(guess).time < t {
            below = guess
            above = Swift.min(guess + step, last)
            while entry(above).time < t {
                below = above
                step <<= 1
                above = Swift.min(above + step, last)
            }
        } else {
            above = guess
            below = Swift.max(guess - step, first)
            while entry(below).time >= t {
                above = below
                step <<= 1
                below = Swift.max(below - step, first)
            }
        }
        while above - below > 1 {
            let mid = (below + above) / 2
            if entry(mid).time < t { below = mid } else { above = mid }
        }
        return above
    }

    /// The same as `index(atOrAfter:)` for a `t` no later than sample `i`'s time, found by walking back from
    /// `i`: cheaper than the binary search when `t` lies a few samples back (velocity spans, rise times).
    public func index(atOrAfter t: Double, searchingBackFrom i: Int) -> Int {
        let oldest = oldestReadable
        var j = i
        while j > oldest && entry(j - 1).time >= t { j -= 1 }
        return j
    }

    /// Whether the sample with this sequence number is still held.
    public func holds(_ i: Int) -> Bool { i >= oldestReadable && i < nextIndex }
}
