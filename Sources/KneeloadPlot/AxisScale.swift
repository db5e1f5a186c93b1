/// A value axis with round tick values (1, 2 or 5 × a power of ten apart) covering a data range.
struct AxisScale {
    let lower: Double
    let upper: Double
    let step: Double
    /// Fractional digits that show the ticks exactly.
    let decimals: Int

    /// Covers `low...high` with about `targetTicks` intervals; the ends are rounded out to whole steps.
    init(covering low: Double, _ high: Double, targetTicks: Int = 5) {
        let low = low.isFinite ? low : 0
        var high = high.isFinite ? high : 1
        if high <= low { high = low + max(abs(low) * 0.1, 1) }
        let raw = (high - low) / Double(max(targetTicks, 1))
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        self.step = step
        lower = (low / step).rounded(.down) * step
        upper = (high / step).rounded(.up) * step
        var decimals = 0
        var unit = 1.0
        while unit > step * 1.000_001 && decimals < 6 {
            unit /= 10
            decimals += 1
        }
        self.decimals = decimals
    }

    /// The tick values, lower to upper.
    var ticks: [Double] {
        let count = Int(((upper - lower) / step).rounded())
        return (0...count).map { lower + Double($0) * step }
    }

    /// Where `value` sits, 0 at `lower` and 1 at `upper`.
    func fraction(_ value: Double) -> Double { (value - lower) / (upper - lower) }
}
