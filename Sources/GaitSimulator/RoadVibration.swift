import Foundation
import KneeloadCore

/// Road or trainer vibration reaching the shank while pedalling: a few sinusoids at incommensurate
/// frequencies between 8 and 60 Hz (tyre on tarmac or roller, frame modes), mostly along the shank axis,
/// scaled to a peak given per segment. Its displacement is well under a millimetre, so it is added to the
/// specific force only, like the contact ringing. Pure in time: the same t always gives the same value.
struct RoadVibration: Sendable, Hashable {
    static let components = 5
    var frequenciesHz: [Double]
    var phases: [Double]
    var weights: [Double]
    /// Share of the vibration across the shank (y) and the gyro reading per g (°/s).
    var forwardShare: Double
    var gyroDpsPerG: Double

    init(random: SeededGenerator) {
        var g = random
        frequenciesHz = (0..<Self.components).map { i in
            let band = [(8.0, 14.0), (14.0, 22.0), (22.0, 32.0), (32.0, 45.0), (45.0, 60.0)][i]
            return band.0 + (band.1 - band.0) * g.nextUnit()
        }
        phases = (0..<Self.components).map { _ in 2 * .pi * g.nextUnit() }
        let raw = (0..<Self.components).map { _ in 0.5 + g.nextUnit() }
        let total = raw.reduce(0, +)
        weights = raw.map { $0 / total }
        forwardShare = 0.2 + 0.3 * g.nextUnit()
        gyroDpsPerG = 2 + 4 * g.nextUnit()
    }

    /// Vibration at time t, g, before scaling to the segment's peak (|value| ≤ 1).
    @inline(__always) func value(at t: Double) -> Double {
        var sum = 0.0
        for i in 0..<Self.components {
            sum += weights[i] * sin(2 * .pi * frequenciesHz[i] * t + phases[i])
        }
        return sum
    }
}
