/// A natural cubic spline through (x, y) knots with strictly increasing x: twice continuously
/// differentiable, so a joint angle drawn through keyframes has continuous angular acceleration and the
/// accelerometer sees no steps that the motion did not make.
struct NaturalCubicSpline: Sendable {
    let xs: [Double]
    let ys: [Double]
    /// Second derivatives at the knots (zero at both ends: "natural").
    private let m: [Double]

    init(xs: [Double], ys: [Double]) {
        precondition(xs.count == ys.count && xs.count >= 2, "spline needs at least two knots")
        self.xs = xs
        self.ys = ys
        m = Self.secondDerivatives(xs: xs, ys: ys)
    }

    /// Solves the tridiagonal system for the knot second derivatives (Thomas algorithm, O(n)).
    private static func secondDerivatives(xs: [Double], ys: [Double]) -> [Double] {
        let n = xs.count
        var m = [Double](repeating: 0, count: n)
        guard n > 2 else { return m }
        var diag = [Double](repeating: 0, count: n)
        var rhs = [Double](repeating: 0, count: n)
        var upper = [Double](repeating: 0, count: n)
        for i in 1..<(n - 1) {
            let h0 = xs[i] - xs[i - 1], h1 = xs[i + 1] - xs[i]
            diag[i] = (h0 + h1) / 3
            upper[i] = h1 / 6
            rhs[i] = (ys[i + 1] - ys[i]) / h1 - (ys[i] - ys[i - 1]) / h0
        }
        // Forward sweep; the sub-diagonal entry of row i is h0/6.
        for i in 2..<(n - 1) {
            let lower = (xs[i] - xs[i - 1]) / 6
            let w = lower / diag[i - 1]
            diag[i] -= w * upper[i - 1]
            rhs[i] -= w * rhs[i - 1]
        }
        m[n - 2] = rhs[n - 2] / diag[n - 2]
        if n > 3 {
            for i in stride(from: n - 3, through: 1, by: -1) {
                m[i] = (rhs[i] - upper[i] * m[i + 1]) / diag[i]
            }
        }
        return m
    }

    /// Index i with xs[i] <= x < xs[i+1], searching forward from `hint` (callers know roughly where).
    @inline(__always) func interval(containing x: Double, from hint: Int) -> Int {
        var i = min(max(hint, 0), xs.count - 2)
        while i > 0 && x < xs[i] { i -= 1 }
        while i < xs.count - 2 && x >= xs[i + 1] { i += 1 }
        return i
    }

    /// Value and derivatives with respect to x at x (clamped to the knot range: constant outside).
    @inline(__always) func evaluate(_ x: Double, hint: Int) -> (value: Double, slope: Double, curvature: Double) {
        if x <= xs[0] { return (ys[0], 0, 0) }
        if x >= xs[xs.count - 1] { return (ys[ys.count - 1], 0, 0) }
        let i = interval(containing: x, from: hint)
        let h = xs[i + 1] - xs[i]
        let a = (xs[i + 1] - x) / h
        let b = 1 - a
        let y0 = ys[i], y1 = ys[i + 1], m0 = m[i], m1 = m[i + 1]
        let value = a * y0 + b * y1 + ((a * a * a - a) * m0 + (b * b * b - b) * m1) * h * h / 6
        let slope = (y1 - y0) / h + (-(3 * a * a - 1) * m0 + (3 * b * b - 1) * m1) * h / 6
        let curvature = a * m0 + b * m1
        return (value, slope, curvature)
    }

    /// The spline as a function of a time-dependent argument.
    @inline(__always) func evaluate(_ x: Jet, hint: Int) -> Jet {
        let e = evaluate(x.value, hint: hint)
        return x.composed(e.value, e.slope, e.curvature)
    }
}
