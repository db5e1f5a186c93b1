#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A first-order low-pass filter defined by its time constant, discretised exactly for each sample's own
/// interval (α = 1 − e^(−dt/τ)), so it behaves the same at 25 Hz and at 1000 Hz.
/// The exponential is recomputed only when dt changes noticeably, which keeps the per-sample cost low.
public struct LowPassFilter: Sendable {
    public let timeConstant: Double
    public private(set) var value: Double
    public private(set) var primed = false
    private var cachedDt = -1.0
    private var cachedAlpha = 1.0

    public init(timeConstant: Double, initial: Double = 0) {
        self.timeConstant = timeConstant
        self.value = initial
    }

    @inlinable
    static func alpha(dt: Double, timeConstant: Double) -> Double {
        timeConstant <= 0 ? 1 : 1 - exp(-dt / timeConstant)
    }

    @discardableResult
    public mutating func update(_ x: Double, dt: Double) -> Double {
        guard primed else {
            value = x
            primed = true
            return x
        }
        if abs(dt - cachedDt) > 1e-4 * cachedDt || cachedDt < 0 {
            cachedDt = dt
            cachedAlpha = Self.alpha(dt: dt, timeConstant: timeConstant)
        }
        value += cachedAlpha * (x - value)
        return value
    }

    public mutating func reset(to x: Double) {
        value = x
        primed = true
    }
}
