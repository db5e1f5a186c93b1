import KneeloadCore

/// A shank-mounted IMU driver. Readings are in the chip's own axes; `AxisRemap` maps them into the
/// CONTRACTS frame one layer up.
///
/// Lifecycle: `probe()` checks the identity register, `configure(_:)` writes the settings and verifies
/// them by reading back, then `read()` (latest sample, one burst) or `enableFIFO()` and `drainFIFO()`.
/// After a bus error the caller may call `configure(_:)` again to re-initialise a chip that lost power.
public protocol ShankIMU: AnyObject {
    /// The chip found by `probe()`, for example `MPU-6500`; the family name before.
    var chip: String { get }
    var address: UInt8 { get }
    var hasGyro: Bool { get }

    func probe() throws(SensorError) -> ChipIdentity
    @discardableResult
    func configure(_ settings: IMUSettings) throws(SensorError) -> AppliedIMUSettings
    /// The latest sample from the output registers, in one burst read.
    func read() throws(SensorError) -> IMUReading
    /// Starts buffering samples in the chip's FIFO at the configured rate (empties it first).
    func enableFIFO() throws(SensorError)
    /// Every complete sample in the FIFO, oldest first, and whether it had overflowed.
    func drainFIFO() throws(SensorError) -> FIFODrain
}

/// What `probe()` found.
public struct ChipIdentity: Sendable, Hashable {
    public var chip: String
    public var register: UInt8
    public var value: UInt8
    public init(chip: String, register: UInt8, value: UInt8) {
        self.chip = chip
        self.register = register
        self.value = value
    }
}

/// Requested IMU settings. Drivers pick the chip setting that matches exactly, or the nearest output
/// data rate at or above the requested rate, and say what they chose in `AppliedIMUSettings`.
public struct IMUSettings: Sendable, Hashable {
    /// Full-scale acceleration range in g: 2, 4, 8 or 16.
    public var accelRangeG: Int
    /// Full-scale angular rate in °/s: 250 (245 on ST chips), 500, 1000 or 2000.
    public var gyroRangeDPS: Int
    /// Wanted output data rate in Hz.
    public var sampleRateHz: Double

    public init(accelRangeG: Int = 16, gyroRangeDPS: Int = 2000, sampleRateHz: Double = 100) {
        self.accelRangeG = accelRangeG
        self.gyroRangeDPS = gyroRangeDPS
        self.sampleRateHz = sampleRateHz
    }
}

/// The settings the chip is actually running with, verified by read-back.
public struct AppliedIMUSettings: Sendable, Hashable {
    public var accelRangeG: Int
    public var gyroRangeDPS: Int
    public var outputDataRateHz: Double
    /// Scale factors from raw counts.
    public var accelGPerLSB: Double
    public var gyroDPSPerLSB: Double

    public init(accelRangeG: Int, gyroRangeDPS: Int, outputDataRateHz: Double, accelGPerLSB: Double, gyroDPSPerLSB: Double) {
        self.accelRangeG = accelRangeG
        self.gyroRangeDPS = gyroRangeDPS
        self.outputDataRateHz = outputDataRateHz
        self.accelGPerLSB = accelGPerLSB
        self.gyroDPSPerLSB = gyroDPSPerLSB
    }
}

/// One IMU sample in chip axes.
public struct IMUReading: Sendable, Hashable {
    /// Specific force in g.
    public var accel: Vector3
    /// Angular rate in °/s; nil for an accelerometer without a gyro.
    public var gyro: Vector3?
    /// True when any accelerometer axis sat at the end of its range (the reading is clipped).
    public var accelSaturated: Bool

    public init(accel: Vector3, gyro: Vector3?, accelSaturated: Bool = false) {
        self.accel = accel
        self.gyro = gyro
        self.accelSaturated = accelSaturated
    }
}

/// The result of draining a FIFO.
public struct FIFODrain: Sendable, Hashable {
    /// Complete samples, oldest first.
    public var readings: [IMUReading]
    /// The chip reported an overflow since the last drain: samples were lost before these.
    public var overflowed: Bool
    /// Samples the driver threw away (after an overflow the FIFO's frame alignment cannot be trusted,
    /// so its contents are discarded and the FIFO reset, as Linux's inv_mpu6050 does). Callers count
    /// them, plus any gap the timestamps show, as dropped.
    public var discardedSamples: Int

    public init(readings: [IMUReading], overflowed: Bool, discardedSamples: Int) {
        self.readings = readings
        self.overflowed = overflowed
        self.discardedSamples = discardedSamples
    }
}
