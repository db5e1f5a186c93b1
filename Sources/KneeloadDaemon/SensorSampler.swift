import KneeloadConfiguration
import KneeloadCore
import SensorDrivers

/// Reads the shank IMU and the knee sensor once per sample period, supervising each device: a failed read
/// skips that sample (the engine counts the gap as dropped), the device is re-initialised after a backoff,
/// and one failing for longer than `faultAfter` is reported as degraded (see `DeviceHealth`). Nothing here
/// throws: bus errors are expected events.
///
/// Owned by the sampling loop (not `Sendable`), like the drivers.
public final class SensorSampler {
    public enum Device: String, Sendable, CaseIterable {
        case imu
        case knee
    }

    /// A change of a device's health, with the error that caused it.
    public struct HealthChange: Sendable {
        public var device: Device
        public var chip: String
        public var transition: DeviceHealth.Transition
        public var error: SensorError?
    }

    public let imu: any ShankIMU
    public let knee: any KneeAngleSensor
    public let settings: SensorSettings
    public private(set) var imuHealth: DeviceHealth
    public private(set) var kneeHealth: DeviceHealth
    private var imuReady = false
    private var kneeReady = false
    public private(set) var appliedIMUSettings: AppliedIMUSettings?
    /// Set by `sample`; read by the loop to log and to raise alerts.
    public private(set) var changes: [HealthChange] = []
    public private(set) var failedReads = 0

    public init(drivers: RigBuilder.Drivers, settings: SensorSettings, faultAfter: Duration) {
        imu = drivers.imu
        knee = drivers.knee
        self.settings = settings
        imuHealth = DeviceHealth(faultAfter: faultAfter)
        kneeHealth = DeviceHealth(faultAfter: faultAfter)
        changes.reserveCapacity(4)
    }

    /// Both devices have been set up and read at least once since their last failure.
    public var isReady: Bool { imuReady && kneeReady && imuHealth.state == .ok && kneeHealth.state == .ok }

    public func state(of device: Device) -> DeviceHealth.State {
        device == .imu ? imuHealth.state : kneeHealth.state
    }

    public func chip(of device: Device) -> String { device == .imu ? imu.chip : knee.chip }

    /// The samples of the last `sample(at:engineTime:)`, oldest first.
    public private(set) var batch: [SensorSample] = []
    /// IMU samples the chip's FIFO lost (overflow) or the driver threw away.
    public private(set) var fifoDiscardedSamples = 0
    private var readings: [IMUReading] = []
    /// Engine time of the newest sample handed out, for the FIFO's time stamps.
    private var lastSampleTime: Double?

    /// Reads at `time` (monotonic) and fills `batch`. Without the FIFO that is at most one sample, stamped
    /// `engineTime`; with it, every sample the chip buffered since the last call, spaced by its output data
    /// period and ending near `engineTime` (so a late iteration loses nothing), all with this call's knee
    /// angle. Empty when a device failed or is waiting to be re-initialised; `changes` says what changed.
    public func sample(at time: Duration, engineTime: Double) {
        changes.removeAll(keepingCapacity: true)
        batch.removeAll(keepingCapacity: true)
        let gotIMU = readIMU(at: time)
        let flexion = readKnee(at: time)
        if let t = imuHealth.checkTimeout(at: time) { changes.append(HealthChange(device: .imu, chip: imu.chip, transition: t)) }
        if let t = kneeHealth.checkTimeout(at: time) {
            changes.append(HealthChange(device: .knee, chip: knee.chip, transition: t))
        }
        guard gotIMU, let flexion, !readings.isEmpty else {
            // The chip's samples drained without a knee angle are lost: keep the time line moving past them,
            // so the engine sees the gap.
            if gotIMU, settings.useFIFO, let last = lastSampleTime, let rate = appliedIMUSettings?.outputDataRateHz,
                rate > 0
            {
                lastSampleTime = last + Double(readings.count) / rate
            }
            return
        }
        let count = readings.count
        var first = engineTime
        var step = 0.0
        if settings.useFIFO, let rate = appliedIMUSettings?.outputDataRateHz, rate > 0 {
            step = 1 / rate
            // Go on from the last sample at the chip's period while that stays within two periods of the
            // loop's clock; re-anchor on the loop's clock otherwise (start, a lost FIFO, clock drift).
            let following = (lastSampleTime ?? -.infinity) + step
            let anchored = engineTime - Double(count - 1) * step
            first = abs(following + Double(count - 1) * step - engineTime) <= 2 * step ? following : anchored
        }
        for (index, reading) in readings.enumerated() {
            let t = first + Double(index) * step
            if let last = lastSampleTime, t <= last { continue }
            batch.append(
                SensorSample(
                    time: t, accel: settings.axisRemap.apply(reading.accel),
                    gyro: settings.useGyro ? reading.gyro.map(settings.axisRemap.apply) : nil, kneeFlexDeg: flexion))
            lastSampleTime = t
        }
    }

    /// Fills `readings`; false when the IMU failed or was just set up.
    private func readIMU(at time: Duration) -> Bool {
        readings.removeAll(keepingCapacity: true)
        do {
            guard imuHealth.mayAttempt(at: time) else { return false }
            if !imuReady || imuHealth.needsReinitialisation {
                imuReady = false
                _ = try imu.probe()
                appliedIMUSettings = try imu.configure(settings.imuSettings)
                if settings.useFIFO { try imu.enableFIFO() }
                imuReady = true
                imuHealth.recordReinitialised()
                // The first conversion after configuring is not there yet: read from the next sample on.
                return false
            }
            if settings.useFIFO {
                let drain = try imu.drainFIFO()
                readings.append(contentsOf: drain.readings)
                if drain.overflowed || drain.discardedSamples > 0 {
                    fifoDiscardedSamples += drain.discardedSamples
                    lastSampleTime = nil  // the chip's time line is broken: re-anchor
                }
            } else {
                readings.append(try imu.read())
            }
            if let t = imuHealth.recordSuccess(at: time) { changes.append(HealthChange(device: .imu, chip: imu.chip, transition: t)) }
            return true
        } catch {
            failedReads += 1
            if let t = imuHealth.recordFailure(at: time) {
                changes.append(HealthChange(device: .imu, chip: imu.chip, transition: t, error: error))
            }
            return false
        }
    }

    private func readKnee(at time: Duration) -> Double? {
        do {
            guard kneeHealth.mayAttempt(at: time) else { return nil }
            if !kneeReady || kneeHealth.needsReinitialisation {
                kneeReady = false
                _ = try knee.probe()
                try knee.configure()
                kneeReady = true
                kneeHealth.recordReinitialised()
                return nil
            }
            let flexion = try knee.readFlexion()
            if let t = kneeHealth.recordSuccess(at: time) { changes.append(HealthChange(device: .knee, chip: knee.chip, transition: t)) }
            return flexion
        } catch {
            failedReads += 1
            if let t = kneeHealth.recordFailure(at: time) {
                changes.append(HealthChange(device: .knee, chip: knee.chip, transition: t, error: error))
            }
            return nil
        }
    }
}
