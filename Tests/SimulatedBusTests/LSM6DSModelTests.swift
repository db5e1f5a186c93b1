import KneeloadCore
import SensorBus
import SimulatedBus
import Testing

/// Register-level checks of the LSM6DS3 / LSM6DSOX model against the datasheet behaviour it claims.
@Suite struct LSM6DSModelTests {
    static let address: UInt8 = 0x6A

    /// Accel x = 0.1·t g, y = -0.5 g, z = 1 g; gyro x = 10·t °/s, y = 100 °/s, z = -50 °/s.
    static let ramp = ClosureStimulus(inertial: { t in
        InertialState(specificForce: Vector3(0.1 * t, -0.5, 1), angularRate: Vector3(10 * t, 100, -50))
    })

    struct Rig {
        let bus: SimulatedI2CBus
        let clock: VirtualClock
        let model: LSM6DSModel

        func write(_ register: UInt8, _ bytes: UInt8...) throws {
            try bus.write(address: LSM6DSModelTests.address, register: register, bytes: bytes)
        }
        func read(_ register: UInt8, _ count: Int) throws -> [UInt8] {
            try bus.read(address: LSM6DSModelTests.address, register: register, count: count)
        }
        func byte(_ register: UInt8) throws -> UInt8 { try read(register, 1)[0] }
        func words(_ register: UInt8, _ count: Int) throws -> [Int16] {
            let bytes = try read(register, 2 * count)
            return (0..<count).map { Int16(bitPattern: UInt16(bytes[2 * $0]) | UInt16(bytes[2 * $0 + 1]) << 8) }
        }
        func at(milliseconds: Int) { clock.advance(to: .milliseconds(milliseconds)) }
        /// The model only catches up with the clock on a transaction; this makes one and returns the FIFO level.
        func fifoWords() throws -> Int {
            _ = try byte(0x0F)
            return model.fifoWordCount
        }
    }

    static func rig(
        _ variant: LSM6DSModel.Variant, stimulus: any InertialStimulus = ramp, faults: DeviceFaults = .none
    ) -> Rig {
        let clock = VirtualClock()
        let bus = SimulatedI2CBus(clock: clock, seed: 7)
        let model = LSM6DSModel(variant: variant, stimulus: stimulus)
        bus.attach(model, at: address, faults: faults)
        return Rig(bus: bus, clock: clock, model: model)
    }

    static func constant(accel: Vector3 = .zero, gyro: Vector3 = .zero) -> ConstantStimulus {
        ConstantStimulus(inertial: InertialState(specificForce: accel, angularRate: gyro))
    }

    // MARK: - Identity, reset, power-down

    @Test(arguments: [(LSM6DSModel.Variant.lsm6ds3, UInt8(0x69), UInt8(0x38)), (.lsm6dsox, 0x6C, 0xE0)])
    func identityAndResetValues(variant: LSM6DSModel.Variant, whoAmI: UInt8, ctrl9: UInt8) throws {
        let rig = Self.rig(variant)
        #expect(try rig.byte(0x0F) == whoAmI)
        #expect(try rig.read(0x10, 3) == [0x00, 0x00, 0x04])  // CTRL1_XL, CTRL2_G power-down; CTRL3_C IF_INC
        #expect(try rig.byte(0x18) == ctrl9)
        #expect(rig.model.model == (variant == .lsm6ds3 ? "LSM6DS3" : "LSM6DSOX"))
    }

    @Test(arguments: [LSM6DSModel.Variant.lsm6ds3, .lsm6dsox])
    func bothSensorsArePoweredDownAtReset(variant: LSM6DSModel.Variant) throws {
        let rig = Self.rig(variant, stimulus: Self.constant(accel: Vector3(0.5, 0.5, 1), gyro: Vector3(90, 0, 0)))
        rig.at(milliseconds: 1000)
        #expect(try rig.read(0x22, 12) == [UInt8](repeating: 0, count: 12))
        #expect(try rig.byte(0x1E) == 0)
        try rig.write(0x10, 0x40)  // accel on at 104 Hz; gyro still off
        rig.at(milliseconds: 1100)
        #expect(try rig.words(0x28, 3) != [0, 0, 0])
        #expect(try rig.words(0x22, 3) == [0, 0, 0])
        #expect(try rig.byte(0x1E) & 0x02 == 0)
    }

    @Test func softwareResetRestoresResetValuesAndClearsItself() throws {
        let rig = Self.rig(.lsm6dsox)
        try rig.write(0x10, 0x4C)
        try rig.write(0x12, 0x44)
        try rig.write(0x0A, 0x06)
        try rig.write(0x12, 0x05)
        #expect(try rig.read(0x10, 3) == [0x00, 0x00, 0x04])
        #expect(try rig.byte(0x0A) == 0)
    }

    @Test func powerOnResetAfterVanishingRestoresEverything() throws {
        let rig = Self.rig(.lsm6ds3, faults: DeviceFaults(vanishings: [Duration.seconds(1)..<Duration.seconds(2)]))
        try rig.write(0x10, 0x4C)
        try rig.write(0x08, 0x09)
        try rig.write(0x0A, 0x26)
        rig.at(milliseconds: 500)
        #expect(try rig.fifoWords() > 0)
        rig.at(milliseconds: 1500)
        #expect(throws: I2CError.self) { try rig.byte(0x0F) }
        rig.at(milliseconds: 2500)
        #expect(try rig.read(0x10, 3) == [0x00, 0x00, 0x04])
        #expect(rig.model.fifoWordCount == 0)
        #expect(try rig.words(0x28, 3) == [0, 0, 0])
    }

    // MARK: - Output timing, scaling, byte order

    @Test func outputsUpdateAtTheOutputDataRate() throws {
        let rig = Self.rig(.lsm6dsox)
        try rig.write(0x10, 0x40)  // 104 Hz, ±2 g
        rig.at(milliseconds: 5)  // the first sample is due at 1/104 s = 9.615 ms
        #expect(try rig.words(0x28, 3) == [0, 0, 0])
        #expect(try rig.byte(0x1E) & 0x01 == 0)
        rig.at(milliseconds: 100)  // the tenth sample, taken at 96.15 ms
        #expect(try rig.byte(0x1E) & 0x01 == 0x01)
        let x = try rig.words(0x28, 1)[0]
        #expect(x == Int16((0.1 * 10 / 104 / 0.061e-3).rounded()))
        #expect(try rig.byte(0x1E) & 0x01 == 0, "reading the output clears XLDA")
        rig.at(milliseconds: 105)  // no new sample until 105.77 ms
        #expect(try rig.words(0x28, 1)[0] == x)
        #expect(try rig.byte(0x1E) & 0x01 == 0)
        rig.at(milliseconds: 106)
        #expect(try rig.words(0x28, 1)[0] > x)
    }

    @Test(arguments: [
        (UInt8(0b00), 0.061e-3), (0b10, 0.122e-3), (0b11, 0.244e-3), (0b01, 0.488e-3),
    ])
    func accelerometerScalingAndSaturation(fsBits: UInt8, gPerLSB: Double) throws {
        let force = Vector3(1.5, -0.75, 0.3)
        let rig = Self.rig(.lsm6ds3, stimulus: Self.constant(accel: force))
        try rig.write(0x10, 0x40 | fsBits << 2)
        rig.at(milliseconds: 20)
        let expected = [force.x, force.y, force.z].map { Int16(saturating: $0 / gPerLSB) }
        #expect(try rig.words(0x28, 3) == expected)

        let impact = Self.rig(.lsm6ds3, stimulus: Self.constant(accel: Vector3(40, -40, 0)))
        try impact.write(0x10, 0x40 | fsBits << 2)
        impact.at(milliseconds: 20)
        #expect(try impact.words(0x28, 2) == [.max, .min], "beyond full scale the output clips at int16")
    }

    @Test(arguments: [
        (UInt8(0x02), 4.375e-3), (0x00, 8.75e-3), (0x04, 17.5e-3), (0x08, 35e-3), (0x0C, 70e-3),
    ])
    func gyroscopeScalingAndSaturation(fsBits: UInt8, dpsPerLSB: Double) throws {
        let rate = Vector3(100, -120, 5)
        let rig = Self.rig(.lsm6dsox, stimulus: Self.constant(gyro: rate))
        try rig.write(0x11, 0x40 | fsBits)
        rig.at(milliseconds: 20)
        let expected = [rate.x, rate.y, rate.z].map { Int16(saturating: $0 / dpsPerLSB) }
        #expect(try rig.words(0x22, 3) == expected)

        let spin = Self.rig(.lsm6dsox, stimulus: Self.constant(gyro: Vector3(5000, -5000, 0)))
        try spin.write(0x11, 0x40 | fsBits)
        spin.at(milliseconds: 20)
        #expect(try spin.words(0x22, 2) == [.max, .min])
    }

    @Test func outputsAreLittleEndianGyroThenAccel() throws {
        let rig = Self.rig(.lsm6ds3, stimulus: Self.constant(accel: Vector3(1, 0, 0), gyro: Vector3(0, 0, -8.75e-3)))
        try rig.write(0x10, 0x40)
        try rig.write(0x11, 0x40)
        rig.at(milliseconds: 20)
        let bytes = try rig.read(0x22, 12)
        #expect(Array(bytes[4..<6]) == [0xFF, 0xFF])  // gyro z = -1 LSB
        let accelX = Int16((1 / 0.061e-3).rounded())  // 16393 = 0x4009
        #expect(Array(bytes[6..<8]) == [UInt8(accelX & 0xFF), UInt8(accelX >> 8)])
    }

    @Test func burstReadsIncrementOnlyWithIFINC() throws {
        let rig = Self.rig(.lsm6ds3, stimulus: Self.constant(accel: Vector3(1, 0, 0)))
        try rig.write(0x10, 0x40)
        rig.at(milliseconds: 20)
        let withIncrement = try rig.read(0x28, 2)
        #expect(withIncrement == [0x09, 0x40])
        try rig.write(0x12, 0x00)  // IF_INC off
        #expect(try rig.read(0x28, 2) == [0x09, 0x09])
        #expect(try rig.read(0x10, 3) == [0x40, 0x40, 0x40])
    }

    @Test func blockDataUpdateHoldsAHalfReadPair() throws {
        for bdu in [false, true] {
            let rig = Self.rig(.lsm6dsox, stimulus: ClosureStimulus(inertial: { t in
                InertialState(specificForce: Vector3(t, 0, 0), angularRate: .zero)  // 1 g/s: 0.16 g per step
            }))
            try rig.write(0x10, 0x10)  // 12.5 Hz, ±2 g
            try rig.write(0x12, bdu ? 0x44 : 0x04)
            rig.at(milliseconds: 100)
            let low = try rig.byte(0x28)
            rig.at(milliseconds: 300)  // two samples later
            let high = try rig.byte(0x29)
            let combined = Int16(bitPattern: UInt16(low) | UInt16(high) << 8)
            let first = Int16((0.08 / 0.061e-3).rounded())
            if bdu {
                #expect(combined == first, "BDU keeps the pair from one sample")
            } else {
                #expect(combined != first)
            }
        }
    }

    // MARK: - LSM6DSOX tagged FIFO

    /// Both sensors at 104 Hz, both batched at 104 Hz, continuous (or `mode`).
    static func dsoxFIFORig(mode: UInt8 = 0b110) throws -> Rig {
        let rig = rig(.lsm6dsox)
        try rig.write(0x10, 0x48)  // 104 Hz, ±4 g
        try rig.write(0x11, 0x4C)  // 104 Hz, ±2000 dps
        try rig.write(0x09, 0x44)  // BDR_GY, BDR_XL = 104 Hz
        try rig.write(0x0A, mode)
        return rig
    }

    struct TaggedWord {
        var sensor: UInt8
        var counter: UInt8
        var values: [Int16]
        init(_ bytes: ArraySlice<UInt8>) {
            let b = Array(bytes)
            sensor = b[0] >> 3
            counter = (b[0] >> 1) & 0x03
            values = (0..<3).map { Int16(bitPattern: UInt16(b[1 + 2 * $0]) | UInt16(b[2 + 2 * $0]) << 8) }
        }
    }

    static func taggedWords(_ rig: Rig, count: Int) throws -> [TaggedWord] {
        let bytes = try rig.read(0x78, 7 * count)
        return (0..<count).map { TaggedWord(bytes[7 * $0..<7 * $0 + 7]) }
    }

    @Test func dsoxFIFOBatchesTaggedWordsAndTheBurstWrapsAtTheWordEnd() throws {
        let rig = try Self.dsoxFIFORig()
        rig.at(milliseconds: 100)  // ticks 1...10
        let status = try rig.read(0x3A, 2)
        #expect(Int(status[0]) | Int(status[1] & 0x03) << 8 == 20)
        #expect(status[1] & 0x48 == 0)
        // One 70-byte burst from 0x78 returns ten whole words: the pointer wraps 0x7E -> 0x78.
        let words = try Self.taggedWords(rig, count: 10)
        #expect(words.map(\.sensor) == [1, 2, 1, 2, 1, 2, 1, 2, 1, 2])
        #expect(words.map(\.counter) == [1, 1, 2, 2, 3, 3, 0, 0, 1, 1])
        for (index, word) in words.enumerated() {
            let t = Double(index / 2 + 1) / 104
            if word.sensor == 2 {
                #expect(word.values == [Int16((0.1 * t / 0.122e-3).rounded()), -4098, 8197])
            } else {
                #expect(word.values == [Int16((10 * t / 70e-3).rounded()), 1429, -714])
            }
        }
        #expect(rig.model.fifoWordCount == 10)
    }

    @Test func dsoxContinuousModeOverwritesTheOldestAndFlagsTheOverrun() throws {
        let rig = try Self.dsoxFIFORig()
        rig.at(milliseconds: 10_000)  // 1040 samples of each sensor, 512 words held
        let status = try rig.read(0x3A, 2)
        #expect(Int(status[0]) | Int(status[1] & 0x03) << 8 == 512)
        #expect(status[1] & 0x40 != 0, "FIFO_OVR_IA")
        #expect(status[1] & 0x20 != 0, "FIFO_FULL_IA")
        #expect(status[1] & 0x08 != 0, "FIFO_OVR_LATCHED")
        #expect(try rig.byte(0x3B) & 0x08 == 0, "reading FIFO_STATUS2 clears the latch")
        let oldest = try Self.taggedWords(rig, count: 2)
        // The oldest survivor is sample 1040 - 256 + 1 = 785 of each sensor.
        #expect(oldest[0].sensor == 1)
        #expect(oldest[1].values[0] == Int16((0.1 * 785 / 104 / 0.122e-3).rounded()))
        #expect(try rig.byte(0x3B) & 0x40 == 0, "no longer completely filled")
    }

    @Test func dsoxFIFOModeStopsWhenFullAndBypassEmptiesIt() throws {
        let rig = try Self.dsoxFIFORig(mode: 0b001)
        rig.at(milliseconds: 10_000)
        #expect(try rig.fifoWords() == 512)
        let first = try Self.taggedWords(rig, count: 2)
        #expect(first[1].values[0] == Int16((0.1 / 104 / 0.122e-3).rounded()), "the first sample is kept")
        try rig.write(0x0A, 0x00)
        #expect(rig.model.fifoWordCount == 0)
        #expect(try rig.read(0x3A, 2) == [0, 0])
        rig.at(milliseconds: 11_000)
        #expect(try rig.fifoWords() == 0, "bypass stores nothing")
    }

    @Test func dsoxBatchRateDecimates() throws {
        let rig = Self.rig(.lsm6dsox)
        try rig.write(0x10, 0x50)  // 208 Hz
        try rig.write(0x11, 0x50)
        try rig.write(0x09, 0x04)  // gyro not batched, accel at 104 Hz
        try rig.write(0x0A, 0x06)
        rig.at(milliseconds: 100)
        let words = try Self.taggedWords(rig, count: try rig.fifoWords())
        #expect(words.count == 10)
        #expect(words.allSatisfy { $0.sensor == 2 })
    }

    // MARK: - LSM6DS3 pattern FIFO

    /// Both sensors at 104 Hz, no decimation, ODR_FIFO 104 Hz, continuous (or `mode`).
    static func ds3FIFORig(mode: UInt8 = 0b110, decimation: UInt8 = 0x09) throws -> Rig {
        let rig = rig(.lsm6ds3)
        try rig.write(0x10, 0x48)
        try rig.write(0x11, 0x4C)
        try rig.write(0x08, decimation)
        try rig.write(0x0A, 0x04 << 3 | mode)
        return rig
    }

    static func ds3Status(_ rig: Rig) throws -> (diff: Int, overrun: Bool, empty: Bool, pattern: Int) {
        let s = try rig.read(0x3A, 4)
        return (Int(s[0]) | Int(s[1] & 0x0F) << 8, s[1] & 0x40 != 0, s[1] & 0x10 != 0, Int(s[2]) | Int(s[3] & 3) << 8)
    }

    @Test func ds3FIFOStoresGyroThenAccelWordsAndThePortWraps() throws {
        let rig = try Self.ds3FIFORig()
        let empty = try Self.ds3Status(rig)
        #expect(empty.empty && empty.diff == 0)
        rig.at(milliseconds: 100)
        let status = try Self.ds3Status(rig)
        #expect(status.diff == 60 && !status.overrun && !status.empty && status.pattern == 0)
        // One 24-byte burst from 0x3E reads two whole patterns: the pointer wraps 0x3F -> 0x3E.
        let words = try rig.words(0x3E, 12)
        for sample in 0..<2 {
            let t = Double(sample + 1) / 104
            let pattern = Array(words[6 * sample..<6 * sample + 6])
            #expect(pattern[0...2] == [Int16((10 * t / 70e-3).rounded()), 1429, -714])
            #expect(pattern[3...5] == [Int16((0.1 * t / 0.122e-3).rounded()), -4098, 8197])
        }
        #expect(try Self.ds3Status(rig).diff == 48)
        _ = try rig.read(0x3E, 2)
        #expect(try Self.ds3Status(rig).pattern == 1, "FIFO_PATTERN names the next word: Gy")
    }

    @Test func ds3DecimationShapesThePattern() throws {
        let rig = try Self.ds3FIFORig(decimation: 0b001 << 3 | 0b010)  // gyro every tick, accel every second
        rig.at(milliseconds: 40)  // ticks 1...4
        #expect(try Self.ds3Status(rig).diff == 18)  // G A G | G A G
        var patterns: [Int] = []
        for _ in 0..<9 {
            patterns.append(try Self.ds3Status(rig).pattern)
            _ = try rig.read(0x3E, 2)
        }
        #expect(patterns == [0, 1, 2, 3, 4, 5, 6, 7, 8])
        #expect(try Self.ds3Status(rig).pattern == 0)
    }

    @Test func ds3ContinuousModeOverrunsAndLosesTheWordAlignment() throws {
        let rig = try Self.ds3FIFORig()
        rig.at(milliseconds: 10_000)  // 1040 patterns = 6240 words into 4096
        let status = try Self.ds3Status(rig)
        #expect(status.overrun)
        #expect(status.diff == 0, "4096 words do not fit the 12-bit DIFF_FIFO")
        #expect(rig.model.fifoWordCount == 4096)
        #expect(status.pattern == (6240 - 4096) % 6)
        _ = try rig.read(0x3E, 2)
        let after = try Self.ds3Status(rig)
        #expect(!after.overrun && after.diff == 4095)
    }

    @Test func ds3FIFOModeStopsWhenFullAndBypassEmptiesIt() throws {
        let rig = try Self.ds3FIFORig(mode: 0b001)
        rig.at(milliseconds: 10_000)
        #expect(try rig.fifoWords() == 4096)
        let first = try rig.words(0x3E, 6)
        #expect(first[3] == Int16((0.1 / 104 / 0.122e-3).rounded()), "the first sample is kept")
        try rig.write(0x0A, 0x04 << 3)  // bypass
        #expect(try Self.ds3Status(rig).empty)
    }

    @Test(arguments: [LSM6DSModel.Variant.lsm6ds3, .lsm6dsox])
    func injectedFIFOOverflowFillsTheFIFO(variant: LSM6DSModel.Variant) throws {
        let rig = Self.rig(variant, faults: DeviceFaults(fifoOverflows: [.milliseconds(500)]))
        try rig.write(0x10, 0x48)
        try rig.write(0x11, 0x4C)
        if variant == .lsm6ds3 {
            try rig.write(0x08, 0x09)
            try rig.write(0x0A, 0x26)
        } else {
            try rig.write(0x09, 0x44)
            try rig.write(0x0A, 0x06)
        }
        rig.at(milliseconds: 400)
        #expect(try rig.byte(0x3B) & 0x40 == 0)
        rig.at(milliseconds: 600)
        #expect(try rig.byte(0x3B) & 0x40 != 0)
        #expect(rig.model.fifoWordCount == (variant == .lsm6ds3 ? 4096 : 512))
    }
}
