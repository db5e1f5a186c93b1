/// A small, fast, seedable random number generator (SplitMix64, Steele, Lea & Flood 2014), so that
/// simulations and fault injection give the same result for the same seed on every machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1).
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A normally distributed double (Box–Muller), mean 0 and the given standard deviation.
    public mutating func nextGaussian(standardDeviation: Double = 1) -> Double {
        let u1 = max(nextUnit(), 0x1.0p-53)
        let u2 = nextUnit()
        return standardDeviation * (-2 * _log(u1)).squareRoot() * _cos(2 * .pi * u2)
    }

    /// An independent generator for a named purpose, so adding a consumer does not shift the others' streams.
    public func derived(_ label: String) -> SeededGenerator {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a
        for byte in label.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
        }
        var g = SeededGenerator(seed: state ^ hash)
        _ = g.next()
        return g
    }
}
