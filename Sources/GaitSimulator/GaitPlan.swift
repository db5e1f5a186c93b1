import Foundation

/// Foot rockers during one stance: pitch at contact rolling flat, then heel rise before toe-off.
struct FootRocker: Sendable, Hashable {
    /// Radians; + heel up (forefoot contact), − toe up (heel strike).
    var contactPitch: Double = 0
    /// Stance fraction by which the foot is flat.
    var flatBy: Double = 0.2
    /// Radians of heel rise at toe-off.
    var toeOffPitch: Double = 0
    /// Stance fraction at which the heel starts to rise.
    var heelOffFrom: Double = 0.5

    static let flat = FootRocker()

    /// Foot pitch at stance progress `progress` (0 contact, 1 toe-off). Cubic ramps, so the pitch and its
    /// first two derivatives are continuous where each rocker starts or ends.
    @inline(__always) func pitch(progress: Jet) -> Jet {
        var theta = Jet.zero
        if contactPitch != 0 && progress.value < flatBy {
            let s = Jet(1) - progress * (1 / flatBy)
            theta = s * s * s * contactPitch
        }
        if toeOffPitch != 0 && progress.value > heelOffFrom {
            let s = (progress - heelOffFrom) * (1 / (1 - heelOffFrom))
            theta = theta + s * s * s * toeOffPitch
        }
        return theta
    }
}

/// One planned cycle, with everything evaluation needs.
struct CycleRecord: Sendable {
    var kind: CycleKind
    /// Ground-truth activity (the segment's).
    var activity: Activity
    /// Index into the layout's segments.
    var segment: Int
    /// Stance share (1 for cycles the foot never leaves the ground in).
    var stanceShare: Double
    /// Ankle position with the foot flat on its footprint: metres forward and up from the start.
    var footprintForward: Double
    var footprintUp: Double
    var rocker: FootRocker
    /// Swing: the correction that joins the hip-driven swing path to the planted foot at both ends.
    /// Swing: the gap between the hip-driven ankle and the planted foot, fading out after toe-off (lift)
    /// and in before the next contact (land). Outside their windows they are zero.
    var liftForward: QuinticBridge = .none
    var liftUp: QuinticBridge = .none
    var landForward: QuinticBridge = .none
    var landUp: QuinticBridge = .none
    /// The contact that starts this cycle, if it starts with one.
    var contact: ContactTransient?
    /// A crank revolution: the bicycle and how the crank turns (nil for every other cycle).
    var pedal: PedalCycle?
    /// Peak road or trainer vibration at the shank while pedalling, g.
    var vibrationG = 0.0

    var plantedThrough: Bool { kind.plantedThrough }
}

/// Small rotations out of the sagittal plane (shank axial rotation and frontal tilt), periodic in the gait
/// phase: a few °/s, as real shank gyros show on x and y.
struct OutOfPlaneMotion: Sendable, Hashable {
    /// Radians.
    var axialAmplitude: Double
    var axialPhase: Double
    var tiltAmplitude: Double
    var tiltPhase: Double
    var harmonicShare: Double

    @inline(__always) func angles(phase: Jet) -> (axial: Jet, tilt: Jet) {
        let w = phase * (2 * Double.pi)
        let axial = ((w + axialPhase).sin + (w * 2 + axialPhase * 1.7).sin * harmonicShare) * axialAmplitude
        let tilt = ((w + tiltPhase).sin + (w * 2 + tiltPhase * 0.6).sin * harmonicShare) * tiltAmplitude
        return (axial, tilt)
    }
}

/// The precomputed body model: a phase clock, joint-angle and pelvis splines over the phase, and one record
/// per cycle. Evaluation is pure and allocation-free.
struct GaitPlan: Sendable {
    static let kneeKnotsPerCycle = 8
    static let pelvisKnotsPerCycle = 16

    let geometry: LegGeometry
    let clock: PhaseClock
    let cycles: [CycleRecord]
    /// Radians, over phase.
    let knee: NaturalCubicSpline
    let shank: NaturalCubicSpline
    /// Metres, over phase: hip (pelvis) position.
    let pelvisForward: NaturalCubicSpline
    let pelvisUp: NaturalCubicSpline
    let outOfPlane: OutOfPlaneMotion
    let vibration: RoadVibration
    let layout: CycleLayout

    /// The leg at one instant.
    struct LegSample {
        var cycle: Int
        var phase: Jet
        var shank: Jet
        var knee: Jet
        var ankle: PlanarJet
        var planted: Bool
    }

    @inline(__always) func angles(phase: Jet, cycle k: Int) -> (shank: Jet, knee: Jet) {
        let hint = k * Self.kneeKnotsPerCycle
        return (shank.evaluate(phase, hint: hint), knee.evaluate(phase, hint: hint))
    }

    @inline(__always) func pelvis(phase: Jet, cycle k: Int) -> PlanarJet {
        let hint = k * Self.pelvisKnotsPerCycle
        return PlanarJet(forward: pelvisForward.evaluate(phase, hint: hint), up: pelvisUp.evaluate(phase, hint: hint))
    }

    /// The ankle of a foot that is down in cycle k: its footprint, moved by the foot's rocking.
    @inline(__always) func plantedAnkle(cycle k: Int, phase: Jet) -> PlanarJet {
        let record = cycles[k]
        let progress = (phase - Double(k)) * (1 / record.stanceShare)
        let offset = geometry.ankleOffset(footPitch: record.rocker.pitch(progress: progress))
        return PlanarJet(
            forward: offset.forward + record.footprintForward, up: offset.up + record.footprintUp)
    }

    /// The ankle as the hip, thigh and shank place it.
    @inline(__always) func hipDrivenAnkle(cycle k: Int, phase: Jet, shank: Jet, knee: Jet) -> PlanarJet {
        pelvis(phase: phase, cycle: k) - geometry.hipFromAnkle(shank: shank, knee: knee)
    }

    /// Stance share at each end of a stride's stance over which the keyframed angles hand over to the
    /// solved ones (landing, push-off).
    static let stanceHandover = 0.25

    /// The leg's angles while its foot is down. In a gait stride they are solved from hip and ankle (so the
    /// chain closes) through mid-stance, handing over smoothly from and to the keyframed angles near contact
    /// and toe-off, where the real leg's joints absorb and release the landing; keyframed in still cycles.
    @inline(__always) func stanceAngles(cycle k: Int, phase: Jet, ankle: PlanarJet) -> (shank: Jet, knee: Jet) {
        let keyed = angles(phase: phase, cycle: k)
        guard cycles[k].kind == .stride else { return keyed }
        let solved = geometry.inverseKinematics(hip: pelvis(phase: phase, cycle: k), ankle: ankle)
        let progress = (phase - Double(k)) * (1 / cycles[k].stanceShare)
        let w = Self.handoverWeight(progress)
        return (keyed.shank + w * (solved.shank - keyed.shank), keyed.knee + w * (solved.knee - keyed.knee))
    }

    /// 0 at contact and toe-off, 1 through mid-stance, C² (quintic smoothstep ramps).
    @inline(__always) static func handoverWeight(_ progress: Jet) -> Jet {
        let h = stanceHandover
        if progress.value < h { return smoothstep(progress * (1 / h)) }
        if progress.value > 1 - h { return smoothstep((Jet(1) - progress) * (1 / h)) }
        return Jet(1)
    }

    @inline(__always) static func smoothstep(_ s: Jet) -> Jet {
        let v = min(max(s.value, 0), 1)
        let x = Jet(v, s.rate, s.curvature)
        return x * x * x * (x * (x * 6 - 15) + 10)
    }

    func leg(at t: Double) -> LegSample {
        let time = min(max(t, clock.startTime), clock.endTime)
        let k = clock.cycle(at: time)
        let phase = clock.phase(at: time, cycle: k)
        let record = cycles[k]
        let planted = record.plantedThrough || phase.value - Double(k) < record.stanceShare
        if planted {
            let ankle = plantedAnkle(cycle: k, phase: phase)
            let (psi, kappa) = stanceAngles(cycle: k, phase: phase, ankle: ankle)
            return LegSample(cycle: k, phase: phase, shank: psi, knee: kappa, ankle: ankle, planted: true)
        }
        let (psi, kappa) = angles(phase: phase, cycle: k)
        let correction = PlanarJet(
            forward: record.liftForward.evaluateInside(at: time) + record.landForward.evaluateInside(at: time),
            up: record.liftUp.evaluateInside(at: time) + record.landUp.evaluateInside(at: time))
        let ankle = hipDrivenAnkle(cycle: k, phase: phase, shank: psi, knee: kappa) + correction
        return LegSample(cycle: k, phase: phase, shank: psi, knee: kappa, ankle: ankle, planted: false)
    }
}
