import KneeloadCore

/// How a real recording's sample times depart from a perfect clock, for probes and tests over `FastRig`:
/// timestamps jittered by up to ±30 % of the period (a phone's or a USB bridge's clock), single samples
/// dropped (2 %), and runs of 2–9 samples dropped every ~5 s at 60 Hz (a wireless link's lost packets, an
/// I2C retry), which the engine must bridge (`KneeLoadEngine.bridgeableGapS`).
enum SampleTimingFlaws: String, Sendable, CaseIterable, CustomStringConvertible {
    case regular
    case jittered
    case singleDrops = "single-drops"
    case bursts

    var description: String { rawValue }

    func times(duration: Double, rate: Double, generator g: inout SeededGenerator) -> [Double] {
        var times: [Double] = []
        times.reserveCapacity(Int(duration * rate))
        var skip = 0
        for k in 0..<Int(duration * rate) {
            var t = Double(k) / rate
            switch self {
            case .regular:
                break
            case .jittered:
                t += (g.nextUnit() - 0.5) * 0.6 / rate
            case .singleDrops:
                if g.nextUnit() < 0.02 { continue }
            case .bursts:
                if skip > 0 {
                    skip -= 1
                    continue
                }
                if g.nextUnit() < 0.003 {
                    skip = 1 + Int(g.nextUnit() * 8)
                    continue
                }
            }
            times.append(t)
        }
        return times
    }
}
