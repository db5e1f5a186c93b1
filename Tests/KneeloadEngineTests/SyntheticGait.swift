import KneeloadCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small hand-built gait signal for unit tests that must not depend on the gait simulator: knee flexion
/// and shank inclination through one stride from key points (biomech.md §5 ranges), the angular rate as
/// the inclination's derivative, gravity plus a contact transient as the specific force. Stride starts at
/// foot contact.
struct SyntheticGait {
    struct Pattern {
        var knee: [(Double, Double)]
        var inclination: [(Double, Double)]
        var strideS: Double
        var impactG: Double
    }

    static let walking = Pattern(
        knee: [(0, 5), (0.15, 18), (0.4, 5), (0.6, 38), (0.72, 60), (0.9, 8), (1, 5)],
        inclination: [(0, -10), (0.6, 42), (1, -10)], strideS: 1.1, impactG: 1.5)
    static let running = Pattern(
        knee: [(0, 18), (0.17, 45), (0.36, 22), (0.45, 55), (0.7, 110), (0.92, 12), (1, 18)],
        inclination: [(0, -8), (0.36, 50), (1, -8)], strideS: 0.72, impactG: 4)
    static let stairDescent = Pattern(
        knee: [(0, 12), (0.3, 45), (0.62, 86), (0.72, 96), (0.92, 14), (1, 12)],
        inclination: [(0, 0), (0.65, 45), (1, 0)], strideS: 1.2, impactG: 1.2)

    var pattern: Pattern
    var kneeOffsetDeg = 0.0
    var clipG = 16.0

    /// Cosine interpolation between key points, periodic over the stride.
    static func value(_ points: [(Double, Double)], at phase: Double) -> Double {
        var p = phase - phase.rounded(.down)
        if p < 0 { p += 1 }
        for k in 1..<points.count where p <= points[k].0 {
            let (p0, v0) = points[k - 1]
            let (p1, v1) = points[k]
            let u = (p - p0) / max(p1 - p0, 1e-9)
            return v0 + (v1 - v0) * (1 - cos(Double.pi * u)) / 2
        }
        return points.last!.1
    }

    /// The sample at time `t` (gait starting with a contact at `start`; standing before it).
    func sample(at t: Double, start: Double, gyro: Bool) -> SensorSample {
        let s = pattern.strideS
        let phase = t < start ? 0 : (t - start) / s
        let standing = t < start
        let knee = standing ? 1 : Self.value(pattern.knee, at: phase)
        let phi = standing ? 0 : Self.value(pattern.inclination, at: phase)
        let h = 1e-3
        let rate = standing ? 0 : (Self.value(pattern.inclination, at: phase + h / s) - Self.value(pattern.inclination, at: phase - h / s)) / (2 * h)
        let r = phi * Double.pi / 180
        var a = Vector3(cos(r), -sin(r), 0)
        if !standing {
            // Contact transient: a 25 ms decaying kick along the shank at every contact.
            let sinceContact = (phase - phase.rounded(.down)) * s
            if sinceContact < 0.06 { a.x += pattern.impactG * exp(-sinceContact / 0.015) }
            // Swing: the shank's own acceleration (tangential, ~0.4 g at mid-swing).
            a.y += 0.4 * sin(2 * Double.pi * phase) * (rate < 0 ? 1 : 0.3)
        }
        a = Vector3(clip(a.x), clip(a.y), clip(a.z))
        return SensorSample(
            time: t, accel: a, gyro: gyro ? Vector3(0, 0, rate) : nil, kneeFlexDeg: knee + kneeOffsetDeg)
    }

    func clip(_ x: Double) -> Double { min(max(x, -clipG), clipG) }

    /// Samples at `rate` Hz: `standS` of standing, then `strides` strides, then standing again.
    func samples(rate: Double, standS: Double = 2, strides: Int, gyro: Bool = true) -> [SensorSample] {
        let total = standS * 2 + Double(strides) * pattern.strideS
        let n = Int(total * rate)
        return (0..<n).map { sample(at: Double($0) / rate, start: standS, gyro: gyro) }
            .map { s in
                // Standing again after the last stride.
                let end = standS + Double(strides) * pattern.strideS
                guard s.time > end else { return s }
                // The last contact, then standing.
                let since = s.time - end
                let kick = since < 0.06 ? pattern.impactG * exp(-since / 0.015) : 0
                return SensorSample(
                    time: s.time, accel: Vector3(clip(1 + kick), 0, 0), gyro: gyro ? .zero : nil,
                    kneeFlexDeg: 1 + kneeOffsetDeg)
            }
    }
}
