import KneeloadCore

/// A register-level model of the ST LSM6DS3 and LSM6DSOX 6-axis IMUs as an I2C host sees them.
///
/// Sources: LSM6DS3 datasheet DocID026899 (register map and register descriptions) and application note AN4650
/// (FIFO chapter, §8.6 threshold); LSM6DSOX datasheet DS12814 (register map and descriptions) and the sister
/// LSM6DSO datasheet DS12140 §6.5.7 (FIFO reading procedure); Linux `drivers/iio/imu/st_lsm6dsx/st_lsm6dsx_core.c`
/// and `st_lsm6dsx_buffer.c` (register addresses, masks, FIFO sizes, read procedure) and ST's `lsm6dsox_reg.h`
/// (bit layouts). Register citations below name the datasheet register; where a fact rests on Linux or ST code
/// alone, the comment says so.
///
/// What is modelled: identity, CTRL1_XL/CTRL2_G/CTRL3_C (ODR, full scale, BDU, IF_INC, SW_RESET, DS3 BLE),
/// STATUS_REG, little-endian outputs quantised and saturated at int16, both FIFOs (DS3 pattern-based 16-bit words,
/// DSOX tagged 7-byte words) in bypass, FIFO and continuous modes, and the FIFO port pointer wrap on burst reads.
/// Not modelled: filters and bandwidth bits, self-test, interrupts and embedded functions, timestamp and
/// temperature batching, sensor turn-on settling, trigger-driven FIFO modes (treated as their idle mode), the
/// CTRL5_C ROUNDING circular read of the output registers. The temperature output reads 0 (25 °C).
///
/// Time: each sensor produces sample *n* at `epoch + n / ODR`, where the epoch is the moment its ODR was last
/// changed; everything is computed lazily from the transaction time, so the model never runs on its own.
public final class LSM6DSModel: SimulatedDevice {
    public enum Variant: Sendable, Hashable {
        case lsm6ds3
        case lsm6dsox
    }

    public let variant: Variant
    public var model: String { variant == .lsm6ds3 ? "LSM6DS3" : "LSM6DSOX" }

    private let stimulus: any InertialStimulus
    private var registers: RegisterFile
    private var accel = Channel()
    private var gyro = Channel()
    private var fifo = FIFO()
    /// Time of the last transaction, in nanoseconds since power-on; the model never goes back in time.
    private var lastNanoseconds: Int64 = 0

    public init(variant: Variant, stimulus: any InertialStimulus) {
        self.variant = variant
        self.stimulus = stimulus
        registers = RegisterFile(resetValues: Self.resetValues(variant))
    }

    /// Words currently held in the FIFO (DS3: 16-bit words; DSOX: 7-byte tagged words), for tests.
    public var fifoWordCount: Int { fifo.count }

    // MARK: - Register map

    /// Register addresses. WHO_AM_I, CTRL*, STATUS_REG and outputs are common to both chips (both datasheets'
    /// register maps; Linux st_lsm6dsx_core.c: WHOAMI 0x0f, odr/fs at 0x10/0x11, reset/bdu at 0x12,
    /// gyro channels 0x22.., accel channels 0x28..).
    private enum Reg {
        static let whoAmI: UInt8 = 0x0F
        static let ctrl1XL: UInt8 = 0x10
        static let ctrl2G: UInt8 = 0x11
        static let ctrl3C: UInt8 = 0x12
        static let ctrl8XL: UInt8 = 0x17
        static let statusReg: UInt8 = 0x1E
        static let outTempL: UInt8 = 0x20
        static let outTempH: UInt8 = 0x21
        static let outXLG: UInt8 = 0x22
        static let outXLA: UInt8 = 0x28
        static let outZHA: UInt8 = 0x2D
        static let fifoStatus1: UInt8 = 0x3A
        static let fifoStatus2: UInt8 = 0x3B
        // LSM6DS3 FIFO (DocID026899 FIFO_CTRL1..5, FIFO_STATUS1..4, FIFO_DATA_OUT; Linux fifo_th 0x06, decimator 0x08,
        // FIFO_MODE_ADDR 0x0a with ODR_FIFO in bits 6:3, fifo_diff 0x3a 12 bits, FIFO_OUTL_ADDR 0x3e).
        static let ds3FIFOCtrl1: UInt8 = 0x06
        static let ds3FIFOCtrl2: UInt8 = 0x07
        static let ds3FIFOCtrl3: UInt8 = 0x08
        static let ds3FIFOCtrl5: UInt8 = 0x0A
        static let ds3FIFOStatus3: UInt8 = 0x3C
        static let ds3FIFOStatus4: UInt8 = 0x3D
        static let ds3FIFODataOutL: UInt8 = 0x3E
        static let ds3FIFODataOutH: UInt8 = 0x3F
        // LSM6DSOX FIFO (DS12814 FIFO_CTRL1..4, FIFO_STATUS1/2, FIFO_DATA_OUT_*; lsm6dsox_reg.h FIFO_CTRL1..4
        // 0x07..0x0A, FIFO_STATUS1/2 0x3A/0x3B; Linux batch 0x09, fifo_diff 0x3a 10 bits, FIFO_OUT_TAG_ADDR 0x78).
        static let dsoxFIFOCtrl1: UInt8 = 0x07
        static let dsoxFIFOCtrl2: UInt8 = 0x08
        static let dsoxFIFOCtrl3: UInt8 = 0x09
        static let dsoxFIFOCtrl4: UInt8 = 0x0A
        static let dsoxFIFODataOutTag: UInt8 = 0x78
        static let dsoxFIFODataOutZH: UInt8 = 0x7E
    }

    /// CTRL3_C bits (both datasheets' CTRL3_C description; lsm6dsox_ctrl3_c_t).
    private enum Ctrl3 {
        static let boot: UInt8 = 0x80
        static let bdu: UInt8 = 0x40
        static let ifInc: UInt8 = 0x04
        /// LSM6DS3 only: big/little-endian output selection.
        static let ble: UInt8 = 0x02
        static let swReset: UInt8 = 0x01
    }

    /// Registers whose reset value is not zero. Both: CTRL3_C = 0x04 (IF_INC). LSM6DS3: CTRL9_XL and CTRL10_C
    /// = 0x38 (all axes enabled). LSM6DSOX: PIN_CTRL = 0x3F, CTRL9_XL = 0xE0 (register maps; recalled, not re-checked).
    private static func resetValues(_ variant: Variant) -> [UInt8: UInt8] {
        switch variant {
        case .lsm6ds3: [Reg.whoAmI: 0x69, Reg.ctrl3C: Ctrl3.ifInc, 0x18: 0x38, 0x19: 0x38]
        case .lsm6dsox: [Reg.whoAmI: 0x6C, Reg.ctrl3C: Ctrl3.ifInc, 0x02: 0x3F, 0x18: 0xE0]
        }
    }

    /// ODR_XL / ODR_G field (bits 7:4) in millihertz, 0 = power-down. LSM6DS3 CTRL1_XL/CTRL2_G tables: 12.5, 26, 52,
    /// 104, 208, 416, 833, 1660, 3330, 6660 Hz, gyro only up to 1.66 kHz. LSM6DSOX: same codes with 417 Hz, up to
    /// 6.66 kHz for both (codes 1-6 confirmed by Linux odr_avl; the rest recalled from the datasheets); DSOX accel
    /// code 1011 is 1.6 Hz in low-power mode and 12.5 Hz in the (default) high-performance mode. Invalid codes are
    /// treated as power-down.
    private func outputDataRate(code: UInt8, gyroscope: Bool) -> Int64 {
        let table: [Int64] = [
            0, 12_500, 26_000, 52_000, 104_000, 208_000, variant == .lsm6ds3 ? 416_000 : 417_000, 833_000,
            1_660_000, 3_330_000, 6_660_000,
        ]
        switch (variant, gyroscope, code) {
        case (.lsm6ds3, true, 0...8), (.lsm6ds3, false, 0...10), (.lsm6dsox, _, 0...10):
            return table[Int(code)]
        case (.lsm6dsox, false, 11):
            return 12_500
        default:
            return 0
        }
    }

    // MARK: - SimulatedDevice

    public func receive(_ bytes: [UInt8], at time: Duration) {
        advance(to: time)
        guard let first = bytes.first else { return }
        registers.pointer = first
        for byte in bytes.dropFirst() {
            write(byte, to: registers.pointer)
            advancePointer()
        }
    }

    public func transmit(count: Int, at time: Duration) -> [UInt8] {
        advance(to: time)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(max(0, count))
        for _ in 0..<max(0, count) {
            bytes.append(read(registers.pointer))
            advancePointer()
        }
        return bytes
    }

    public func powerOnReset(at time: Duration) {
        lastNanoseconds = max(lastNanoseconds, time.totalNanoseconds)
        resetState()
    }

    /// Overfills the running FIFO with the latest samples, as if the host had stopped reading for longer than the
    /// FIFO holds. A FIFO in bypass mode is not running, so nothing happens.
    public func forceFIFOOverflow(at time: Duration) {
        advance(to: time)
        guard let mode = fifoMode, mode != .bypass else { return }
        let now = lastNanoseconds
        switch variant {
        case .lsm6ds3:
            let sets = ds3DataSets()
            let wordsPerTick = max(1, sets.count * 3)
            for _ in 0...(Self.ds3CapacityWords / wordsPerTick + 1) {
                pushDS3Tick(sets: sets, at: now, mode: mode, useLatest: true)
            }
        case .lsm6dsox:
            for _ in 0...(Self.dsoxCapacityWords + 1) {
                fifo.lastSlotTime = -1  // each synthetic slot is a new time slot
                for kind in [Kind.gyro, .accel] where dsoxBatchRate(kind) > 0 {
                    pushDSOXWord(kind, values: channel(kind).output, at: now, mode: mode)
                }
            }
        }
    }

    // MARK: - Pointer, reads and writes

    /// IF_INC advances the pointer after each byte. The FIFO output ports wrap so that a burst keeps reading
    /// whole words: 0x3F back to 0x3E on the DS3 (Linux reads a whole pattern from 0x3E in one transfer) and 0x7E
    /// back to 0x78 on the DSOX (Linux st_lsm6dsx_read_tagged_fifo reads up to four 7-byte words from 0x78 at once).
    private func advancePointer() {
        guard registers[Reg.ctrl3C] & Ctrl3.ifInc != 0 else { return }
        switch (variant, registers.pointer) {
        case (.lsm6ds3, Reg.ds3FIFODataOutH): registers.pointer = Reg.ds3FIFODataOutL
        case (.lsm6dsox, Reg.dsoxFIFODataOutZH): registers.pointer = Reg.dsoxFIFODataOutTag
        default: registers.pointer &+= 1
        }
    }

    private func isReadOnly(_ register: UInt8) -> Bool {
        switch register {
        case Reg.whoAmI, Reg.statusReg, Reg.outTempL...Reg.outZHA, Reg.fifoStatus1, Reg.fifoStatus2: return true
        default: break
        }
        switch variant {
        case .lsm6ds3: return (Reg.ds3FIFOStatus3...Reg.ds3FIFODataOutH).contains(register)
        case .lsm6dsox: return (Reg.dsoxFIFODataOutTag...Reg.dsoxFIFODataOutZH).contains(register)
        }
    }

    private func write(_ value: UInt8, to register: UInt8) {
        guard !isReadOnly(register) else { return }
        let now = lastNanoseconds
        let modeBefore = fifoMode
        switch register {
        case Reg.ctrl3C where value & Ctrl3.swReset != 0:
            // SW_RESET restores every user register to its reset value and clears itself (CTRL3_C description).
            resetState()
            return
        case Reg.ctrl3C:
            registers[register] = value & ~Ctrl3.boot  // BOOT reloads trimming and clears itself
        default:
            registers[register] = value
        }
        switch register {
        case Reg.ctrl1XL:
            setRate(&accel, outputDataRate(code: value >> 4, gyroscope: false), at: now)
        case Reg.ctrl2G:
            setRate(&gyro, outputDataRate(code: value >> 4, gyroscope: true), at: now)
        default:
            break
        }
        let modeAfter = fifoMode
        if modeAfter == nil || modeAfter == .bypass {
            // Bypass mode empties the FIFO (FIFO mode descriptions in both datasheets).
            if fifo.count > 0 || fifo.overrunLatched || fifo.patternPosition != 0 { fifo = FIFO() }
        } else if modeBefore == nil || modeBefore == .bypass {
            fifo = FIFO()  // a newly started FIFO begins a fresh pattern
        }
    }

    private func read(_ register: UInt8) -> UInt8 {
        switch register {
        case Reg.statusReg:
            // STATUS_REG: GDA bit 1, XLDA bit 0; new data not yet read by the host (STATUS_REG description;
            // lsm6dsox_status_reg_t).
            var status: UInt8 = 0
            if accel.outputSerial > accel.seenSerial { status |= 0x01 }
            if gyro.outputSerial > gyro.seenSerial { status |= 0x02 }
            return status
        case Reg.outTempL, Reg.outTempH:
            return 0
        case Reg.outXLG..<Reg.outXLA:
            return readOutput(&gyro, offset: Int(register - Reg.outXLG))
        case Reg.outXLA...Reg.outZHA:
            return readOutput(&accel, offset: Int(register - Reg.outXLA))
        default:
            break
        }
        switch variant {
        case .lsm6ds3: return readDS3FIFORegister(register) ?? registers[register]
        case .lsm6dsox: return readDSOXFIFORegister(register) ?? registers[register]
        }
    }

    /// One byte of an output register pair, little-endian unless the DS3's BLE bit swaps them. Tracks half-read
    /// pairs for block data update.
    private func readOutput(_ channel: inout Channel, offset: Int) -> UInt8 {
        let axis = offset / 2
        let isHighByteAddress = offset % 2 == 1
        let swap = variant == .lsm6ds3 && registers[Reg.ctrl3C] & Ctrl3.ble != 0
        let bits = UInt16(bitPattern: channel.output[axis])
        channel.seenSerial = channel.outputSerial
        channel.partialAxes[axis] |= isHighByteAddress ? 0b10 : 0b01
        if channel.partialAxes[axis] == 0b11 { channel.partialAxes[axis] = 0 }
        return isHighByteAddress != swap ? UInt8(bits >> 8) : UInt8(bits & 0xFF)
    }

    // MARK: - Time and sampling

    private enum Kind {
        case accel
        case gyro
    }

    /// One sensor's sampling state.
    private struct Channel {
        /// Output data rate in millihertz; 0 = power-down.
        var rate: Int64 = 0
        /// When the current rate was set, in nanoseconds since power-on.
        var epoch: Int64 = 0
        /// Serial number of the last sample produced before the current rate was set.
        var serialAtEpoch: Int64 = 0
        /// The output registers and the serial number of the sample they hold.
        var output: [Int16] = [0, 0, 0]
        var outputSerial: Int64 = 0
        /// The sample serial the host has read (for XLDA/GDA).
        var seenSerial: Int64 = 0
        /// Per axis, which bytes of the pair the host has read (bit 0 low, bit 1 high); BDU holds the outputs
        /// while any pair is half read.
        var partialAxes: [UInt8] = [0, 0, 0]

        func ticks(until now: Int64) -> Int64 { LSM6DSModel.ticks(elapsed: now - epoch, rate: rate) }
        func timeOfTick(_ n: Int64) -> Int64 { epoch + LSM6DSModel.nanoseconds(ofTick: n, rate: rate) }
    }

    private func channel(_ kind: Kind) -> Channel { kind == .accel ? accel : gyro }

    /// Samples whole periods that fit in `elapsed` nanoseconds at `rate` millihertz.
    static func ticks(elapsed: Int64, rate: Int64) -> Int64 {
        guard elapsed > 0, rate > 0 else { return 0 }
        return Int64(Int128(elapsed) * Int128(rate) / 1_000_000_000_000)
    }

    /// The first nanosecond at which tick `n` has happened (rounded up, so `ticks(nanoseconds(n)) == n`).
    static func nanoseconds(ofTick n: Int64, rate: Int64) -> Int64 {
        guard rate > 0 else { return 0 }
        return Int64((Int128(n) * 1_000_000_000_000 + Int128(rate) - 1) / Int128(rate))
    }

    private func setRate(_ channel: inout Channel, _ rate: Int64, at now: Int64) {
        guard rate != channel.rate else { return }
        channel.serialAtEpoch += channel.ticks(until: now)
        channel.epoch = now
        channel.rate = rate
    }

    /// Brings the model up to `time`: batches the samples produced since the last transaction into the FIFO,
    /// then latches the newest sample into the output registers (unless BDU holds a half-read pair).
    private func advance(to time: Duration) {
        let now = max(time.totalNanoseconds, lastNanoseconds)
        if let mode = fifoMode, mode != .bypass, now > lastNanoseconds {
            switch variant {
            case .lsm6ds3: collectDS3(after: lastNanoseconds, through: now, mode: mode)
            case .lsm6dsox: collectDSOX(after: lastNanoseconds, through: now, mode: mode)
            }
        }
        lastNanoseconds = now
        latchOutputs(&accel, kind: .accel, now: now)
        latchOutputs(&gyro, kind: .gyro, now: now)
    }

    private func latchOutputs(_ channel: inout Channel, kind: Kind, now: Int64) {
        let holding = registers[Reg.ctrl3C] & Ctrl3.bdu != 0 && channel.partialAxes.contains { $0 != 0 }
        let n = channel.ticks(until: now)
        guard n > 0, !holding, channel.serialAtEpoch + n > channel.outputSerial else { return }
        channel.output = sample(kind, atNanoseconds: channel.timeOfTick(n))
        channel.outputSerial = channel.serialAtEpoch + n
    }

    /// The stimulus quantised at the current full scale and saturated at the int16 limits.
    private func sample(_ kind: Kind, atNanoseconds t: Int64) -> [Int16] {
        let state = stimulus.inertial(at: Double(t) / 1e9)
        let vector = kind == .accel ? state.specificForce : state.angularRate
        let unitsPerLSB = kind == .accel ? accelGPerLSB : gyroDPSPerLSB
        return [vector.x, vector.y, vector.z].map { Int16(saturating: $0 / unitsPerLSB) }
    }

    /// FS_XL (CTRL1_XL bits 3:2): 00 ±2 g, 01 ±16 g, 10 ±4 g, 11 ±8 g; 0.061/0.488/0.122/0.244 mg/LSB
    /// (mechanical characteristics tables; Linux fs_table: 61/122/244/488 µg with codes 0/2/3/1). On the DSOX,
    /// CTRL8_XL XL_FS_MODE (bit 1, lsm6dsox_ctrl8_xl_t) turns 01 into ±2 g.
    private var accelGPerLSB: Double {
        let code = (registers[Reg.ctrl1XL] >> 2) & 0x03
        if code == 0b01, variant == .lsm6dsox, registers[Reg.ctrl8XL] & 0x02 != 0 { return 0.061e-3 }
        return [0.061e-3, 0.488e-3, 0.122e-3, 0.244e-3][Int(code)]
    }

    /// FS_G (CTRL2_G bits 3:2): 245(250)/500/1000/2000 dps at 8.75/17.5/35/70 mdps/LSB; FS_125 (bit 1) selects
    /// ±125 dps at 4.375 mdps/LSB (mechanical characteristics; Linux gyro fs_table 8750/17500/35000/70000 µdps).
    private var gyroDPSPerLSB: Double {
        let value = registers[Reg.ctrl2G]
        if value & 0x02 != 0 { return 4.375e-3 }
        return [8.75e-3, 17.5e-3, 35e-3, 70e-3][Int((value >> 2) & 0x03)]
    }

    private func resetState() {
        registers.reset()
        accel = Channel()
        gyro = Channel()
        fifo = FIFO()
    }

    // MARK: - FIFO, common

    private enum FIFOMode {
        case bypass
        /// Stops storing when full.
        case fifo
        /// Overwrites the oldest word when full.
        case continuous
    }

    /// A queue of FIFO words. DS3 words are 2 bytes (one axis), DSOX words 7 bytes (tag + X, Y, Z).
    private struct FIFO {
        struct Word {
            var bytes: [UInt8]
            /// Position of this word in the DS3 pattern (FIFO_STATUS3/4).
            var patternIndex: Int
        }
        var words: [Word] = []
        var head = 0
        /// DSOX FIFO_OVR_LATCHED, cleared by reading FIFO_STATUS2.
        var overrunLatched = false
        /// DS3: pattern ticks since the FIFO started and the pattern index of the next word written.
        var ticks: Int64 = 0
        var patternPosition = 0
        /// DSOX: TAG_CNT, the 2-bit time-slot counter, and the time of the current slot.
        var slotCounter: UInt8 = 0
        var lastSlotTime: Int64 = -1

        var count: Int { words.count - head }
        var first: Word? { count > 0 ? words[head] : nil }

        mutating func pop() {
            guard count > 0 else { return }
            head += 1
            if head >= 1024, head * 2 >= words.count {
                words.removeFirst(head)
                head = 0
            }
        }

        /// Stores `word`; when full, FIFO mode drops it and continuous mode drops the oldest word instead.
        mutating func push(_ word: Word, capacity: Int, mode: FIFOMode) {
            if count >= capacity {
                overrunLatched = true
                guard mode == .continuous else { return }
                pop()
            }
            words.append(word)
            if count >= capacity { overrunLatched = true }
        }
    }

    /// FIFO_MODE bits 2:0 (DS3 FIFO_CTRL5, DSOX FIFO_CTRL4): 000 bypass, 001 FIFO, 011 continuous-to-FIFO,
    /// 100 bypass-to-continuous, 110 continuous, DSOX 111 bypass-to-FIFO. Triggers are not modelled, so the
    /// triggered modes stay in their first mode. nil: the DS3 FIFO has no ODR_FIFO (0000 = FIFO disabled).
    private var fifoMode: FIFOMode? {
        let value: UInt8
        switch variant {
        case .lsm6ds3:
            value = registers[Reg.ds3FIFOCtrl5]
            guard ds3FIFORate > 0 else { return nil }
        case .lsm6dsox:
            value = registers[Reg.dsoxFIFOCtrl4]
        }
        switch value & 0x07 {
        case 0b001: return .fifo
        case 0b011, 0b110: return .continuous
        default: return .bypass
        }
    }

    // MARK: - LSM6DS3 FIFO (pattern based, 16-bit words)

    /// 8 kbyte = 4096 words: Linux st_lsm6dsx_core.c lists the LSM6DS3 FIFO as 8KB (max_fifo_size 1365 six-byte
    /// samples) with a 12-bit DIFF_FIFO; the datasheet says "up to 8 kbyte". (The LSM6DS3TR-C/DSL have 4 kbyte.)
    static let ds3CapacityWords = 4096

    /// ODR_FIFO (FIFO_CTRL5 bits 6:3) uses the accelerometer's table (FIFO_CTRL5 description); 0 = FIFO disabled.
    private var ds3FIFORate: Int64 {
        let code = (registers[Reg.ds3FIFOCtrl5] >> 3) & 0x0F
        return code <= 10 ? outputDataRate(code: code, gyroscope: false) : 0
    }

    /// Data sets stored, gyroscope first then accelerometer (the DS3-family FIFO data-set order, e.g. LSM6DSL §5.5.6;
    /// st_lsm6dsx_buffer.c header comment), each with its decimation: FIFO_CTRL3 DEC_FIFO_GYRO bits 5:3, DEC_FIFO_XL
    /// bits 2:0, codes 000 not in FIFO, 001 none, 010..111 factors 2, 3, 4, 8, 16, 32 (Linux
    /// st_lsm6dsx_decimator_table).
    private func ds3DataSets() -> [(kind: Kind, decimation: Int64)] {
        let factors: [Int64] = [0, 1, 2, 3, 4, 8, 16, 32]
        let value = registers[Reg.ds3FIFOCtrl3]
        var sets: [(kind: Kind, decimation: Int64)] = []
        let gyroFactor = factors[Int((value >> 3) & 0x07)]
        let accelFactor = factors[Int(value & 0x07)]
        if gyroFactor > 0, gyro.rate > 0 { sets.append((.gyro, gyroFactor)) }
        if accelFactor > 0, accel.rate > 0 { sets.append((.accel, accelFactor)) }
        return sets
    }

    /// The FIFO is written on the data-ready of the fastest stored sensor, no faster than ODR_FIFO (the datasheet
    /// asks for ODR_FIFO <= the sensor ODRs; Linux sets ODR_FIFO to its maximum and relies on data-ready).
    private func collectDS3(after start: Int64, through end: Int64, mode: FIFOMode) {
        let sets = ds3DataSets()
        guard let fastest = sets.map({ channel($0.kind) }).max(by: { $0.rate < $1.rate }) else { return }
        let fifoRate = ds3FIFORate
        let step = max(1, Int64((Double(fastest.rate) / Double(fifoRate)).rounded()))
        var first = (fastest.ticks(until: start) / step + 1) * step
        var last = fastest.ticks(until: end) / step * step
        guard last >= first else { return }
        // Only the newest FIFO's worth can survive in continuous mode, only the oldest in FIFO mode.
        let limit = Int64(Self.ds3CapacityWords / (sets.count * 3) + 2)
        let count = (last - first) / step + 1
        if count > limit {
            if mode == .continuous { first = last - (limit - 1) * step } else { last = first + (limit - 1) * step }
        }
        for n in stride(from: first, through: last, by: Int(step)) {
            pushDS3Tick(sets: sets, at: fastest.timeOfTick(n), mode: mode, useLatest: false)
        }
    }

    /// One FIFO write event: each data set due at this tick of the decimation pattern adds its X, Y, Z words.
    private func pushDS3Tick(sets: [(kind: Kind, decimation: Int64)], at time: Int64, mode: FIFOMode, useLatest: Bool) {
        let cycle = sets.reduce(Int64(1)) { lcm($0, $1.decimation) }
        let position = fifo.ticks % cycle
        if position == 0 { fifo.patternPosition = 0 }
        for set in sets where position % set.decimation == 0 {
            let values = useLatest ? channel(set.kind).output : latestSample(set.kind, at: time)
            for value in values {
                let bits = UInt16(bitPattern: value)
                let word = FIFO.Word(bytes: [UInt8(bits & 0xFF), UInt8(bits >> 8)], patternIndex: fifo.patternPosition)
                fifo.push(word, capacity: Self.ds3CapacityWords, mode: mode)
                fifo.patternPosition += 1
            }
        }
        fifo.ticks += 1
    }

    /// The sensor's newest sample at `time` (its output registers if it has produced none at its current rate).
    private func latestSample(_ kind: Kind, at time: Int64) -> [Int16] {
        let channel = channel(kind)
        let n = channel.ticks(until: time)
        return n > 0 ? sample(kind, atNanoseconds: channel.timeOfTick(n)) : channel.output
    }

    /// FIFO_STATUS1: DIFF_FIFO[7:0]. FIFO_STATUS2: FTH bit 7, FIFO_OVER_RUN bit 6 (completely filled), FIFO_FULL
    /// bit 5 (full at the next write), FIFO_EMPTY bit 4, DIFF_FIFO[11:8] bits 3:0 (FIFO_STATUS2 description). A
    /// completely full FIFO holds 4096 words, which the 12-bit field shows as 0: OVER_RUN tells them apart.
    /// FIFO_STATUS3/4: FIFO_PATTERN[9:0], the pattern index of the next word read.
    private func readDS3FIFORegister(_ register: UInt8) -> UInt8? {
        let count = fifo.count
        switch register {
        case Reg.fifoStatus1:
            return UInt8(count & 0xFF)
        case Reg.fifoStatus2:
            let threshold = Int(registers[Reg.ds3FIFOCtrl1]) | Int(registers[Reg.ds3FIFOCtrl2] & 0x0F) << 8
            let wordsPerTick = max(1, ds3DataSets().count * 3)
            var value = UInt8((count >> 8) & 0x0F)
            if threshold > 0, count >= threshold { value |= 0x80 }
            if count >= Self.ds3CapacityWords { value |= 0x40 }
            if count + wordsPerTick >= Self.ds3CapacityWords { value |= 0x20 }
            if count == 0 { value |= 0x10 }
            return value
        case Reg.ds3FIFOStatus3, Reg.ds3FIFOStatus4:
            let pattern = fifo.first?.patternIndex ?? fifo.patternPosition
            return register == Reg.ds3FIFOStatus3 ? UInt8(pattern & 0xFF) : UInt8((pattern >> 8) & 0x03)
        case Reg.ds3FIFODataOutL:
            return fifo.first?.bytes[0] ?? 0
        case Reg.ds3FIFODataOutH:
            // Reading the high byte completes the word and moves the FIFO on.
            defer { fifo.pop() }
            return fifo.first?.bytes[1] ?? 0
        default:
            return nil
        }
    }

    // MARK: - LSM6DSOX FIFO (tagged, 7-byte words)

    /// 512 words: Linux st_lsm6dsx_core.c max_fifo_size = 512 for LSM6DSO/DSOX (3 kbyte of data, 10-bit DIFF_FIFO).
    static let dsoxCapacityWords = 512

    /// TAG_SENSOR values (FIFO_DATA_OUT_TAG description; Linux st_lsm6dsx_fifo_tag: GYRO 0x01, ACC 0x02).
    private static func tagSensor(_ kind: Kind) -> UInt8 { kind == .gyro ? 0x01 : 0x02 }

    /// BDR_XL (FIFO_CTRL3 bits 3:0) and BDR_GY (bits 7:4), millihertz: 0000 not batched, then the ODR table up
    /// to 6667 Hz; 1011 is 1.6 Hz for the accelerometer and 6.5 Hz for the gyroscope (FIFO_CTRL3 description; the 1011
    /// rates are recalled, not re-checked).
    private func dsoxBatchRate(_ kind: Kind) -> Int64 {
        let value = registers[Reg.dsoxFIFOCtrl3]
        let code = kind == .accel ? value & 0x0F : value >> 4
        switch code {
        case 1...10: return outputDataRate(code: code, gyroscope: false)
        case 11: return kind == .accel ? 1_600 : 6_500
        default: return 0
        }
    }

    /// Each sensor batches its own samples, decimated from its ODR to its BDR; words written at the same moment
    /// share a time slot (TAG_CNT) and are ordered gyroscope first.
    private func collectDSOX(after start: Int64, through end: Int64, mode: FIFOMode) {
        var events: [(time: Int64, order: Int, kind: Kind)] = []
        let limit = Int64(Self.dsoxCapacityWords + 2)
        for (order, kind) in [Kind.gyro, .accel].enumerated() {
            let channel = channel(kind)
            let batchRate = dsoxBatchRate(kind)
            guard channel.rate > 0, batchRate > 0 else { continue }
            let step = max(1, Int64((Double(channel.rate) / Double(batchRate)).rounded()))
            var first = (channel.ticks(until: start) / step + 1) * step
            var last = channel.ticks(until: end) / step * step
            guard last >= first else { continue }
            let count = (last - first) / step + 1
            if count > limit {
                if mode == .continuous { first = last - (limit - 1) * step } else { last = first + (limit - 1) * step }
            }
            for n in stride(from: first, through: last, by: Int(step)) {
                events.append((channel.timeOfTick(n), order, kind))
            }
        }
        events.sort { ($0.time, $0.order) < ($1.time, $1.order) }
        for event in events {
            pushDSOXWord(event.kind, values: latestSample(event.kind, at: event.time), at: event.time, mode: mode)
        }
    }

    /// FIFO_DATA_OUT_TAG: TAG_SENSOR bits 7:3, TAG_CNT bits 2:1, TAG_PARITY bit 0 (FIFO_DATA_OUT_TAG description; Linux
    /// decodes `tag = byte >> 3`). The parity convention is not given in what we could read; even parity over the byte
    /// is assumed here. Data follow as X, Y, Z little-endian (0x79..0x7E).
    private func pushDSOXWord(_ kind: Kind, values: [Int16], at time: Int64, mode: FIFOMode) {
        if time != fifo.lastSlotTime {
            fifo.slotCounter = (fifo.slotCounter + 1) & 0x03
            fifo.lastSlotTime = time
        }
        var tag = Self.tagSensor(kind) << 3 | fifo.slotCounter << 1
        tag |= UInt8(tag.nonzeroBitCount & 1)
        var bytes = [tag]
        for value in values {
            let bits = UInt16(bitPattern: value)
            bytes.append(UInt8(bits & 0xFF))
            bytes.append(UInt8(bits >> 8))
        }
        fifo.push(FIFO.Word(bytes: bytes, patternIndex: 0), capacity: Self.dsoxCapacityWords, mode: mode)
    }

    /// FIFO_STATUS1: DIFF_FIFO[7:0]. FIFO_STATUS2: FIFO_WTM_IA bit 7, FIFO_OVR_IA bit 6 (completely filled),
    /// FIFO_FULL_IA bit 5 (full at the next ODR), COUNTER_BDR_IA bit 4 (not modelled), FIFO_OVR_LATCHED bit 3
    /// (cleared by this read), DIFF_FIFO[9:8] bits 1:0 (FIFO_STATUS2 description; lsm6dsox_fifo_status2_t).
    private func readDSOXFIFORegister(_ register: UInt8) -> UInt8? {
        let count = fifo.count
        switch register {
        case Reg.fifoStatus1:
            return UInt8(count & 0xFF)
        case Reg.fifoStatus2:
            let watermark = Int(registers[Reg.dsoxFIFOCtrl1]) | Int(registers[Reg.dsoxFIFOCtrl2] & 0x01) << 8
            let wordsPerSlot = [Kind.gyro, .accel].filter { dsoxBatchRate($0) > 0 }.count
            var value = UInt8((count >> 8) & 0x03)
            if watermark > 0, count >= watermark { value |= 0x80 }
            if count >= Self.dsoxCapacityWords { value |= 0x40 }
            if count + max(1, wordsPerSlot) >= Self.dsoxCapacityWords { value |= 0x20 }
            if fifo.overrunLatched { value |= 0x08 }
            fifo.overrunLatched = false
            return value
        case Reg.dsoxFIFODataOutTag...Reg.dsoxFIFODataOutZH:
            let byte = fifo.first?.bytes[Int(register - Reg.dsoxFIFODataOutTag)] ?? 0
            // Reading the last data byte (OUTZ_H) completes the word and moves the FIFO on.
            if register == Reg.dsoxFIFODataOutZH { fifo.pop() }
            return byte
        default:
            return nil
        }
    }
}

private func lcm(_ a: Int64, _ b: Int64) -> Int64 {
    func gcd(_ x: Int64, _ y: Int64) -> Int64 { y == 0 ? x : gcd(y, x % y) }
    return a / gcd(a, b) * b
}
