import Foundation

/// One crank revolution as planned: the bicycle, how the crank turns over the cycle, how far out of the
/// saddle the rider is, and where the saddle is in the world.
struct PedalCycle: Sendable, Hashable {
    /// How the crank angle runs over the cycle: steadily, or easing in from rest after getting on and out
    /// to rest at bottom dead centre before getting off (crank rate and its derivative zero there, so the
    /// foot leaves and rejoins the still pedal without a jolt).
    enum Ramp: Sendable, Hashable {
        case steady, easeIn, easeOut, easeInOut
    }

    var crank: CrankGeometry
    var ramp: Ramp
    /// 0 seated … 1 standing on the pedals, at the start and the end of the revolution.
    var standingFrom: Double
    var standingTo: Double
    /// The seated hip in the world, metres.
    var saddleForward = 0.0
    var saddleUp = 0.0

    /// Revolutions done at cycle fraction u (0…1), and its derivative in u.
    static func progress(_ ramp: Ramp, _ u: Double) -> (value: Double, rate: Double) {
        // easeIn: g(0) = g′(0) = g″(0) = 0, g(1) = 1, g′(1) = 1, g″(1) = 0 → g = 6u³ − 8u⁴ + 3u⁵.
        func easeIn(_ u: Double) -> (Double, Double) {
            (u * u * u * (6 - 8 * u + 3 * u * u), u * u * (18 - 32 * u + 15 * u * u))
        }
        switch ramp {
        case .steady: return (u, 1)
        case .easeIn: return easeIn(u)
        case .easeOut:
            let (v, r) = easeIn(1 - u)
            return (1 - v, r)
        case .easeInOut:
            return (u * u * u * (10 - 15 * u + 6 * u * u), 30 * u * u * (1 - u) * (1 - u))
        }
    }

    /// Crank angle (radians) at cycle fraction u: every revolution starts and ends at bottom dead centre.
    func crankAngle(_ u: Double) -> Double { .pi + 2 * .pi * Self.progress(ramp, u).value }

    func standing(_ u: Double) -> Double {
        let s = u * u * u * (10 - 15 * u + 6 * u * u)
        return standingFrom + (standingTo - standingFrom) * s
    }

    /// Knee flexion and shank inclination (degrees) at cycle fraction u.
    func angles(_ u: Double) -> (shankDeg: Double, kneeDeg: Double) {
        crank.angles(crank: crankAngle(u), standing: standing(u))
    }

    /// The hip in the world at cycle fraction u.
    func hip(_ u: Double) -> (forward: Double, up: Double) {
        let h = crank.hip(crank: crankAngle(u), standing: standing(u))
        return (saddleForward + h.forward, saddleUp + h.up)
    }
}
