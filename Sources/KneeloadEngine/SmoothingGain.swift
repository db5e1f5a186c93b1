#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The gain α = 1 − e^(−dt/τ) of a first-order filter with time constant τ, for each sample's own interval,
/// so filters behave the same at every sample rate. The exponential is recomputed only when dt changes by
/// more than 0.01 %, which in a steady stream is almost never: per-sample cost is a compare.
public struct SmoothingGain: Sendable {
    public let timeConstant: Double
    private var cachedDt = -1.0
    private var cachedAlpha = 1.0
    /// 0.01 % of `cachedDt`, kept with it so the per-sample check is a subtraction and one comparison; negative
    /// before the first interval, so the first call always computes.
    private var cachedTolerance = -1.0

    public init(timeConstant: Double) {
        self.timeConstant = timeConstant
    }

    @inlinable
    public static func exact(dt: Double, timeConstant: Double) -> Double {
        timeConstant <= 0 ? 1 : 1 - exp(-dt / timeConstant)
    }

    /// The gain for an interval of `dt` seconds (finite: callers pass sample intervals).
    @inline(__always)
    public mutating func alpha(dt: Double) -> Double {
        if abs(dt - cachedDt) > cachedTolerance {
            cachedDt = dt
            cachedTolerance = 1e-4 * dt
            cachedAlpha = Self.exact(dt: dt, timeConstant: timeConstant)
        }
        return cachedAlpha
    }
}
