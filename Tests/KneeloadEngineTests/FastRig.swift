import GaitSimulator
import KneeloadCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A test-local sensor model over the gait synthesizer, much faster than the register-level simulated rig:
/// the strap misalignment, bias, noise, knee drift, ±range clipping and missing gyro of the scenario's rig
/// description, applied directly to the body model's true signals.
struct FastRig {
    let scenario: Scenario
    let synthesizer: GaitSynthesizer
    let toSensor: Rotation3
    let accelBias: Vector3
    let gyroBias: Vector3
    let driftPhase: Double
    var random: SeededGenerator

    init(scenario: Scenario) {
        self.scenario = scenario
        synthesizer = GaitSynthesizer(scenario: scenario)
        let rig = scenario.rig
        let m = rig.mountOffsetDeg
        toSensor = Rotation3.rollPitchYaw(rollDeg: m.roll, pitchDeg: m.pitch, yawDeg: m.yaw).transposed
        var g = SeededGenerator(seed: scenario.seed).derived("fast-rig")
        func uniform(_ limit: Double) -> Double { (g.nextUnit() * 2 - 1) * limit }
        accelBias = Vector3(uniform(rig.accelBiasG), uniform(rig.accelBiasG), uniform(rig.accelBiasG))
        gyroBias = Vector3(uniform(rig.gyroBiasDps), uniform(rig.gyroBiasDps), uniform(rig.gyroBiasDps))
        driftPhase = g.nextUnit() * 2 * .pi
        random = g
    }

    /// Samples at `rate` Hz over the whole scenario, with the activity under way.
    mutating func samples(rate: Double) -> [(SensorSample, Activity)] {
        samples(at: (0..<Int(scenario.duration * rate)).map { Double($0) / rate })
    }

    /// Samples at the given times (increasing), with the activity under way.
    mutating func samples(at times: [Double]) -> [(SensorSample, Activity)] {
        let rig = scenario.rig
        let range = Double(rig.accelRangeG)
        let gyroRange = Double(rig.gyroRangeDps)
        var out: [(SensorSample, Activity)] = []
        out.reserveCapacity(times.count)
        for t in times {
            let body = synthesizer.state(at: t)
            func noise(_ sd: Double) -> Vector3 {
                Vector3(random.nextGaussian(standardDeviation: sd), random.nextGaussian(standardDeviation: sd), random.nextGaussian(standardDeviation: sd))
            }
            var a = toSensor * body.shankSpecificForce + accelBias + noise(rig.accelNoiseG)
            a = Vector3(min(max(a.x, -range), range), min(max(a.y, -range), range), min(max(a.z, -range), range))
            var w = toSensor * body.shankAngularRate + gyroBias + noise(rig.gyroNoiseDps)
            w = Vector3(min(max(w.x, -gyroRange), gyroRange), min(max(w.y, -gyroRange), gyroRange), min(max(w.z, -gyroRange), gyroRange))
            let drift = rig.kneeDriftDeg * sin(2 * .pi * t / max(rig.kneeDriftPeriodS, 1) + driftPhase)
            let knee = body.kneeFlexDeg + drift + random.nextGaussian(standardDeviation: rig.kneeNoiseDeg)
            out.append((SensorSample(time: t, accel: a, gyro: rig.gyro ? w : nil, kneeFlexDeg: knee,
                pressurePa: rig.barometer ? body.pressurePa : nil), body.activity))
        }
        return out
    }
}
