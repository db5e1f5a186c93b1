import Foundation

/// A bicycle fitted to the rider, in the sagittal plane and relative to the hip's seated position (the
/// saddle): where the bottom bracket is, where the ankle sits on the pedal at each crank angle, and the knee
/// and shank angles that follow by inverse kinematics. Crank angle θ is 0 at top dead centre (TDC) and
/// π/2 with the crank pointing forward (the pedal goes forward over the top, down in front, back under).
///
/// Dimensions: crank 172.5 mm (the common road length, 170–175 mm); seat-tube angle 73° (road frames
/// 72–74°); the ankle sits 0.07 H behind and 0.039 H + 15 mm (shoe and pedal) above the pedal spindle under
/// the ball of the foot, the foot pitched toe-down 15° ± 8° over a revolution (ankle range of motion
/// ~15–20° in seated pedalling; Ericson, Nisell & Németh 1988, Scand J Rehabil Med 20:93, joint motions of
/// the lower limb during ergometer cycling). The saddle height is set by the knee flexion wanted at bottom
/// dead centre; at 35° the knee then ranges ~33–113° over a revolution, as measured (Bini, Hume & Croft
/// 2011, Sports Med 41:463: ~30–40° at BDC and ~110° at TDC; Ericson et al. 1988) and one knee cycle per
/// revolution. Standing on the pedals moves the hip ~0.2 m forward (over the bottom bracket) and lets it
/// rise and fall ±2.5 cm twice per revolution as the weight goes onto each pedal in turn (our estimate).
struct CrankGeometry: Sendable, Hashable {
    let geometry: LegGeometry
    let crankM: Double
    /// Bottom bracket relative to the seated hip, metres.
    private(set) var bracketForward: Double
    private(set) var bracketUp: Double
    let ballToAnkleBack: Double
    let ballToAnkleUp: Double
    let standingForward: Double
    let standingSway: Double

    static let crankLengthM = 0.1725
    static let seatTubeDeg = 73.0
    static let footPitchMeanDeg = 15.0
    static let footPitchSwingDeg = 8.0

    init(geometry: LegGeometry, kneeBottomDeg: Double) {
        self.geometry = geometry
        crankM = Self.crankLengthM
        ballToAnkleBack = 0.07 * geometry.thigh / 0.245
        ballToAnkleUp = geometry.ankleHeight + 0.015
        let scale = geometry.thigh / (0.245 * 1.75)
        standingForward = 0.2 * scale
        standingSway = 0.025 * scale
        // The bracket distance along the seat tube that gives the wanted knee at BDC (bisection: the knee
        // straightens as the bracket moves away from the hip).
        let alpha = Self.seatTubeDeg * .pi / 180
        bracketForward = 0
        bracketUp = 0
        var lo = 0.3 * geometry.standingHipHeight, hi = geometry.thigh + geometry.shank
        var forward = 0.0, up = 0.0
        for _ in 0..<60 {
            let d = (lo + hi) / 2
            forward = d * cos(alpha)
            up = -d * sin(alpha)
            let probe = CrankGeometry(copying: self, bracketForward: forward, bracketUp: up)
            if probe.angles(crank: .pi, standing: 0).kneeDeg > kneeBottomDeg { lo = d } else { hi = d }
        }
        bracketForward = forward
        bracketUp = up
    }

    private init(copying other: CrankGeometry, bracketForward: Double, bracketUp: Double) {
        geometry = other.geometry
        crankM = other.crankM
        ballToAnkleBack = other.ballToAnkleBack
        ballToAnkleUp = other.ballToAnkleUp
        standingForward = other.standingForward
        standingSway = other.standingSway
        self.bracketForward = bracketForward
        self.bracketUp = bracketUp
    }

    /// The ankle relative to the seated hip at crank angle θ (radians).
    func ankle(crank theta: Double) -> (forward: Double, up: Double) {
        let pedalForward = bracketForward + crankM * sin(theta)
        let pedalUp = bracketUp + crankM * cos(theta)
        // Toe-down pitch, least in the downstroke (θ ≈ π/2) and most in the upstroke.
        let phi = (Self.footPitchMeanDeg - Self.footPitchSwingDeg * sin(theta)) * .pi / 180
        return (
            pedalForward - ballToAnkleBack * cos(phi) + ballToAnkleUp * sin(phi),
            pedalUp + ballToAnkleBack * sin(phi) + ballToAnkleUp * cos(phi)
        )
    }

    /// The hip relative to its seated position, `standing` (0 seated … 1 out of the saddle) at crank θ.
    func hip(crank theta: Double, standing w: Double) -> (forward: Double, up: Double) {
        (w * standingForward, -w * standingSway * cos(2 * (theta - .pi / 2)))
    }

    /// Knee flexion and shank inclination (degrees) with the foot on the pedal at crank θ.
    func angles(crank theta: Double, standing w: Double) -> (shankDeg: Double, kneeDeg: Double) {
        let a = ankle(crank: theta), h = hip(crank: theta, standing: w)
        let solved = geometry.inverseKinematics(
            hip: PlanarJet(forward: Jet(h.forward), up: Jet(h.up)), ankle: PlanarJet(forward: Jet(a.forward), up: Jet(a.up)))
        return (solved.shank.value * 180 / .pi, solved.knee.value * 180 / .pi)
    }

    /// The posture getting on and off: seated, the pedal at bottom dead centre.
    var mountPose: Pose {
        let a = angles(crank: .pi, standing: 0)
        return Pose(kneeDeg: a.kneeDeg, shankDeg: a.shankDeg)
    }
}
