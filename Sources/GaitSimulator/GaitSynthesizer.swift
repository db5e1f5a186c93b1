import Foundation
import KneeloadCore

/// The body model: true shank motion, knee angle and air pressure of a simulated person following a
/// scenario. Everything is planned at init (timeline, stride shapes, footprints, splines); `state(at:)` is
/// then a pure, allocation-free evaluation, safe to call from any thread.
///
/// The model (details in simulator/README.md): a sagittal two-segment leg (thigh 0.245 H, shank 0.246 H)
/// with keyframed knee and shank angles per cycle, a foot that stays on its footprint in stance (rocking on
/// heel and toe), a pelvis placed by forward kinematics from the supporting foot (ballistic in flight), and
/// a hip-driven swing. The sensor point sits a third of the shank below the knee; its acceleration is the
/// exact second derivative of its position, so specific force, angular rate and position always agree.
/// Small out-of-plane rotations and a damped contact transient are added; sensor errors are not (the rig
/// layer applies them from `scenario.rig`).
public final class GaitSynthesizer: Sendable {
    public let scenario: Scenario
    let plan: GaitPlan

    /// Standard gravity, m/s² (the g in "specific force in g").
    public static let standardGravity = 9.80665

    public init(scenario: Scenario) {
        self.scenario = scenario
        plan = GaitPlanner(scenario: scenario).build()
    }

    /// Seconds from the first to the last sample of motion; equals `scenario.duration`.
    public var duration: Double { plan.clock.endTime }

    /// The true state at `time` (seconds from the start). Times outside [0, duration] give the state at
    /// the nearest end.
    public func state(at time: Double) -> BodyState {
        let t = min(max(time, 0), plan.clock.endTime)
        let leg = plan.leg(at: t)
        let record = plan.cycles[leg.cycle]
        let d = plan.geometry.sensorFromAnkle

        // Orientation R = Rz(ψ)·Ry(tilt)·Rx(axial) in world axes (up, forward, left).
        let (axial, tilt) = plan.outOfPlane.angles(phase: leg.phase)
        let (sinPsi, cosPsi) = leg.shank.sinCos
        let (sinTilt, cosTilt) = tilt.sinCos
        let (sinAxial, cosAxial) = (sin(axial.value), cos(axial.value))

        // Sensor position: ankle plus d along the shank axis R·(1, 0, 0).
        let up = leg.ankle.up + cosTilt * cosPsi * d
        let forward = leg.ankle.forward + cosTilt * sinPsi * d
        let left = sinTilt * (-d)

        // Specific force in world axes, then in the shank frame: Rᵀ·(a − g) / g.
        let g = Self.standardGravity
        let fu = up.curvature + g, ff = forward.curvature, fl = left.curvature
        let cp = cosPsi.value, sp = sinPsi.value, ct = cosTilt.value, st = sinTilt.value
        let a1 = Vector3(cp * fu + sp * ff, -sp * fu + cp * ff, fl)  // Rz(ψ)ᵀ
        let a2 = Vector3(ct * a1.x - st * a1.z, a1.y, st * a1.x + ct * a1.z)  // Ry(tilt)ᵀ
        var force = Vector3(a2.x, cosAxial * a2.y + sinAxial * a2.z, -sinAxial * a2.y + cosAxial * a2.z) * (1 / g)

        // Body angular velocity: Rx(axial)ᵀ·[Ry(tilt)ᵀ·(0,0,ψ′) + (0,tilt′,0)] + (axial′,0,0).
        let psiRate = leg.shank.rate
        let v = Vector3(-st * psiRate, tilt.rate, ct * psiRate)
        var rate = Vector3(
            v.x + axial.rate, cosAxial * v.y + sinAxial * v.z, -sinAxial * v.y + cosAxial * v.z) * (180 / .pi)

        if let contact = record.contact {
            let ring = contact.shape(at: t) * contact.peakG
            if ring != 0 {
                force.x += ring
                force.y += ring * contact.forwardShare
                rate.z += ring * contact.gyroDpsPerG
            }
        }

        if let pedal = record.pedal, record.vibrationG > 0 {
            // Fades in and out with the crank's speed (none while the bicycle stands still).
            let u = leg.phase.value - Double(leg.cycle)
            let speed = min(PedalCycle.progress(pedal.ramp, u).rate, 1)
            let v = plan.vibration.value(at: t) * record.vibrationG * speed
            force.x += v
            force.y += v * plan.vibration.forwardShare
            rate.z += v * plan.vibration.gyroDpsPerG
        }

        let hipUp = plan.pelvisUp.evaluate(leg.phase.value, hint: leg.cycle * GaitPlan.pelvisKnotsPerCycle).value
        let altitude = scenario.environment.altitudeM + hipUp
        let pressure = Self.pressure(altitudeM: altitude) + scenario.environment.pressureDriftPaPerHour * t / 3600
        return BodyState(
            time: t, shankSpecificForce: force, shankAngularRate: rate, kneeFlexDeg: leg.knee.value * 180 / .pi,
            altitudeM: altitude, pressurePa: pressure, activity: record.activity,
            shankInclinationDeg: leg.shank.value * 180 / .pi, footOnGround: leg.planted,
            sensorPositionM: Vector3(forward.value, up.value, left.value))
    }

    /// International Standard Atmosphere pressure at an altitude (troposphere):
    /// p = 101325 · (1 − 2.25577·10⁻⁵ · h)^5.25588 Pa.
    public static func pressure(altitudeM h: Double) -> Double {
        101_325 * pow(1 - 2.25577e-5 * h, 5.25588)
    }

    /// What really happened: every contact of the instrumented foot, counts and segment times.
    public func truth() -> GroundTruth {
        let clock = plan.clock
        let cycles = plan.cycles
        let n = cycles.count
        var steps: [GroundTruth.Step] = []
        for m in 1..<max(n, 1) where cycles[m - 1].kind.endsWithContact {
            var toeOff = clock.endTime
            if let lift = (m..<n).first(where: { !cycles[$0].plantedThrough }) {
                toeOff = clock.time(atPhase: Double(lift) + cycles[lift].stanceShare)
            }
            let activity = cycles[m].activity
            steps.append(
                GroundTruth.Step(
                    tS: clock.times[m], toeOffS: toeOff, activity: activity, stairDescent: activity == .stairDescent))
        }
        let segments = plan.layout.segments.map { s in
            GroundTruth.Segment(
                activity: s.activity, startS: clock.times[s.firstCycle], endS: clock.times[s.firstCycle + s.cycleCount])
        }
        return GroundTruth(
            scenario: scenario.name, seed: scenario.seed, durationS: clock.endTime, steps: steps,
            counts: GroundTruth.counts(of: steps), segments: segments)
    }
}
