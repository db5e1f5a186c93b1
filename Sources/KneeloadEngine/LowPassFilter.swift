/// A first-order low-pass filter defined by its time constant, discretised exactly for each sample's own
/// interval (α = 1 − e^(−dt/τ)), so it behaves the same at 25 Hz and at 1000 Hz.
public struct LowPassFilter: Sendable {
    public private(set) var value: Double
    public private(set) var primed = false
    private var gain: SmoothingGain

    public init(timeConstant: Double, initial: Double = 0) {
        gain = SmoothingGain(timeConstant: timeConstant)
        value = initial
    }

    public var timeConstant: Double { gain.timeConstant }

    @inlinable
    static func alpha(dt: Double, timeConstant: Double) -> Double {
        SmoothingGain.exact(dt: dt, timeConstant: timeConstant)
    }

    @discardableResult
    @inline(__always)
    public mutating func update(_ x: Double, dt: Double) -> Double {
        // The gain only once primed: `SmoothingGain` remembers the interval it last saw.
        update(x, alpha: primed ? gain.alpha(dt: dt) : 0)
    }

    /// `update(_:dt:)` with the gain for this interval computed by the caller (`SampleGains`), for filters
    /// that share it.
    @discardableResult
    @inline(__always)
    public mutating func update(_ x: Double, alpha: Double) -> Double {
        guard primed else {
            value = x
            primed = true
            return x
        }
        value += alpha * (x - value)
        return value
    }

    public mutating func reset(to x: Double) {
        value = x
        primed = true
    }
}
