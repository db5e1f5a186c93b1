import GaitSimulator
import KneeloadCore
import SimulatedBus

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How the sensors sit on this particular runner: what turns the body model's true motion into what the
/// chips feel. The IMU is rotated off the shank frame by the strap misalignment and its chip axes relate to
/// the frame by the rig's axis remap; it has a constant bias and white noise. The knee sensor slips slowly
/// (zero drift) and is noisy. Noise is a pure function of time, so a chip that samples the same instant
/// twice sees the same value, and a run repeats exactly.
struct SensorMounting: Sendable {
    private let mountOffset: RigDescription.MountOffset
    private let remap: AxisRemap
    private let accelBias: Vector3
    private let gyroBias: Vector3
    private let accelNoise: Double
    private let gyroNoise: Double
    private let kneeNoise: Double
    private let kneeDriftDeg: Double
    private let kneeDriftPeriod: Double
    private let kneeDriftPhase: Double
    private let noiseSeed: UInt64

    init(rig: RigDescription, random: SeededGenerator) {
        var random = random
        mountOffset = rig.mountOffsetDeg
        remap = rig.axisRemap
        func uniform(_ limit: Double) -> Double { (random.nextUnit() * 2 - 1) * limit }
        accelBias = Vector3(uniform(rig.accelBiasG), uniform(rig.accelBiasG), uniform(rig.accelBiasG))
        gyroBias = Vector3(uniform(rig.gyroBiasDps), uniform(rig.gyroBiasDps), uniform(rig.gyroBiasDps))
        accelNoise = rig.accelNoiseG
        gyroNoise = rig.gyroNoiseDps
        kneeNoise = rig.kneeNoiseDeg
        kneeDriftDeg = rig.kneeDriftDeg
        kneeDriftPeriod = max(rig.kneeDriftPeriodS, 1)
        kneeDriftPhase = random.nextUnit() * 2 * .pi
        noiseSeed = random.next()
    }

    /// What the IMU chip feels at virtual time `time`, along its own axes.
    func inertial(_ body: BodyState, at time: Double) -> InertialState {
        let force = mountOffset.sensorAxes(fromFrame: body.shankSpecificForce)
        let rate = mountOffset.sensorAxes(fromFrame: body.shankAngularRate)
        let key = Self.instantKey(time)
        let noisyForce = force + accelBias
            + Vector3(gaussian(key, 0), gaussian(key, 1), gaussian(key, 2)) * accelNoise
        let noisyRate = rate + gyroBias
            + Vector3(gaussian(key, 3), gaussian(key, 4), gaussian(key, 5)) * gyroNoise
        return InertialState(specificForce: remap.unapply(noisyForce), angularRate: remap.unapply(noisyRate))
    }

    /// The knee angle the knee sensor's mechanics present at `time`: the true angle plus strap slip and noise.
    func measuredKnee(_ body: BodyState, at time: Double) -> Double {
        let drift = kneeDriftDeg * sin(2 * .pi * time / kneeDriftPeriod + kneeDriftPhase)
        return body.kneeFlexDeg + drift + gaussian(Self.instantKey(time), 6) * kneeNoise
    }

    /// Noise keyed to the microsecond, so float rounding of the same instant cannot change it.
    private static func instantKey(_ time: Double) -> UInt64 {
        UInt64(bitPattern: Int64((time * 1e6).rounded()))
    }

    /// A standard normal value determined by (instant, channel) alone.
    private func gaussian(_ key: UInt64, _ channel: UInt64) -> Double {
        var g = SeededGenerator(seed: noiseSeed ^ (key &* 0x9E37_79B9_7F4A_7C15) ^ (channel &* 0xD1B5_4A32_D192_ED03))
        return g.nextGaussian()
    }
}
