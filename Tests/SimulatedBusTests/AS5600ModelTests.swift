import SensorBus
import SimulatedBus
import Testing

/// The AS5600 model against the ams datasheet DS000365: register map, pointer rule, ANGLE scaling, status.
@Suite struct AS5600ModelTests {
    static let address: UInt8 = 0x36

    func magnet(_ degrees: Double, _ milliTesla: Double = 60) -> ConstantStimulus {
        ConstantStimulus(magnet: MagnetState(angleDeg: degrees, fieldMilliTesla: milliTesla))
    }

    func makeBus(_ stimulus: any MagneticStimulus) -> (SimulatedI2CBus, VirtualClock, AS5600Model) {
        let clock = VirtualClock()
        let bus = SimulatedI2CBus(clock: clock, seed: 3)
        let chip = AS5600Model(stimulus: stimulus)
        bus.attach(chip, at: Self.address)
        return (bus, clock, chip)
    }

    func word(_ bus: SimulatedI2CBus, _ register: UInt8) throws -> UInt16 {
        try bus.readWordBigEndian(address: Self.address, register: register)
    }

    @Test func configurationRegistersStartAtZeroAndOutputsFollowTheMagnet() throws {
        let (bus, _, _) = makeBus(magnet(90))
        #expect(try bus.read(address: Self.address, register: 0x00, count: 9) == [UInt8](repeating: 0, count: 9))
        #expect(try bus.read(address: Self.address, register: 0x0C, count: 2) == [0x04, 0x00])  // 1024, MSB first
        #expect(try word(bus, 0x0E) == 1024)  // ANGLE = RAW ANGLE with ZPOS/MPOS/MANG zero
        #expect(try bus.readByte(address: Self.address, register: 0x0B) == 0x20)
        #expect(try bus.readByte(address: Self.address, register: 0x1A) == 128)  // 60 mT: AGC mid-range
        #expect(try word(bus, 0x1B) == 2048)
    }

    @Test func rawAngleCoversTheTurnIn4096Counts() throws {
        for (degrees, counts) in [(0.0, 0), (0.088, 1), (180.0, 2048), (359.98, 0), (-90.0, 3072), (450.0, 1024)] {
            let (bus, _, _) = makeBus(magnet(degrees))
            #expect(try word(bus, 0x0C) == UInt16(counts), "\(degrees)°")
            #expect(try word(bus, 0x0E) == UInt16(counts), "\(degrees)°")
        }
    }

    @Test func readsOfRawAngleAngleAndMagnitudeStayOnTheRegister() {
        let chip = AS5600Model(stimulus: magnet(90))
        for (high, value) in [(UInt8(0x0C), UInt16(1024)), (0x0E, 1024), (0x1B, 2048)] {
            chip.receive([high], at: .zero)
            let hi = UInt8(value >> 8)
            let lo = UInt8(value & 0xFF)
            #expect(chip.transmit(count: 4, at: .zero) == [hi, lo, hi, lo], "register \(high)")
            // The pointer was left on the high byte: a re-read needs no pointer write.
            #expect(chip.transmit(count: 2, at: .zero) == [hi, lo])
        }
        // Set to the low byte, the pointer increments as usual, into ANGLE (whose own rule then applies).
        chip.receive([0x0D], at: .zero)
        #expect(chip.transmit(count: 5, at: .zero) == [0x00, 0x04, 0x00, 0x04, 0x00])
        // A burst from STATUS runs into RAW ANGLE and then stays there.
        chip.receive([0x0B], at: .zero)
        #expect(chip.transmit(count: 5, at: .zero) == [0x20, 0x04, 0x00, 0x04, 0x00])
    }

    @Test func configurationRegistersAutoIncrementOnWriteAndRead() throws {
        let (bus, _, _) = makeBus(magnet(0))
        try bus.write(address: Self.address, register: 0x07, bytes: [0xFF, 0xFF])
        try bus.write(address: Self.address, register: 0x01, bytes: [0xF1, 0x23, 0x0A, 0xBC])
        // Blank bits read 0: ZPOS/MPOS are 12-bit, CONF is 14-bit.
        #expect(try bus.read(address: Self.address, register: 0x01, count: 8) == [0x01, 0x23, 0x0A, 0xBC, 0, 0, 0x3F, 0xFF])
        // Output and status registers ignore writes.
        try bus.write(address: Self.address, register: 0x0B, bytes: [0xFF, 0xFF, 0xFF])
        #expect(try bus.readByte(address: Self.address, register: 0x0B) == 0x20)
    }

    @Test func zeroAndStopPositionsScaleAngle() throws {
        let (bus, _, _) = makeBus(ClosureStimulus(magnet: { t in MagnetState(angleDeg: t, fieldMilliTesla: 60) }))
        let clock = bus.clock
        try bus.writeWordBigEndian(address: Self.address, register: 0x01, value: 1024)  // ZPOS 90°
        try bus.writeWordBigEndian(address: Self.address, register: 0x03, value: 3072)  // MPOS 270°
        func angle(at degrees: Double) throws -> UInt16 {
            clock.advance(to: .seconds(degrees))
            return try word(bus, 0x0E)
        }
        #expect(try angle(at: 90) == 0)
        #expect(try angle(at: 180) == 2048)  // halfway through a 180° range
        #expect(try angle(at: 180.088) == 2050)  // each raw count is two output counts
        #expect(try angle(at: 269.9) == 4094)
        // Outside the range the output holds an end, switching halfway through the unused 180°.
        #expect(try angle(at: 300) == 4095)
        #expect(try angle(at: 359) == 4095)
        #expect(try word(bus, 0x0C) == 4085)  // RAW ANGLE is unscaled
        let (early, _, _) = makeBus(magnet(60))
        try early.writeWordBigEndian(address: Self.address, register: 0x01, value: 1024)
        try early.writeWordBigEndian(address: Self.address, register: 0x03, value: 3072)
        #expect(try word(early, 0x0E) == 0)
    }

    @Test func maximumAngleSetsTheRangeFromZeroPosition() throws {
        let (bus, _, _) = makeBus(magnet(45))
        try bus.writeWordBigEndian(address: Self.address, register: 0x05, value: 2048)  // MANG 180°
        #expect(try word(bus, 0x0E) == 1024)
        try bus.writeWordBigEndian(address: Self.address, register: 0x01, value: 512)  // ZPOS 45°
        #expect(try word(bus, 0x0E) == 0)
        // MPOS written after MANG takes over: 45°...135° is 1024 counts wide.
        let (wide, _, _) = makeBus(magnet(90))
        try wide.writeWordBigEndian(address: Self.address, register: 0x05, value: 2048)
        try wide.writeWordBigEndian(address: Self.address, register: 0x01, value: 512)
        try wide.writeWordBigEndian(address: Self.address, register: 0x03, value: 1536)
        #expect(try word(wide, 0x0E) == 2048)
        // A range under 18° is not allowed; the model falls back to the full turn.
        try wide.writeWordBigEndian(address: Self.address, register: 0x03, value: 600)
        #expect(try word(wide, 0x0E) == 512)
    }

    @Test func statusBitsFollowTheFieldStrength() throws {
        let cases: [(Double, UInt8)] = [(0, 0x10), (5, 0x10), (20, 0x30), (30, 0x20), (60, 0x20), (90, 0x20), (120, 0x28)]
        var lastAGC = 256
        for (field, status) in cases {
            let (bus, _, _) = makeBus(magnet(200, field))
            #expect(try bus.readByte(address: Self.address, register: 0x0B) == status, "\(field) mT")
            let agc = Int(try bus.readByte(address: Self.address, register: 0x1A))
            #expect(agc <= lastAGC, "AGC falls as the field grows")
            lastAGC = agc
            let raw = try word(bus, 0x0C)
            #expect(raw == (status & 0x20 == 0 ? 0 : 2276), "no angle without a magnet")
        }
        let (weak, _, _) = makeBus(magnet(0, 15))
        #expect(try weak.readByte(address: Self.address, register: 0x1A) == 255)
        #expect(try word(weak, 0x1B) == 1024)
    }

    @Test func burnIsRecordedButNeverExecuted() throws {
        let (bus, _, chip) = makeBus(magnet(10))
        try bus.writeWordBigEndian(address: Self.address, register: 0x01, value: 0x123)
        try bus.writeByte(address: Self.address, register: 0xFF, value: 0x80)
        #expect(chip.burnCommands == [0x80])
        #expect(try bus.readByte(address: Self.address, register: 0x00) == 0, "ZMCO unchanged")
        chip.powerOnReset(at: bus.clock.now)
        #expect(try word(bus, 0x01) == 0, "ZPOS was volatile: lost at power-off")
    }

    @Test func frozenChipKeepsItsLastAngle() throws {
        let clock = VirtualClock()
        let bus = SimulatedI2CBus(clock: clock, seed: 1)
        let stimulus = ClosureStimulus(magnet: { t in MagnetState(angleDeg: 100 * t, fieldMilliTesla: 60) })
        bus.attach(AS5600Model(stimulus: stimulus), at: Self.address, faults: DeviceFaults(frozenFrom: .seconds(1)))
        clock.advance(to: .milliseconds(500))
        #expect(try word(bus, 0x0C) == 569)  // 50°
        clock.advance(to: .seconds(2))
        #expect(try word(bus, 0x0C) == 1138)  // 100°, the angle at the freeze, not 200°
    }
}
