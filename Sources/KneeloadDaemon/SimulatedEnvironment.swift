import AlertOutputs
import GaitSimulator
import KneeloadConfiguration
import KneeloadCore
import KneeloadSimulation
import SensorDrivers
import SimulatedBus

/// The daemon's surroundings without hardware: simulated chips on a simulated I2C bus, a simulated GPIO chip
/// with the header's line names, and a loop clock that drives both on the virtual clock. The chips are moved
/// either by a scenario's body model (`--simulate`) or by recorded samples (`--replay`).
///
/// The configuration's sensor section is made to describe the simulated rig (its calibration, range, axis
/// remap and gyro), as an integrator would configure a real one; everything else (limits, patterns, lines,
/// directories) is the configuration's own.
public final class SimulatedEnvironment: Sendable {
    /// The scenario's rig; nil when playing back a recording.
    public let rig: SimulatedRig?
    public let bus: SimulatedI2CBus
    public let gpio: SimulatedGPIOChip
    public let clock: SimulatedLoopClock
    public let configuration: Configuration
    /// What is being played, for logs and recordings.
    public let name: String
    /// Seconds of the scenario or recording.
    public let duration: Double

    /// Virtual time before the first sample, as on a board the chips run before sampling starts.
    public static let warmUp = SimulatedRig.warmUp

    /// The lines of a Raspberry Pi header, by the names its kernel gives them.
    public static let headerLineNames = (0...27).map { "GPIO\($0)" }

    public init(scenario: Scenario, seed: UInt64?, speed: Double?, configuration: Configuration) {
        let rig = SimulatedRig(scenario: scenario, seed: seed)
        var configured = configuration
        let description = rig.scenario.rig
        configured.sensors.flexCalibration = rig.flexCalibration
        configured.sensors.encoderZeroOffsetDeg = rig.encoderZeroDeg
        configured.sensors.encoderClockwiseIsFlexion = true
        configured.sensors.axisRemap = description.axisRemap
        configured.sensors.useGyro = description.gyro
        configured.sensors.accelRangeG = description.accelRangeG
        configured.sensors.gyroRangeDPS = description.gyroRangeDps
        self.rig = rig
        name = "\(rig.scenario.name) seed \(rig.scenario.seed)"
        duration = rig.scenario.duration
        (bus, gpio, clock, self.configuration) = Self.surroundings(
            bus: rig.bus, virtualClock: rig.clock, speed: speed, configuration: configured)
    }

    /// Plays `samples` (CONTRACTS frame, times from 0) through an MPU-6050 and an ADS1115 flex sensor on the
    /// simulated bus, interpolating linearly between samples, so the drivers, the loop, the alerts and the
    /// status all run on recorded data. Gaps in the recording are bridged, not reproduced.
    public init(samples: [SensorSample], name: String, hasGyro: Bool, speed: Double?, configuration: Configuration) {
        let virtualClock = VirtualClock()
        let bus = SimulatedI2CBus(clock: virtualClock, seed: 1)
        let playback = SamplePlayback(samples: samples, offset: Self.warmUp.seconds)
        let calibration = FlexCalibration.typical
        bus.attach(
            MPU6050Model(variant: .mpu6050, stimulus: ClosureStimulus(inertial: { playback.inertial(at: $0) })), at: 0x68)
        bus.attach(
            ADS1115Model(stimulus: ClosureStimulus(volts: { channel, time in
                channel == 0 ? calibration.volts(flexionDegrees: playback.knee(at: time)) : 0
            })), at: 0x48)
        var configured = configuration
        configured.sensors.imuChip = .mpu6050
        configured.sensors.imuAddress = 0x68
        configured.sensors.kneeChip = .ads1115
        configured.sensors.kneeAddress = 0x48
        configured.sensors.flexChannel = 0
        configured.sensors.flexCalibration = calibration
        configured.sensors.axisRemap = .identity
        configured.sensors.useGyro = hasGyro
        configured.sensors.accelRangeG = 16
        configured.sensors.gyroRangeDPS = 2000
        rig = nil
        self.name = name
        duration = samples.last.map { max(0, $0.time - (samples.first?.time ?? 0)) } ?? 0
        (self.bus, gpio, clock, self.configuration) = Self.surroundings(
            bus: bus, virtualClock: virtualClock, speed: speed, configuration: configured)
    }

    private static func surroundings(
        bus: SimulatedI2CBus, virtualClock: VirtualClock, speed: Double?, configuration: Configuration
    ) -> (SimulatedI2CBus, SimulatedGPIOChip, SimulatedLoopClock, Configuration) {
        let gpio = SimulatedGPIOChip(name: "gpiochip0", lineNames: headerLineNames, now: { virtualClock.now })
        virtualClock.advance(to: warmUp)
        var configured = configuration
        configured.sensors.i2cBus = bus.name
        return (bus, gpio, SimulatedLoopClock(virtualClock: virtualClock, speed: speed), configured)
    }

    /// The end of the scenario or recording on the loop clock.
    public var end: Duration { Self.warmUp + .seconds(duration) }
}

/// Recorded samples as a continuous motion, for the simulated chips' stimuli.
struct SamplePlayback: Sendable {
    let samples: [SensorSample]
    /// Virtual time of the first sample.
    let offset: Double
    let firstTime: Double

    init(samples: [SensorSample], offset: Double) {
        self.samples = samples
        self.offset = offset
        firstTime = samples.first?.time ?? 0
    }

    /// The two samples around virtual time `time` and the weight of the later one.
    private func around(_ time: Double) -> (SensorSample, SensorSample, Double)? {
        guard let first = samples.first, let last = samples.last else { return nil }
        let t = time - offset + firstTime
        if t <= first.time { return (first, first, 0) }
        if t >= last.time { return (last, last, 0) }
        var low = 0, high = samples.count - 1
        while high - low > 1 {
            let mid = (low + high) / 2
            if samples[mid].time <= t { low = mid } else { high = mid }
        }
        let a = samples[low], b = samples[high]
        return (a, b, (t - a.time) / (b.time - a.time))
    }

    func inertial(at time: Double) -> InertialState {
        guard let (a, b, w) = around(time) else { return .resting }
        let rateA = a.gyro ?? .zero, rateB = b.gyro ?? .zero
        return InertialState(specificForce: a.accel + (b.accel - a.accel) * w, angularRate: rateA + (rateB - rateA) * w)
    }

    func knee(at time: Double) -> Double {
        guard let (a, b, w) = around(time) else { return 0 }
        return a.kneeFlexDeg + (b.kneeFlexDeg - a.kneeFlexDeg) * w
    }
}
