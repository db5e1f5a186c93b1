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

    /// One sample at `time` (monotonic) stamped `engineTime`, or nil when a device failed or is waiting to be
    /// re-initialised. `changes` says what changed.
    public func sample(at time: Duration, engineTime: Double) -> SensorSample? {
        changes.removeAll(keepingCapacity: true)
        let reading = readIMU(at: time)
        let flexion = readKnee(at: time)
        if let t = imuHealth.checkTimeout(at: time) { changes.append(HealthChange(device: .imu, chip: imu.chip, transition: t)) }
        if let t = kneeHealth.checkTimeout(at: time) {
            changes.append(HealthChange(device: .knee, chip: knee.chip, transition: t))
        }
        guard let reading, let flexion else { return nil }
        return SensorSample(
            time: engineTime,
            accel: settings.axisRemap.apply(reading.accel),
            gyro: settings.useGyro ? reading.gyro.map(settings.axisRemap.apply) : nil,
            kneeFlexDeg: flexion)
    }

    private func readIMU(at time: Duration) -> IMUReading? {
        do {
            guard imuHealth.mayAttempt(at: time) else { return nil }
            if !imuReady || imuHealth.needsReinitialisation {
                imuReady = false
                _ = try imu.probe()
                appliedIMUSettings = try imu.configure(settings.imuSettings)
                imuReady = true
                imuHealth.recordReinitialised()
                // The first conversion after configuring is not there yet: read from the next sample on.
                return nil
            }
            let reading = try imu.read()
            if let t = imuHealth.recordSuccess(at: time) { changes.append(HealthChange(device: .imu, chip: imu.chip, transition: t)) }
            return reading
        } catch {
            failedReads += 1
            if let t = imuHealth.recordFailure(at: time) {
                changes.append(HealthChange(device: .imu, chip: imu.chip, transition: t, error: error))
            }
            return nil
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
