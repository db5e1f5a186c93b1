/// A register-level model of the TI ADS1115 16-bit delta-sigma ADC.
///
/// Source: TI datasheet SBAS444D "ADS111x Ultra-Small, Low-Power, I2C-Compatible, 860-SPS, 16-Bit ADCs"
/// (section numbers below are that revision's). What is modelled:
/// - §9.5.3 / §9.6.1 (Table 6): a write transaction's first byte is the Address Pointer register; only
///   P[1:0] count (bits 7:2 are reserved and written as 0). The next two bytes, MSB first, are written to
///   the pointed register (§9.5.2.1 receive mode). A register changes only once both bytes have arrived;
///   further bytes in the same transaction are ignored (the datasheet describes exactly two).
/// - §9.5.2.2 transmit mode: a read returns the pointed register MSB first, then LSB. The pointer never
///   advances, so a read stays on one register until the pointer is written again. The datasheet does not
///   say what a third byte returns; we model the register repeating (MSB, LSB, MSB, ...).
/// - §9.6.2-§9.6.4 reset values: Conversion 0x0000, Config 0x8583, Lo_thresh 0x8000, Hi_thresh 0x7FFF.
/// - §9.6.3 (Table 8) Config fields and §9.3.3 (Table 3) full-scale ranges; §9.3.6 data rates.
/// - §9.4.2.1 single-shot: writing OS = 1 while powered down wakes the device in about 25 µs, OS reads 0
///   while the conversion runs and 1 once it has finished and the device powered down again. Writing OS
///   while a conversion runs has no effect.
/// - §9.4.2.2 continuous: results every 1/DR. A configuration written during a conversion takes effect
///   only after that conversion has finished with the previous settings. OS reads 0 in this mode: the
///   device is always "performing a conversion" (Table 8's reading of OS).
/// - §9.5.4 data format: code = round(V / LSB), LSB = FSR / 32768, clipping at 0x7FFF and 0x8000.
///
/// Not modelled: noise, offset and gain error, the comparator and ALERT/RDY pin (comparator bits are
/// stored as written), the general-call reset, and VDD limiting the input range.
///
/// A delta-sigma result represents the input averaged over its conversion; the model samples the stimulus
/// once, at the middle of each conversion window. Conversions are computed lazily when a transaction
/// arrives, so a long idle stretch in continuous mode costs one sample, not one per period.
public final class ADS1115Model: SimulatedDevice {
    public let model = "ADS1115"

    // Address Pointer values, SBAS444D §9.6.1 Table 6.
    public static let conversionRegister: UInt8 = 0b00
    public static let configRegister: UInt8 = 0b01
    public static let lowThresholdRegister: UInt8 = 0b10
    public static let highThresholdRegister: UInt8 = 0b11

    // Reset values, SBAS444D §9.6.2-§9.6.4.
    public static let resetConfig: UInt16 = 0x8583
    public static let resetLowThreshold: UInt16 = 0x8000
    public static let resetHighThreshold: UInt16 = 0x7FFF

    /// Power-up time from the power-down state, SBAS444D §9.4.2.1 ("approximately 25 μs"). We apply it to
    /// any start from power-down, single-shot or continuous.
    public static let wakeUpTime: Duration = .microseconds(25)

    /// Full-scale range in volts for PGA[2:0], SBAS444D Table 8 and Table 3 (101, 110 and 111 are all ±0.256 V).
    public static let fullScaleVolts: [Double] = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256]
    /// Samples per second for DR[2:0], SBAS444D Table 8.
    public static let dataRates: [Int] = [8, 16, 32, 64, 128, 250, 475, 860]

    private struct Conversion {
        var startNs: Int64
        var endNs: Int64
        var mux: Int
        var pga: Int
    }

    private let stimulus: any AnalogStimulus
    private var pointer: UInt8 = 0
    /// Config bits 14:0 as last written; OS (bit 15) is computed from the conversion state on read.
    private var configBits: UInt16 = ADS1115Model.resetConfig & 0x7FFF
    private var conversionCode: Int16 = 0
    private var lowThreshold = ADS1115Model.resetLowThreshold
    private var highThreshold = ADS1115Model.resetHighThreshold
    /// The conversion under way; nil when the device is powered down.
    private var inFlight: Conversion?
    private var latestNs: Int64 = 0

    /// Conversions finished since power-on (for tests of the conversion rate).
    public private(set) var completedConversions = 0

    public init(stimulus: any AnalogStimulus) {
        self.stimulus = stimulus
    }

    // MARK: SimulatedDevice

    public func receive(_ bytes: [UInt8], at time: Duration) {
        let now = advance(to: time)
        guard let first = bytes.first else { return }
        pointer = first & 0b11
        guard bytes.count >= 3 else { return }
        let value = UInt16(bytes[1]) << 8 | UInt16(bytes[2])
        switch pointer {
        case Self.configRegister: writeConfig(value, at: now)
        case Self.lowThresholdRegister: lowThreshold = value
        case Self.highThresholdRegister: highThreshold = value
        default: break  // the Conversion register is read-only
        }
    }

    public func transmit(count: Int, at time: Duration) -> [UInt8] {
        advance(to: time)
        let value = registerValue(pointer)
        return (0..<max(count, 0)).map { index in
            index % 2 == 0 ? UInt8(value >> 8) : UInt8(value & 0xFF)
        }
    }

    public func powerOnReset(at time: Duration) {
        pointer = 0
        configBits = Self.resetConfig & 0x7FFF
        conversionCode = 0
        lowThreshold = Self.resetLowThreshold
        highThreshold = Self.resetHighThreshold
        inFlight = nil
        latestNs = max(latestNs, time.totalNanoseconds)
    }

    // MARK: Registers

    private func registerValue(_ register: UInt8) -> UInt16 {
        switch register {
        case Self.conversionRegister: UInt16(bitPattern: conversionCode)
        case Self.configRegister: (inFlight == nil ? 0x8000 : 0) | configBits
        case Self.lowThresholdRegister: lowThreshold
        default: highThreshold
        }
    }

    private var isContinuous: Bool { configBits & 0x0100 == 0 }
    private var dataRate: Int { Self.dataRates[Int(configBits >> 5) & 0b111] }

    private func writeConfig(_ value: UInt16, at nowNs: Int64) {
        configBits = value & 0x7FFF
        // A running conversion finishes with the settings it started with; what comes after it follows
        // the new configuration (see `advance`). Only a powered-down device starts something now.
        guard inFlight == nil else { return }
        let startSingleShot = value & 0x8000 != 0
        if isContinuous || startSingleShot {
            let start = nowNs + Self.wakeUpTime.totalNanoseconds
            inFlight = Conversion(
                startNs: start, endNs: start + Self.ceilingDivide(1_000_000_000, dataRate),
                mux: Int(configBits >> 12) & 0b111, pga: Int(configBits >> 9) & 0b111)
        }
    }

    // MARK: Conversions

    /// Finishes every conversion due by `time` and returns the (monotonic) time in nanoseconds.
    @discardableResult
    private func advance(to time: Duration) -> Int64 {
        // The bus hands a frozen device a fixed time; never let time run backwards inside the model.
        let now = max(time.totalNanoseconds, latestNs)
        latestNs = now
        guard let finished = inFlight, finished.endNs <= now else { return now }
        latch(finished)
        guard isContinuous else {
            inFlight = nil  // single-shot: power down after the result is stored
            return now
        }
        // Back-to-back conversions with the current settings, the k-th ending at
        // finished.end + ceil(k / DR). Only the last one that is complete matters for the register.
        let rate = Int128(dataRate)
        let mux = Int(configBits >> 12) & 0b111
        let pga = Int(configBits >> 9) & 0b111
        let base = finished.endNs
        func boundary(_ k: Int128) -> Int64 { base + Int64((k * 1_000_000_000 + rate - 1) / rate) }
        let completed = Int128(now - base) * rate / 1_000_000_000
        if completed > 0 {
            latch(Conversion(startNs: boundary(completed - 1), endNs: boundary(completed), mux: mux, pga: pga))
            completedConversions += Int(completed) - 1
        }
        inFlight = Conversion(startNs: boundary(completed), endNs: boundary(completed + 1), mux: mux, pga: pga)
        return now
    }

    private func latch(_ conversion: Conversion) {
        let middleNs = conversion.startNs + (conversion.endNs - conversion.startNs) / 2
        let volts = inputVolts(mux: conversion.mux, at: Double(middleNs) / 1e9)
        let lsb = Self.fullScaleVolts[conversion.pga] / 32768
        conversionCode = Int16(saturating: volts / lsb)
        completedConversions += 1
    }

    /// The differential input the multiplexer selects, SBAS444D Table 8 MUX[2:0].
    private func inputVolts(mux: Int, at seconds: Double) -> Double {
        func ain(_ channel: Int) -> Double { stimulus.volts(channel: channel, at: seconds) }
        switch mux {
        case 0b000: return ain(0) - ain(1)
        case 0b001: return ain(0) - ain(3)
        case 0b010: return ain(1) - ain(3)
        case 0b011: return ain(2) - ain(3)
        default: return ain(mux - 0b100)  // 100...111: AIN0...AIN3 against GND
        }
    }

    private static func ceilingDivide(_ numerator: Int64, _ divisor: Int) -> Int64 {
        (numerator + Int64(divisor) - 1) / Int64(divisor)
    }
}
