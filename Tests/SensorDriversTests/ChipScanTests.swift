import SensorBus
import SensorDrivers
import SimulatedBus
import Testing

@Suite struct ChipScanTests {
    func bus(_ chips: [(UInt8, any SimulatedDevice)]) -> SimulatedI2CBus {
        let bus = SimulatedI2CBus(clock: VirtualClock())
        for (address, chip) in chips { bus.attach(chip, at: address) }
        return bus
    }

    @Test func findsEveryChipAtItsAddress() {
        let stimulus = ConstantStimulus()
        let found = ChipScan.scan(
            bus([
                (0x69, MPU6050Model(variant: .mpu6500, stimulus: stimulus)),
                (0x6B, LSM6DSModel(variant: .lsm6dsox, stimulus: stimulus)),
                (0x4A, ADS1115Model(stimulus: stimulus)),
                (0x36, AS5600Model(stimulus: stimulus)),
            ]))
        #expect(found.map(\.family) == [.mpu6050, .lsm6ds, .ads1115, .as5600])
        #expect(found.map(\.address) == [0x69, 0x6B, 0x4A, 0x36])
        #expect(found[0].identity.chip == "MPU-6500")
    }

    @Test func findIMUPrefersTheFirstFamilyAndReportsWhatWasTried() throws {
        let stimulus = ConstantStimulus()
        let rig = bus([(0x6A, LSM6DSModel(variant: .lsm6ds3, stimulus: stimulus)), (0x48, ADS1115Model(stimulus: stimulus))])
        #expect(try ChipScan.findIMU(rig).address == 0x6A)
        #expect(try ChipScan.findKneeSensor(rig).family == .ads1115)

        let empty = bus([])
        #expect {
            try ChipScan.findKneeSensor(empty)
        } throws: { error in
            "\(error)" == "no knee-flexion sensor answered on simulated-i2c; tried ADS1115 at 0x48/0x49/0x4A/0x4B, "
                + "AS5600 at 0x36; check wiring, power and pull-ups (i2cdetect -y shows what answers)"
        }
    }

    @Test func aChipWithTheWrongIdentityIsNotTakenForAnIMU() {
        let clock = VirtualClock()
        let rig = SimulatedI2CBus(clock: clock)
        rig.attach(
            MPU6050Model(variant: .mpu6050, stimulus: ConstantStimulus()), at: 0x68,
            faults: DeviceFaults(identityOverride: .init(register: 0x75, value: 0x12)))
        #expect(ChipScan.scan(rig, families: [.mpu6050]).isEmpty)
    }
}
