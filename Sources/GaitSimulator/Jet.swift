import Foundation

/// A value with its first and second time derivatives (second-order forward-mode differentiation).
///
/// Every position in the body model is computed as a `Jet`, so velocities and accelerations are the exact
/// derivatives of the positions: the accelerometer signal cannot disagree with the motion that made it.
struct Jet: Sendable, Hashable {
    var value: Double
    /// d/dt
    var rate: Double
    /// d²/dt²
    var curvature: Double

    @inline(__always) init(_ value: Double, _ rate: Double = 0, _ curvature: Double = 0) {
        self.value = value
        self.rate = rate
        self.curvature = curvature
    }

    static let zero = Jet(0)

    /// `f(self)` given f, f′ and f″ at `self.value` (chain rule to second order).
    @inline(__always) func composed(_ f: Double, _ df: Double, _ d2f: Double) -> Jet {
        Jet(f, df * rate, d2f * rate * rate + df * curvature)
    }

    @inline(__always) static func + (a: Jet, b: Jet) -> Jet {
        Jet(a.value + b.value, a.rate + b.rate, a.curvature + b.curvature)
    }
    @inline(__always) static func - (a: Jet, b: Jet) -> Jet {
        Jet(a.value - b.value, a.rate - b.rate, a.curvature - b.curvature)
    }
    @inline(__always) static prefix func - (a: Jet) -> Jet { Jet(-a.value, -a.rate, -a.curvature) }
    @inline(__always) static func * (a: Jet, b: Jet) -> Jet {
        Jet(
            a.value * b.value, a.rate * b.value + a.value * b.rate,
            a.curvature * b.value + 2 * a.rate * b.rate + a.value * b.curvature)
    }
    @inline(__always) static func * (a: Jet, s: Double) -> Jet { Jet(a.value * s, a.rate * s, a.curvature * s) }
    @inline(__always) static func * (s: Double, a: Jet) -> Jet { a * s }
    @inline(__always) static func + (a: Jet, s: Double) -> Jet { Jet(a.value + s, a.rate, a.curvature) }
    @inline(__always) static func - (a: Jet, s: Double) -> Jet { Jet(a.value - s, a.rate, a.curvature) }

    @inline(__always) var sin: Jet {
        let s = Foundation.sin(value), c = Foundation.cos(value)
        return composed(s, c, -s)
    }
    @inline(__always) var cos: Jet {
        let s = Foundation.sin(value), c = Foundation.cos(value)
        return composed(c, -s, -c)
    }
    @inline(__always) static func / (a: Jet, b: Jet) -> Jet {
        // q = a/b: q' = (a' − q b')/b, q'' = (a'' − 2 q' b' − q b'')/b
        let q = a.value / b.value
        let q1 = (a.rate - q * b.rate) / b.value
        let q2 = (a.curvature - 2 * q1 * b.rate - q * b.curvature) / b.value
        return Jet(q, q1, q2)
    }
    @inline(__always) var squareRoot: Jet {
        let r = value.squareRoot()
        return composed(r, 0.5 / r, -0.25 / (r * value))
    }
    /// Arc cosine; the argument must stay inside (−1, 1) (callers keep a margin from a straight knee).
    @inline(__always) var arcCosine: Jet {
        let x = value, w = 1 - x * x
        let s = w.squareRoot()
        return composed(Foundation.acos(x), -1 / s, -x / (w * s))
    }
    @inline(__always) var hyperbolicTangent: Jet {
        let t = Foundation.tanh(value), w = 1 - t * t
        return composed(t, w, -2 * t * w)
    }
    @inline(__always) var arcTangent: Jet {
        let x = value, w = 1 + x * x
        return composed(Foundation.atan(x), 1 / w, -2 * x / (w * w))
    }

    /// Sine and cosine together (one call each to the C library).
    @inline(__always) var sinCos: (sin: Jet, cos: Jet) {
        let s = Foundation.sin(value), c = Foundation.cos(value)
        return (composed(s, c, -s), composed(c, -s, -c))
    }
}

/// A point in the sagittal plane (forward, up) whose coordinates carry their derivatives.
struct PlanarJet: Sendable, Hashable {
    var forward: Jet
    var up: Jet

    static let zero = PlanarJet(forward: .zero, up: .zero)

    @inline(__always) static func + (a: PlanarJet, b: PlanarJet) -> PlanarJet {
        PlanarJet(forward: a.forward + b.forward, up: a.up + b.up)
    }
    @inline(__always) static func - (a: PlanarJet, b: PlanarJet) -> PlanarJet {
        PlanarJet(forward: a.forward - b.forward, up: a.up - b.up)
    }
    @inline(__always) static func * (a: PlanarJet, s: Double) -> PlanarJet {
        PlanarJet(forward: a.forward * s, up: a.up * s)
    }
}
