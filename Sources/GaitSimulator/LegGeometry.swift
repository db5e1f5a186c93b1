import Foundation

/// Segment lengths and the forward kinematics of the sagittal-plane leg.
///
/// Lengths are fractions of body height from Winter's anthropometric table (Winter, Biomechanics and Motor
/// Control of Human Movement, 4th ed., Table 4.1 / Fig. 4.1): thigh 0.245 H, shank 0.246 H, ankle height
/// 0.039 H, foot length 0.152 H. The toe pivot (metatarsal heads) sits about 0.08 H ahead of the ankle and the
/// heel about 0.03 H behind it (our estimate from the foot length).
///
/// Angles (radians here, degrees in the plan), all in the sagittal plane:
/// - shank inclination ψ: the shank's long axis (ankle → knee) tilted forward from vertical, positive when the
///   knee is ahead of the ankle. It is a rotation about the shank frame's +z (the runner's left) by the
///   right-hand rule, so the gyro's z rate is dψ/dt: a foot swinging forward gives a NEGATIVE z rate.
/// - knee flexion κ: 0 straight, positive flexed.
/// - thigh inclination h = κ − ψ: the thigh (hip → knee) tilted forward from vertical ("hip flexion" relative
///   to the vertical, not to the pelvis).
/// - foot pitch θ: 0 flat; positive heel raised about the toe pivot; negative toe raised about the heel.
struct LegGeometry: Sendable, Hashable {
    let thigh: Double
    let shank: Double
    /// The IMU sits on the shank a third of its length below the knee.
    let sensorFromAnkle: Double
    let ankleHeight: Double
    let toePivotAhead: Double
    let heelPivotBehind: Double

    init(heightM: Double) {
        thigh = 0.245 * heightM
        shank = 0.246 * heightM
        sensorFromAnkle = shank * 2 / 3
        ankleHeight = 0.039 * heightM
        toePivotAhead = 0.08 * heightM
        heelPivotBehind = 0.03 * heightM
    }

    /// Where the ankle is relative to its foot-flat position when the foot is pitched by θ (radians).
    func ankleOffset(footPitch theta: Jet) -> PlanarJet {
        if theta.value >= 0 {
            // Heel up: the ankle turns about the toe pivot, rising and moving forward.
            let (s, c) = theta.sinCos
            let forward = (Jet(1) - c) * toePivotAhead + s * ankleHeight
            let up = s * toePivotAhead + (c - 1) * ankleHeight
            return PlanarJet(forward: forward, up: up)
        } else {
            // Toe up (heel strike): the ankle turns about the heel, sitting behind and above its flat position.
            let (s, c) = (-theta).sinCos
            let forward = (c - 1) * heelPivotBehind - s * ankleHeight
            let up = s * heelPivotBehind + (c - 1) * ankleHeight
            return PlanarJet(forward: forward, up: up)
        }
    }

    /// Hip position minus ankle position for shank inclination ψ and knee flexion κ (radians).
    func hipFromAnkle(shank psi: Jet, knee kappa: Jet) -> PlanarJet {
        let (sp, cp) = psi.sinCos
        let (sh, ch) = (kappa - psi).sinCos
        return PlanarJet(forward: sp * shank - sh * thigh, up: cp * shank + ch * thigh)
    }

    /// Plain-number versions for planning.
    func hipFromAnkle(shankDeg: Double, kneeDeg: Double) -> (forward: Double, up: Double) {
        let p = hipFromAnkle(shank: Jet(shankDeg * .pi / 180), knee: Jet(kneeDeg * .pi / 180))
        return (p.forward.value, p.up.value)
    }

    func ankleOffset(footPitchDeg: Double) -> (forward: Double, up: Double) {
        let o = ankleOffset(footPitch: Jet(footPitchDeg * .pi / 180))
        return (o.forward.value, o.up.value)
    }

    /// Standing hip height above the floor (straight leg, flat foot).
    var standingHipHeight: Double { ankleHeight + shank + thigh }

    /// Reach of the leg (ankle to hip) with the knee flexed κ (radians).
    func reach(kneeRad k: Double) -> Double { (shank * shank + thigh * thigh + 2 * shank * thigh * cos(k)).squareRoot() }

    /// Two-link inverse kinematics: the shank inclination and knee flexion that put the hip at `hip` with
    /// the ankle at `ankle`, knee forward of the ankle–hip line (a human knee). Near full reach the distance
    /// is saturated smoothly (tanh) so the knee never quite straightens past ~6°: a solved stance stays
    /// twice differentiable, at the price of the hip sitting a few millimetres short in those moments.
    func inverseKinematics(hip: PlanarJet, ankle: PlanarJet) -> (shank: Jet, knee: Jet) {
        let dx = hip.forward - ankle.forward, dy = hip.up - ankle.up
        var d = (dx * dx + dy * dy).squareRoot
        let soft = reach(kneeRad: 18 * .pi / 180), hard = reach(kneeRad: 6 * .pi / 180)
        if d.value > soft {
            d = ((d - soft) * (1 / (hard - soft))).hyperbolicTangent * (hard - soft) + soft
        }
        let d2 = d * d
        let ls = shank, lt = thigh
        let knee = ((d2 - (ls * ls + lt * lt)) * (1 / (2 * ls * lt))).arcCosine
        // Angle at the ankle between the shank and the ankle→hip line (law of cosines).
        let ankleAngle = ((d2 + (ls * ls - lt * lt)) / (d * (2 * ls))).arcCosine
        let lean = (dx / dy).arcTangent
        return (lean + ankleAngle, knee)
    }

    /// The shank inclination (degrees) that puts the hip `hipAhead` metres ahead of the ankle with the knee
    /// flexed `kneeDeg`: solves L_s·sin ψ − L_t·sin(κ − ψ) = hipAhead (nil when out of reach).
    func shankInclinationDeg(hipAhead: Double, kneeDeg: Double) -> Double? {
        let k = kneeDeg * .pi / 180
        // L_s sin ψ − L_t sin(κ−ψ) = (L_s + L_t cos κ) sin ψ − L_t sin κ cos ψ = R sin(ψ − δ)
        let a = shank + thigh * cos(k), b = thigh * sin(k)
        let r = (a * a + b * b).squareRoot()
        guard abs(hipAhead) < r else { return nil }
        return (atan2(b, a) + asin(hipAhead / r)) * 180 / .pi
    }
}
