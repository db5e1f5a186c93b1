#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The patellofemoral joint reaction force proxy of biomech.md §1.3, in body weights:
///
///   P = s · f · d · k(θ) / MA(θ),   d = c_d · L_s · sin φ
///
/// with k and MA from `PatellofemoralModel` (van Eijden 1986; Nunes 2018 review), L_s = 0.246 · height
/// (Winter), f the vertical ground reaction force in BW, and φ the shank inclination. During gait φ = θ/2
/// (hip over ankle, symmetric posture) with a per-mode c_d fitted so the model reproduces published knee
/// moments; a measured inclination from the accelerometer is not trusted in stance, where impacts and the
/// shank's own acceleration swamp gravity. Negative moments (knee extended past straight) give 0.
public struct PatellofemoralLoad: Sendable {
    /// Knee angles beyond this are outside the range the k(θ) and MA(θ) fits were made over (their
    /// polynomials turn over above ~110°); larger angles are evaluated here.
    public static let maximumModelKneeDeg = 110.0
    /// Vertical GRF per leg when both feet share the weight standing or squatting (BW).
    public static let twoLegSupportBW = 0.5

    public let shankLengthM: Double

    public init(configuration: EngineConfiguration) {
        shankLengthM = configuration.shankLengthM
    }

    /// c_d: the share of L_s·sin(θ/2) that is the GRF's lever arm about the knee (biomech.md §1.3 [D]).
    /// - walking 0.62: 0.5 Nm/kg at 20° with a 1.1 BW GRF;
    /// - running 0.65: 2.5 Nm/kg at 46° with a 2.3 BW GRF (Heiderscheit 2011);
    /// - stair descent 0.36: 1.05 Nm/kg (Reid 2007) near 90°, the θ/2 posture overstating the lever arm;
    /// - stair ascent 0.57: fitted here the same way to Costigan 2002's 1.16 Nm/kg at 55–60° of flexion with
    ///   f = 1 BW: 1.16 / 9.81 / (0.4305 · sin 28.75°) ≈ 0.57.
    public static func leverArmShare(_ mode: GaitMode) -> Double {
        switch mode {
        case .walking: 0.62
        case .running: 0.65
        case .stairDescent: 0.36
        case .stairAscent: 0.57
        }
    }

    /// k(θ)/MA(θ) in 1/m, with θ clamped to the model's range.
    @inlinable
    public static func forcePerMoment(kneeFlexDeg theta: Double) -> Double {
        let t = Swift.min(Swift.max(theta, 0), maximumModelKneeDeg)
        return PatellofemoralModel.forceRatio(kneeFlexDeg: t) / PatellofemoralModel.momentArm(kneeFlexDeg: t)
    }

    /// Force in BW during gait for knee flexion θ and vertical GRF f (BW), using φ = θ/2.
    @inlinable
    public func gaitForce(kneeFlexDeg theta: Double, groundReactionBW f: Double, mode: GaitMode) -> Double {
        GaitAngle(kneeFlexDeg: theta).force(groundReactionBW: f, leverArm: gaitLeverArm(mode))
    }

    /// c_d · L_s for `mode`: the part of the gait lever arm that does not depend on the knee angle.
    @inlinable
    public func gaitLeverArm(_ mode: GaitMode) -> Double {
        Self.leverArmShare(mode) * shankLengthM
    }

    /// The knee-angle part of `gaitForce` (sin(θ/2) and k/MA), computed once per sample when a stance is
    /// evaluated in two modes.
    public struct GaitAngle: Sendable {
        public let isFlexed: Bool
        public let sineOfHalf: Double
        public let forcePerMoment: Double

        @inlinable
        public init(kneeFlexDeg theta: Double) {
            isFlexed = theta > 0
            let t = Swift.min(theta, PatellofemoralLoad.maximumModelKneeDeg)
            sineOfHalf = isFlexed ? SineSeries.sine(upToQuarterTurn: t * (Double.pi / 360)) : 0
            forcePerMoment = isFlexed ? PatellofemoralLoad.forcePerMoment(kneeFlexDeg: t) : 0
        }

        /// Force in BW for vertical GRF f (BW) and `gaitLeverArm(mode)`: f · d · k/MA, d = c_d · L_s · sin(θ/2).
        @inlinable
        public func force(groundReactionBW f: Double, leverArm: Double) -> Double {
            guard isFlexed, f > 0 else { return 0 }
            return f * (leverArm * sineOfHalf) * forcePerMoment
        }
    }

    /// Force in BW while standing or squatting on both legs (no gait): f = 0.5 BW per leg with the measured
    /// shank inclination φ, the GRF acting near the ankle (c_d = 1 quasi-statically: no push-off, no impact).
    /// A vertical shank (sitting, standing straight) gives ≈ 0; a 90° squat with the shank 30–45° forward
    /// gives 4–6 BW (biomech.md §1.2, §5: 2.5–7.6 BW in deep knee bends).
    @inlinable
    public func quasiStaticForce(kneeFlexDeg theta: Double, shankInclinationDeg phi: Double) -> Double {
        guard theta > 0, phi > 0 else { return 0 }
        let d = shankLengthM * SineSeries.sine(upToQuarterTurn: Swift.min(phi, 90) * (Double.pi / 180))
        return Self.twoLegSupportBW * d * Self.forcePerMoment(kneeFlexDeg: theta)
    }

    /// `quasiStaticForce(kneeFlexDeg:shankInclinationDeg:)` with φ given as a direction, φ = atan2(across,
    /// along) for across ≥ 0: sin(min(φ, 90°)) is across / ‖(along, across)‖, or 1 past 90°.
    @inlinable
    public func quasiStaticForce(kneeFlexDeg theta: Double, inclinationAlong x: Double, across y: Double) -> Double {
        guard theta > 0, y > 0 else { return 0 }
        let sine = x > 0 ? y / (x * x + y * y).squareRoot() : 1
        return Self.twoLegSupportBW * (shankLengthM * sine) * Self.forcePerMoment(kneeFlexDeg: theta)
    }

    /// Peak vertical GRF of a running step (Morin 2005 sine-wave model): F_pk = (π/2)(t_f/t_c + 1), in BW.
    @inlinable
    public static func runningPeakGRF(contactS: Double, flightS: Double) -> Double {
        guard contactS > 0 else { return 0 }
        return Double.pi / 2 * (Swift.max(flightS, 0) / contactS + 1)
    }

    /// Vertical GRF in BW at `sinceContact` seconds into a stance of `contactS` seconds.
    /// Running: half-sine with the Morin peak. Walking and stairs: 1 BW in single support, ramped linearly
    /// from 0 over the first double support and back to 0 over the last one.
    @inlinable
    public static func groundReaction(
        sinceContact s: Double, contactS: Double, flightS: Double, doubleSupportS: Double, mode: GaitMode
    ) -> Double {
        guard s >= 0, s <= contactS, contactS > 0 else { return 0 }
        if mode == .running {
            return runningPeakGRF(contactS: contactS, flightS: flightS) * SineSeries.sine(upToHalfTurn: Double.pi * s / contactS)
        }
        let ramp = Swift.min(Swift.max(doubleSupportS, 0), contactS / 2)
        guard ramp > 0 else { return 1 }
        if s < ramp { return s / ramp }
        if s > contactS - ramp { return (contactS - s) / ramp }
        return 1
    }
}
