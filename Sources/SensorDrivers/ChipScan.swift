import SensorBus

/// Finds the rig's chips on a bus when the configuration says `auto`: each known chip family is probed at
/// each address its address straps allow, with the same `probe()` the drivers use.
///
/// Addresses: MPU-6050/6500 0x68/0x69 (AD0), LSM6DS 0x6A/0x6B (SA0), ADS1115 0x48–0x4B (ADDR to GND, VDD,
/// SDA, SCL; TI SBAS444 §9.5.1.1), AS5600 0x36 (fixed). Sources: engineering.md §6.
public enum ChipScan {
    public enum Family: String, Sendable, CaseIterable {
        case mpu6050 = "MPU-6050/6500"
        case lsm6ds = "LSM6DS3/LSM6DSOX"
        case ads1115 = "ADS1115"
        case as5600 = "AS5600"

        public var addresses: [UInt8] {
            switch self {
            case .mpu6050: [0x68, 0x69]
            case .lsm6ds: [0x6A, 0x6B]
            case .ads1115: [0x48, 0x49, 0x4A, 0x4B]
            case .as5600: [0x36]
            }
        }

        public var isIMU: Bool { self == .mpu6050 || self == .lsm6ds }
    }

    public struct Found: Sendable, Hashable {
        public var family: Family
        public var address: UInt8
        public var identity: ChipIdentity
    }

    /// Every chip of `families` that answers its probe, in family then address order. Addresses that do
    /// not acknowledge, or answer like another chip, are skipped; nothing here throws.
    public static func scan(_ bus: any I2CBus, families: [Family] = Family.allCases) -> [Found] {
        var found: [Found] = []
        var taken = Set<UInt8>()
        for family in families {
            for address in family.addresses where !taken.contains(address) {
                if let identity = try? probe(family, on: bus, at: address) {
                    found.append(Found(family: family, address: address, identity: identity))
                    taken.insert(address)
                }
            }
        }
        return found
    }

    /// The first IMU found, or an error that lists every address tried.
    public static func findIMU(_ bus: any I2CBus) throws(ScanError) -> Found {
        guard let imu = scan(bus, families: [.mpu6050, .lsm6ds]).first else {
            throw ScanError(bus: bus.name, wanted: "shank IMU", families: [.mpu6050, .lsm6ds])
        }
        return imu
    }

    /// The first knee-flexion sensor found, or an error that lists every address tried.
    public static func findKneeSensor(_ bus: any I2CBus) throws(ScanError) -> Found {
        guard let knee = scan(bus, families: [.ads1115, .as5600]).first else {
            throw ScanError(bus: bus.name, wanted: "knee-flexion sensor", families: [.ads1115, .as5600])
        }
        return knee
    }

    private static func probe(_ family: Family, on bus: any I2CBus, at address: UInt8) throws(SensorError)
        -> ChipIdentity
    {
        switch family {
        case .mpu6050: try MPU6050Driver(bus: bus, address: address).probe()
        case .lsm6ds: try LSM6DSDriver(bus: bus, address: address).probe()
        case .as5600: try AS5600Driver(bus: bus, address: address).probe()
        case .ads1115:
            // The calibration plays no part in probing.
            try ADS1115FlexDriver(bus: bus, address: address, calibration: .typical).probe()
        }
    }
}

public struct ScanError: Error, Hashable, CustomStringConvertible {
    public var bus: String
    public var wanted: String
    public var families: [ChipScan.Family]

    public init(bus: String, wanted: String, families: [ChipScan.Family]) {
        self.bus = bus
        self.wanted = wanted
        self.families = families
    }

    public var description: String {
        let tried = families.map { family in
            family.rawValue + " at " + family.addresses.map { "0x" + hex($0) }.joined(separator: "/")
        }
        return "no \(wanted) answered on \(bus); tried \(tried.joined(separator: ", ")); check wiring, power "
            + "and pull-ups (i2cdetect -y shows what answers)"
    }
}
