import AlertOutputs
import GaitSimulator
import KneeloadConfiguration
import KneeloadSimulation
import SimulatedBus

/// The daemon's surroundings in simulation mode: a scenario's rig on the simulated I2C bus, a simulated GPIO
/// chip with the header's line names, and a loop clock that drives both on the virtual clock.
///
/// The configuration's sensor section is made to describe the simulated rig (its calibration, range, axis
/// remap and gyro), as an integrator would configure a real one; everything else (limits, patterns, lines,
/// directories) is the configuration's own.
public final class SimulatedEnvironment: Sendable {
    public let rig: SimulatedRig
    public let gpio: SimulatedGPIOChip
    public let clock: SimulatedLoopClock
    public let configuration: Configuration

    /// The lines of a Raspberry Pi header, by the names its kernel gives them.
    public static let headerLineNames = (0...27).map { "GPIO\($0)" }

    public init(scenario: Scenario, seed: UInt64?, speed: Double?, configuration: Configuration) {
        rig = SimulatedRig(scenario: scenario, seed: seed)
        let virtualClock = rig.clock
        gpio = SimulatedGPIOChip(name: "gpiochip0", lineNames: Self.headerLineNames, now: { virtualClock.now })
        virtualClock.advance(to: SimulatedRig.warmUp)
        clock = SimulatedLoopClock(virtualClock: virtualClock, speed: speed)
        var configured = configuration
        let description = rig.scenario.rig
        configured.sensors.flexCalibration = rig.flexCalibration
        configured.sensors.encoderZeroOffsetDeg = rig.encoderZeroDeg
        configured.sensors.encoderClockwiseIsFlexion = true
        configured.sensors.axisRemap = description.axisRemap
        configured.sensors.useGyro = description.gyro
        configured.sensors.accelRangeG = description.accelRangeG
        configured.sensors.gyroRangeDPS = description.gyroRangeDps
        configured.sensors.i2cBus = rig.bus.name
        self.configuration = configured
    }

    /// The scenario's end on the loop clock.
    public var scenarioEnd: Duration { SimulatedRig.warmUp + .seconds(rig.scenario.duration) }
}
