import Foundation
import KneeloadCore

/// The sensors a scenario is recorded with, as the `rig:` section of a scenario file describes them.
/// The gait simulator only parses and validates this; the rig layer (KneeloadSimulation) applies it:
/// misalignment, axis remap, range, noise, bias, drift, and leaving out the gyro or barometer.
public struct RigDescription: Sendable, Hashable {
    public enum IMUChip: String, Sendable, Hashable, CaseIterable {
        case mpu6050, mpu6500, lsm6ds3, lsm6dsox
    }

    public enum KneeSensorChip: String, Sendable, Hashable, CaseIterable {
        /// Resistive flex sensor read by an ADS1115 ADC.
        case ads1115
        /// Magnetic angle encoder at the knee hinge.
        case as5600
    }

    /// How the strapped IMU is turned relative to the true shank frame (CONTRACTS §1), in degrees:
    /// roll about the frame's x (the shank axis: a strap slipped around the leg), pitch about y, yaw about z.
    /// The sensor's axes are the frame's axes turned by R = Rz(yaw)·Ry(pitch)·Rx(roll), so a vector v in the
    /// shank frame reads Rᵀ·v on the sensor (before the chip's axis remap).
    public struct MountOffset: Sendable, Hashable {
        public var roll: Double
        public var pitch: Double
        public var yaw: Double

        public init(roll: Double = 0, pitch: Double = 0, yaw: Double = 0) {
            self.roll = roll
            self.pitch = pitch
            self.yaw = yaw
        }

        public static let zero = MountOffset()

        /// A shank-frame vector as the misaligned sensor's axes see it (Rᵀ·v).
        public func sensorAxes(fromFrame v: Vector3) -> Vector3 {
            let r = roll * .pi / 180, p = pitch * .pi / 180, y = yaw * .pi / 180
            // Rᵀ = Rx(−roll)·Ry(−pitch)·Rz(−yaw): undo yaw first, then pitch, then roll.
            let (sy, cy) = (sin(y), cos(y))
            let a = Vector3(cy * v.x + sy * v.y, -sy * v.x + cy * v.y, v.z)
            let (sp, cp) = (sin(p), cos(p))
            let b = Vector3(cp * a.x - sp * a.z, a.y, sp * a.x + cp * a.z)
            let (sr, cr) = (sin(r), cos(r))
            return Vector3(b.x, cr * b.y + sr * b.z, -sr * b.y + cr * b.z)
        }
    }

    public static let allowedAccelRangesG = [2, 4, 8, 16]
    public static let allowedGyroRangesDps = [250, 500, 1000, 2000]

    public var imu: IMUChip = .mpu6050
    public var kneeSensor: KneeSensorChip = .ads1115
    /// Accelerometer full scale, ± g (one of `allowedAccelRangesG`).
    public var accelRangeG: Int = 16
    /// Gyro full scale, ± °/s (one of `allowedGyroRangesDps`).
    public var gyroRangeDps: Int = 2000
    /// False: the recording has no gyro columns (the gyro is off or absent).
    public var gyro: Bool = true
    /// True: the rig has a barometer and the recording carries pressure.
    public var barometer: Bool = false
    /// Chip axes to shank frame, as `AxisRemap(parsing:)` reads it.
    public var axisRemap: AxisRemap = .identity
    public var mountOffsetDeg: MountOffset = .zero
    /// White noise, standard deviation per axis.
    public var accelNoiseG: Double = 0.01
    public var gyroNoiseDps: Double = 0.3
    /// Largest |bias| per axis; the rig layer draws each axis's bias from the scenario seed.
    public var accelBiasG: Double = 0.02
    public var gyroBiasDps: Double = 1.0
    public var kneeNoiseDeg: Double = 0.5
    /// Slow wander of the knee sensor's zero (strap slip), up to this many degrees.
    public var kneeDriftDeg: Double = 0
    /// Typical period of that wander.
    public var kneeDriftPeriodS: Double = 120

    public init() {}
}
