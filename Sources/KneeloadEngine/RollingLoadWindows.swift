/// Knee load over the last minute and the last ten minutes, from a ring of short time bins
/// (CONTRACTS §4 `load_rate_bw_s_per_min` is the load of the last minute).
///
/// Resolution: bins of 1/8 s. Bin `k` holds the loads added at times t with ⌊8·t⌋ = k; because 8 is a power of
/// two, 8·t is exact in floating point, so a load lands in the same bin a real-number calculation would give.
/// The window "last N seconds" at time `now` is the 8·N bins ending with the bin of `now`: a load at time s counts
/// while ⌊8·now⌋ − ⌊8·s⌋ < 8·N. A load at exactly t = 0 is in the last-minute window up to now < 60 s and out
/// from now = 60 s; the window's length is thus in (N − 1/8, N] seconds.
///
/// Bins hold fixed-point integers (1e-9 BW·s per unit): window sums are kept by adding a bin when it enters and
/// subtracting it when it leaves, and with integers that is exact, so the sums never drift over days of use and
/// an empty window reads exactly 0. Wrapping arithmetic: no input can trap, and modular sums stay exact.
struct RollingLoadWindows: Sendable, Equatable {
    static let binsPerSecond = 8
    static let shortWindowBins = 60 * binsPerSecond
    static let longWindowBins = 600 * binsPerSecond
    /// Fixed-point units per BW·s (1 unit = 1e-9 BW·s). Reading divides by it, which rounds correctly: a window
    /// holding exactly 0.1 BW·s reads 0.1, not 0.1 + 1 ulp.
    static let unitsPerBWs = 1e9

    /// Ring of `longWindowBins` bins; bin k lives at index k mod longWindowBins.
    private(set) var bins: [Int64]
    /// Absolute index of the newest bin (the bin of the latest time).
    private(set) var currentBin: Int
    /// `ringIndex(currentBin)`, kept so that adding a load (per sample) needs no division.
    private(set) var currentSlot: Int
    private(set) var shortSum: Int64 = 0
    private(set) var longSum: Int64 = 0

    init(currentBin: Int = 0) {
        bins = Array(repeating: 0, count: Self.longWindowBins)
        self.currentBin = currentBin
        currentSlot = Self.ringIndex(currentBin)
    }

    /// Rebuilds the ring from bins listed oldest first (the `longWindowBins` bins ending with `currentBin`);
    /// the sums are recomputed, which is exact with integers.
    init?(orderedBins: [Int64], currentBin: Int) {
        guard orderedBins.count == Self.longWindowBins, currentBin >= 0 else { return nil }
        self.init(currentBin: currentBin)
        for (offset, value) in orderedBins.enumerated() {
            let age = Self.longWindowBins - 1 - offset
            bins[Self.ringIndex(currentBin - age)] = value
            longSum &+= value
            if age < Self.shortWindowBins { shortSum &+= value }
        }
    }

    /// The ring's bins, oldest first, ending with the current bin.
    var orderedBins: [Int64] {
        (0..<Self.longWindowBins).map { offset in
            bins[Self.ringIndex(currentBin - (Self.longWindowBins - 1 - offset))]
        }
    }

    // `bin` and `units` round by hand: `rounded()` is a libm call on the x86-64 baseline, and these run for
    // every load input. Converting to an integer truncates toward zero exactly, and the remainder
    // (`scaled − whole`) is exact too, so both give exactly `rounded(.down)` and `rounded()`.

    static func bin(at t: Double) -> Int {
        let scaled = t * Double(binsPerSecond)
        let whole = Int(scaled)
        return Double(whole) > scaled ? whole - 1 : whole
    }

    /// `loadBWs` in whole units, rounded to nearest, halves away from zero.
    static func units(_ loadBWs: Double) -> Int64 {
        let scaled = loadBWs * unitsPerBWs
        let whole = Int64(scaled)
        let rest = scaled - Double(whole)
        if rest >= 0.5 { return whole + 1 }
        if rest <= -0.5 { return whole - 1 }
        return whole
    }

    var shortWindowBWs: Double { Self.bws(units: shortSum) }
    var longWindowBWs: Double { Self.bws(units: longSum) }

    /// A window sum in BW·s.
    @inline(__always)
    static func bws(units: Int64) -> Double { Double(units) / unitsPerBWs }

    /// The first time after the current bin (exact: a power-of-two division of an integer).
    var currentBinEnd: Double { Double(currentBin + 1) / Double(Self.binsPerSecond) }
    var currentBinStart: Double { Double(currentBin) / Double(Self.binsPerSecond) }

    /// Moves the newest bin to `newBin`, dropping what leaves each window. Time never moves back.
    mutating func advance(toBin newBin: Int) {
        guard newBin > currentBin else { return }
        if newBin - currentBin >= Self.longWindowBins {
            // Everything has left both windows.
            for index in bins.indices { bins[index] = 0 }
            shortSum = 0
            longSum = 0
            currentBin = newBin
            currentSlot = Self.ringIndex(newBin)
            return
        }
        var bin = currentBin + 1
        while bin <= newBin {
            // Bin (bin − short) leaves the short window; it is still in the ring. If it is one of the bins opened
            // by this same advance it was cleared already and subtracts 0.
            shortSum &-= bins[Self.ringIndex(bin - Self.shortWindowBins)]
            // The slot of the new bin held bin (bin − long), which now leaves the long window.
            let slot = Self.ringIndex(bin)
            longSum &-= bins[slot]
            bins[slot] = 0
            bin += 1
        }
        currentBin = newBin
        currentSlot = Self.ringIndex(newBin)
    }

    /// Adds a load to the current bin (several loads may come as their sum: integer sums are exact).
    mutating func add(units: Int64) {
        bins[currentSlot] &+= units
        shortSum &+= units
        longSum &+= units
    }

    private static func ringIndex(_ bin: Int) -> Int {
        let index = bin % longWindowBins
        return index < 0 ? index + longWindowBins : index
    }
}
