import SensorBus
import SimulatedBus
import Testing

/// The ADS1115 model against TI SBAS444D: registers, pointer, scaling, multiplexer and timing.
@Suite struct ADS1115ModelTests {
    static let address: UInt8 = 0x48
    /// Full-scale volts by PGA code and samples per second by DR code, typed in from SBAS444D Table 8.
    static let fullScale = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256]
    static let rates = [8, 16, 32, 64, 128, 250, 475, 860]

    func makeBus(
        _ stimulus: any AnalogStimulus = ConstantStimulus(volts: 1.0)
    ) -> (SimulatedI2CBus, VirtualClock, ADS1115Model) {
        let clock = VirtualClock()
        let bus = SimulatedI2CBus(clock: clock, seed: 7)
        let chip = ADS1115Model(stimulus: stimulus)
        bus.attach(chip, at: Self.address)
        return (bus, clock, chip)
    }

    /// Config: OS, MUX, PGA, MODE (single-shot when true), DR, comparator off.
    func config(
        start: Bool = false, mux: Int = 0b100, pga: Int = 0b010, singleShot: Bool = true, dr: Int = 0b100
    ) -> UInt16 {
        (start ? 0x8000 : 0) | UInt16(mux) << 12 | UInt16(pga) << 9 | (singleShot ? 0x0100 : 0) | UInt16(dr) << 5
            | 0b11
    }

    func read(_ bus: SimulatedI2CBus, _ register: UInt8) throws -> UInt16 {
        try bus.readWordBigEndian(address: Self.address, register: register)
    }

    func write(_ bus: SimulatedI2CBus, _ register: UInt8, _ value: UInt16) throws {
        try bus.writeWordBigEndian(address: Self.address, register: register, value: value)
    }

    /// Starts a single-shot conversion and returns the code once it has finished.
    func singleShot(_ bus: SimulatedI2CBus, _ clock: VirtualClock, mux: Int = 0b100, pga: Int = 0b010) throws -> Int16 {
        try write(bus, 1, config(start: true, mux: mux, pga: pga, dr: 0b111))
        clock.advance(by: .milliseconds(2))
        #expect(try read(bus, 1) & 0x8000 != 0)
        return Int16(bitPattern: try read(bus, 0))
    }

    @Test func registersHoldTheirResetValues() throws {
        let (bus, _, _) = makeBus()
        #expect(try read(bus, 0) == 0x0000)
        #expect(try read(bus, 1) == 0x8583)
        #expect(try read(bus, 2) == 0x8000)
        #expect(try read(bus, 3) == 0x7FFF)
    }

    @Test func thePointerSelectsTheRegisterAndReadsRepeatIt() {
        let chip = ADS1115Model(stimulus: ConstantStimulus())
        chip.receive([0x02, 0x12, 0x34], at: .zero)
        // No auto-increment: a long read repeats the pointed register, MSB first.
        #expect(chip.transmit(count: 5, at: .zero) == [0x12, 0x34, 0x12, 0x34, 0x12])
        // A pointer-only write changes what the next read returns, and the pointer stays there.
        chip.receive([0x03], at: .zero)
        #expect(chip.transmit(count: 2, at: .zero) == [0x7F, 0xFF])
        #expect(chip.transmit(count: 2, at: .zero) == [0x7F, 0xFF])
        // Only P[1:0] count.
        chip.receive([0xFE], at: .zero)
        #expect(chip.transmit(count: 2, at: .zero) == [0x12, 0x34])
        // One data byte is not a register write; the Conversion register ignores writes.
        chip.receive([0x03, 0x00], at: .zero)
        chip.receive([0x00, 0x55, 0x66], at: .zero)
        #expect(chip.transmit(count: 2, at: .zero) == [0x00, 0x00])
        chip.receive([0x03], at: .zero)
        #expect(chip.transmit(count: 2, at: .zero) == [0x7F, 0xFF])
    }

    @Test func configStoresEveryBitExceptOS() throws {
        let (bus, _, _) = makeBus()
        // Comparator bits are stored as written; a single-shot config without OS starts nothing.
        try write(bus, 1, 0x7F1C)
        #expect(try read(bus, 1) == 0xFF1C)
    }

    @Test func everyPGASettingScalesByItsFullScaleRange() throws {
        for pga in 0..<8 {
            let fs = Self.fullScale[pga]
            let volts = 0.37 * fs
            let (bus, clock, _) = makeBus(ConstantStimulus(volts: volts))
            let code = try singleShot(bus, clock, pga: pga)
            #expect(code == Int16((volts / (fs / 32768)).rounded()), "PGA \(pga)")
            #expect(try read(bus, 1) >> 9 & 0b111 == UInt16(pga))
        }
    }

    @Test func resultsClipAtTheEndsOfTheRange() throws {
        let stimulus = ClosureStimulus(volts: { channel, _ in [3.0, -3.0, 2.048, 0][channel] })
        let (bus, clock, _) = makeBus(stimulus)
        #expect(try singleShot(bus, clock, mux: 0b100, pga: 0b010) == 0x7FFF)  // +3 V on ±2.048 V
        #expect(try singleShot(bus, clock, mux: 0b101, pga: 0b010) == Int16.min)  // −3 V: 0x8000
        #expect(try singleShot(bus, clock, mux: 0b110, pga: 0b010) == 0x7FFF)  // exactly +FS
        // AIN0 − AIN1 = 6 V: clipped on ±4.096 V, 32000 counts on ±6.144 V.
        #expect(try singleShot(bus, clock, mux: 0b000, pga: 0b001) == 0x7FFF)
        #expect(try singleShot(bus, clock, mux: 0b000, pga: 0b000) == 32000)
        #expect(try singleShot(bus, clock, mux: 0b010, pga: 0b001) == -24000)  // AIN1 − AIN3 = −3 V
        #expect(try singleShot(bus, clock, mux: 0b010, pga: 0b010) == Int16.min)
    }

    @Test func everyMultiplexerSettingSelectsItsInputs() throws {
        let ain = [1.0, 0.3, 0.55, 0.1]
        let expected = [
            ain[0] - ain[1], ain[0] - ain[3], ain[1] - ain[3], ain[2] - ain[3], ain[0], ain[1], ain[2], ain[3],
        ]
        let (bus, clock, _) = makeBus(ClosureStimulus(volts: { channel, _ in ain[channel] }))
        for mux in 0..<8 {
            let code = try singleShot(bus, clock, mux: mux, pga: 0b010)
            #expect(code == Int16((expected[mux] / (2.048 / 32768)).rounded()), "MUX \(mux)")
        }
    }

    @Test func singleShotIsBusyForOneConversionAfterWakeUp() throws {
        for dr in 0..<8 {
            let (bus, clock, chip) = makeBus(ConstantStimulus(volts: 0.5))
            clock.advance(to: .milliseconds(3))
            try write(bus, 1, config(start: true, dr: dr))
            let start = clock.now
            let done = start + .microseconds(25) + .seconds(1.0 / Double(Self.rates[dr]))
            clock.advance(to: done - .microseconds(2))
            #expect(try read(bus, 1) & 0x8000 == 0, "DR \(dr): OS reads 0 while converting")
            #expect(try read(bus, 0) == 0, "DR \(dr): no result before 1/DR")
            // OS written during a conversion has no effect: it does not restart it.
            try write(bus, 1, config(start: true, dr: dr))
            clock.advance(to: done + .microseconds(2))
            #expect(try read(bus, 1) & 0x8000 != 0, "DR \(dr): OS reads 1 when done")
            #expect(try read(bus, 0) == 8000, "DR \(dr)")  // 0.5 V / 62.5 µV
            #expect(chip.completedConversions == 1)
            // Powered down again: nothing more happens until OS is written.
            clock.advance(by: .seconds(1))
            #expect(chip.completedConversions == 1)
            #expect(try read(bus, 1) & 0x8000 != 0)
        }
    }

    @Test func continuousModeProducesAResultEveryDataRatePeriod() throws {
        for dr in [0b000, 0b100, 0b110, 0b111] {
            let rate = Self.rates[dr]
            let (bus, clock, chip) = makeBus(ConstantStimulus(volts: 0.25))
            try write(bus, 1, config(singleShot: false, dr: dr))
            #expect(try read(bus, 1) & 0x8000 == 0, "OS reads 0: always converting")
            clock.advance(to: .seconds(2))
            _ = try read(bus, 0)
            let expected = Int((2.0 - 25e-6) * Double(rate))
            #expect(chip.completedConversions == expected, "DR \(rate) SPS")
            #expect(try read(bus, 1) & 0x8000 == 0)
        }
    }

    @Test func continuousResultsFollowTheInputOncePerPeriod() throws {
        // A 1 V/s ramp: each result is the input at the middle of its own conversion window.
        let (bus, clock, _) = makeBus(ClosureStimulus(volts: { _, t in t }))
        try write(bus, 1, config(singleShot: false, dr: 0b100))  // 128 SPS
        let first = 25e-6
        let period = 1.0 / 128
        for k in 1...20 {
            let end = first + Double(k) * period
            clock.advance(to: .seconds(end + 1e-6))
            let code = Int16(bitPattern: try read(bus, 0))
            let middle = end - period / 2
            #expect(abs(Double(code) - middle / (2.048 / 32768)) <= 1, "conversion \(k)")
            clock.advance(to: .seconds(end + period - 1e-6))
            #expect(Int16(bitPattern: try read(bus, 0)) == code, "held until the next conversion ends")
        }
    }

    @Test func aConfigChangeAppliesAfterTheRunningConversion() throws {
        let stimulus = ClosureStimulus(volts: { channel, _ in [0.5, 1.0, 0, 0][channel] })
        let (bus, clock, _) = makeBus(stimulus)
        try write(bus, 1, config(mux: 0b100, singleShot: false, dr: 0b000))  // AIN0, 8 SPS
        clock.advance(to: .milliseconds(100))
        try write(bus, 1, config(mux: 0b101, singleShot: false, dr: 0b111))  // AIN1, 860 SPS
        clock.advance(to: .milliseconds(125))
        #expect(try read(bus, 0) == 0, "the first 8 SPS conversion runs until 125.025 ms")
        clock.advance(to: .microseconds(125_026))
        #expect(try read(bus, 0) == 8000, "the running conversion finished with the old settings")
        clock.advance(to: .microseconds(125_025 + 1_163 + 1))
        #expect(try read(bus, 0) == 16000, "then AIN1 at 860 SPS")
        // Back to single-shot: power down after the running conversion.
        try write(bus, 1, config(mux: 0b101, singleShot: true, dr: 0b111))
        #expect(try read(bus, 1) & 0x8000 == 0)
        clock.advance(by: .milliseconds(2))
        #expect(try read(bus, 1) & 0x8000 != 0)
    }

    @Test func powerOnResetRestoresResetValues() throws {
        let (bus, clock, chip) = makeBus()
        try write(bus, 2, 0x1234)
        _ = try singleShot(bus, clock)
        chip.powerOnReset(at: clock.now)
        #expect(try read(bus, 0) == 0)
        #expect(try read(bus, 1) == 0x8583)
        #expect(try read(bus, 2) == 0x8000)
    }
}
