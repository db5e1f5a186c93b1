import KneeloadConfiguration
import SensorBus
import SensorDrivers

/// Makes the drivers the configuration asks for on a bus: a named chip at a given address, or `auto` (the
/// chip families' strap addresses probed in turn). The same code serves the board (`LinuxI2CBus`) and the
/// simulation mode (`SimulatedI2CBus`).
public enum RigBuilder {
    public struct Drivers {
        public var imu: any ShankIMU
        public var knee: any KneeAngleSensor
    }

    public static func drivers(for settings: SensorSettings, on bus: any I2CBus) throws(ScanError) -> Drivers {
        Drivers(imu: try imu(settings, bus), knee: try knee(settings, bus))
    }

    private static func imu(_ s: SensorSettings, _ bus: any I2CBus) throws(ScanError) -> any ShankIMU {
        let families: [ChipScan.Family] =
            switch s.imuChip {
            case .auto: [.mpu6050, .lsm6ds]
            case .mpu6050: [.mpu6050]
            case .lsm6ds: [.lsm6ds]
            }
        let family: ChipScan.Family
        let address: UInt8
        if let configured = s.imuAddress, s.imuChip != .auto {
            (family, address) = (families[0], configured)
        } else {
            let found = ChipScan.scan(bus, families: families).first { s.imuAddress == nil || $0.address == s.imuAddress }
            guard let found else { throw ScanError(bus: bus.name, wanted: "shank IMU", families: families) }
            (family, address) = (found.family, found.address)
        }
        return family == .lsm6ds ? LSM6DSDriver(bus: bus, address: address) : MPU6050Driver(bus: bus, address: address)
    }

    private static func knee(_ s: SensorSettings, _ bus: any I2CBus) throws(ScanError) -> any KneeAngleSensor {
        let families: [ChipScan.Family] =
            switch s.kneeChip {
            case .auto: [.ads1115, .as5600]
            case .ads1115: [.ads1115]
            case .as5600: [.as5600]
            }
        let family: ChipScan.Family
        let address: UInt8
        if let configured = s.kneeAddress, s.kneeChip != .auto {
            (family, address) = (families[0], configured)
        } else {
            let found = ChipScan.scan(bus, families: families).first { s.kneeAddress == nil || $0.address == s.kneeAddress }
            guard let found else { throw ScanError(bus: bus.name, wanted: "knee-flexion sensor", families: families) }
            (family, address) = (found.family, found.address)
        }
        if family == .as5600 {
            return AS5600Driver(
                bus: bus, address: address, zeroOffsetDeg: s.encoderZeroOffsetDeg,
                clockwiseIsFlexion: s.encoderClockwiseIsFlexion)
        }
        return ADS1115FlexDriver(bus: bus, address: address, channel: s.flexChannel, calibration: s.flexCalibration)
    }
}
