import GaitSimulator
import KneeloadCore
import SensorBus
import SensorDrivers
import SimulatedBus

/// A whole simulated rig: the body model of a scenario moving the chips its rig description names, strapped
/// on as described (axis remap, strap misalignment, bias, noise, knee-sensor drift), on a simulated bus and a
/// virtual clock. The real drivers then read it exactly as they read hardware.
///
/// Time: the chips power on at virtual time 0; the body model's time 0 is `warmUp` later, so the chips have
/// taken their first samples before the first sample is read.
public final class SimulatedRig: Sendable {
    public let scenario: Scenario
    public let clock: VirtualClock
    public let bus: SimulatedI2CBus
    public let imuAddress: UInt8
    public let kneeAddress: UInt8
    /// The flex circuit and the two-point calibration that matches it, for rigs with an ADS1115.
    public let flexCircuit: FlexSensorCircuit
    public let flexCalibration: FlexCalibration
    /// The AS5600 reading that corresponds to a straight knee, for rigs with an encoder.
    public let encoderZeroDeg: Double
    public let synthesizer: GaitSynthesizer
    public static let warmUp = Duration.milliseconds(200)

    public init(scenario: Scenario, seed: UInt64? = nil) {
        var scenario = scenario
        if let seed { scenario.seed = seed }
        self.scenario = scenario
        let rig = scenario.rig
        let clock = VirtualClock()
        let bus = SimulatedI2CBus(clock: clock, seed: scenario.seed)
        let synthesizer = GaitSynthesizer(scenario: scenario)
        let random = SeededGenerator(seed: scenario.seed).derived("rig")
        let mounting = SensorMounting(rig: rig, random: random)
        let offset = Self.warmUp.seconds
        let circuit = FlexSensorCircuit()
        let encoderZero = 137.0  // where the magnet happens to sit with the knee straight

        let inertial = ClosureStimulus(inertial: { time in
            let body = synthesizer.state(at: max(0, time - offset))
            return mounting.inertial(body, at: time)
        })
        switch rig.imu {
        case .mpu6050: bus.attach(MPU6050Model(variant: .mpu6050, stimulus: inertial), at: 0x68)
        case .mpu6500: bus.attach(MPU6050Model(variant: .mpu6500, stimulus: inertial), at: 0x68)
        case .lsm6ds3: bus.attach(LSM6DSModel(variant: .lsm6ds3, stimulus: inertial), at: 0x6A)
        case .lsm6dsox: bus.attach(LSM6DSModel(variant: .lsm6dsox, stimulus: inertial), at: 0x6A)
        }
        switch rig.kneeSensor {
        case .ads1115:
            let analog = ClosureStimulus(volts: { channel, time in
                guard channel == 0 else { return 0 }
                let body = synthesizer.state(at: max(0, time - offset))
                return circuit.volts(bendDeg: mounting.measuredKnee(body, at: time))
            })
            bus.attach(ADS1115Model(stimulus: analog), at: 0x48)
        case .as5600:
            let magnetic = ClosureStimulus(magnet: { time in
                let body = synthesizer.state(at: max(0, time - offset))
                // Clockwise magnet rotation is flexion on this brace.
                return MagnetState(angleDeg: encoderZero + mounting.measuredKnee(body, at: time), fieldMilliTesla: 55)
            })
            bus.attach(AS5600Model(stimulus: magnetic), at: 0x36)
        }
        self.clock = clock
        self.bus = bus
        self.synthesizer = synthesizer
        self.flexCircuit = circuit
        // The integrator's two-point calibration: the divider's voltage with the knee straight and at 90°.
        // The circuit's two voltages always differ, so the fallback is never taken.
        self.flexCalibration =
            (try? FlexCalibration(
                straightVolts: circuit.volts(bendDeg: 0), bentVolts: circuit.volts(bendDeg: 90), bentDeg: 90))
            ?? .typical
        self.encoderZeroDeg = encoderZero
        switch rig.imu {
        case .mpu6050, .mpu6500: imuAddress = 0x68
        case .lsm6ds3, .lsm6dsox: imuAddress = 0x6A
        }
        kneeAddress = rig.kneeSensor == .ads1115 ? 0x48 : 0x36
    }

    /// A driver for the rig's IMU on its bus.
    public func makeIMUDriver() -> any ShankIMU {
        switch scenario.rig.imu {
        case .mpu6050, .mpu6500: MPU6050Driver(bus: bus, address: imuAddress)
        case .lsm6ds3, .lsm6dsox: LSM6DSDriver(bus: bus, address: imuAddress)
        }
    }

    /// A driver for the rig's knee sensor, calibrated as an integrator would calibrate it.
    public func makeKneeSensor() -> any KneeAngleSensor {
        switch scenario.rig.kneeSensor {
        case .ads1115: ADS1115FlexDriver(bus: bus, address: kneeAddress, channel: 0, calibration: flexCalibration)
        case .as5600: AS5600Driver(bus: bus, address: kneeAddress, zeroOffsetDeg: encoderZeroDeg, clockwiseIsFlexion: true)
        }
    }

    /// The body model's time for a virtual-clock instant.
    public func bodyTime(at instant: Duration) -> Double { (instant - Self.warmUp).seconds }
}
