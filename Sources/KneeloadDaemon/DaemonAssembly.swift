import Foundation
import AlertOutputs
import KneeloadConfiguration
import KneeloadEngine
import KneeloadRecording
import Logging
import SensorBus
import SensorDrivers

/// Builds the daemon's sampling loop from the configuration, on the board or in simulation: bus, drivers,
/// GPIO lines, the monitor (continuing the saved state when there is one) and the clock.
public struct DaemonAssembly: Sendable {
    public enum Mode: Sendable {
        case hardware
        case simulated(SimulatedEnvironment)

        public var name: String {
            switch self {
            case .hardware: "hardware"
            case .simulated(let environment): environment.rig == nil ? "replay" : "simulated"
            }
        }
    }

    public var configuration: Configuration
    public var mode: Mode
    /// The saved history carried over to this run's engine clock, if there is one; else a fresh start on
    /// `localTime`.
    public var restored: LoadAccumulator?
    public var localTime: LocalTime
    /// Engine time at the loop's start: where a resumed session's clock had got to, else 0.
    public var engineTimeOffset = 0.0
    /// A resumed session's learned sensor placement and alert state (`Resumption`), else nil.
    public var resumedCalibration: EngineCalibration?
    public var resumedAlerts: AlertPolicy.Snapshot?
    /// Where recordings go: a directory of rotating files (the daemon), one file (`kneeload record`), or nil.
    public var recordingTarget: RecordingTarget?

    public enum RecordingTarget: Sendable {
        case directory(String)
        case file(String)
        /// Storage of the caller's (tests that fill the disk), with the daemon's rotation policy.
        case storage(any RecordingStorage & Sendable)
    }

    public init(
        configuration: Configuration, mode: Mode, restored: LoadAccumulator?, localTime: LocalTime,
        recordingTarget: RecordingTarget? = nil
    ) {
        self.recordingTarget = recordingTarget
        self.mode = mode
        if case .simulated(let environment) = mode {
            self.configuration = environment.configuration
        } else {
            self.configuration = configuration
        }
        self.restored = restored
        self.localTime = localTime
    }

    public enum Failure: Error, CustomStringConvertible {
        case bus(I2CError)
        case sensors(ScanError)
        case engine(String)

        public var description: String {
            switch self {
            case .bus(let error): "cannot open the I2C bus: \(error)"
            case .sensors(let error): "\(error)"
            case .engine(let problem): problem
            }
        }

        /// Worth trying again in a while (sensors not plugged in yet, bus not there yet).
        public var isTransient: Bool {
            switch self {
            case .bus, .sensors: true
            case .engine: false
            }
        }
    }

    /// A writer for `recordingTarget` (a directory is created if missing), or nil when there is none or the
    /// directory cannot be made.
    private func makeRecorder(drivers: RigBuilder.Drivers, logger: Logger) -> RecordingWriter? {
        let storage: any RecordingStorage
        var policy = RecordingPolicy()
        switch recordingTarget {
        case nil:
            return nil
        case .file(let path):
            storage = RecordingFile(path: path)
            policy = .singleFile
        case .storage(let given):
            storage = given
        case .directory(let directory):
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                logger.error("recording: cannot create \(directory): \(error); not recording")
                return nil
            }
            let d = configuration.daemon
            var recordings = RecordingDirectory(
                path: directory,
                retention: RecordingRetention(
                    maxTotalBytes: Int64(d.recordingMaxMB * 1_048_576), minFreeBytes: Int64(d.recordingMinFreeMB * 1_048_576)))
            // Room for the next file: its rotation size, or a quarter of a small budget.
            recordings.nextFileBytes = min(Int64(policy.maxFileBytes), Int64(d.recordingMaxMB * 1_048_576) / 4)
            recordings.onPrune = { deleted, errors in
                for (name, bytes) in deleted {
                    logger.notice("recording: deleted the oldest recording \(name) (\(bytes / 1_048_576) MiB) to stay within daemon.recording_max_mb / recording_min_free_mb")
                }
                for error in errors { logger.warning("recording: \(error)") }
            }
            storage = recordings
        }
        let s = configuration.sensors
        var source = "kneeloadd on \(s.i2cBus)"
        if case .simulated(let environment) = mode {
            source = "kneeloadd (simulated: \(environment.name))"
        }
        let context = RecordingContext(
            source: source, nominalRateHz: s.sampleRateHz, axisRemap: s.axisRemap.description,
            startUnixTimeS: localTime.epochSecondsAtStart, imuChip: drivers.imu.chip, kneeSensorChip: drivers.knee.chip,
            accelRangeG: s.accelRangeG, gyroRangeDps: s.useGyro ? s.gyroRangeDPS : nil,
            flexCalibration: drivers.knee.chip == "ADS1115"
                ? .init(straightVolts: s.flexCalibration.straightVolts, bentVolts: s.flexCalibration.bentVolts, bentDeg: s.flexCalibration.bentDeg)
                : nil,
            kneeZeroOffsetDeg: drivers.knee.chip == "AS5600" ? s.encoderZeroOffsetDeg : nil,
            configuration: configuration.sourceText)
        let start = localTime.epochSecondsAtStart
        let monotonicStart = MonotonicLoopClock().now
        return RecordingWriter(
            storage: storage, context: context, policy: policy,
            wallClock: { start + (MonotonicLoopClock().now - monotonicStart).seconds }, logger: logger)
    }

    /// The loop, ready to run. GPIO lines that cannot be opened are logged and the daemon runs without
    /// alert outputs rather than not at all.
    public func makeLoop(control: DaemonControl, hooks: DaemonHooks, logger: Logger) throws(Failure) -> DaemonLoop {
        let bus: any I2CBus
        let clock: any LoopClock
        let lines: any GPIOLineSource
        switch mode {
        case .hardware:
            do {
                bus = try LinuxI2CBus(path: configuration.sensors.i2cBus)
            } catch {
                throw .bus(error)
            }
            clock = MonotonicLoopClock()
            lines = LinuxGPIO(consumer: "kneeloadd")
        case .simulated(let environment):
            bus = environment.bus
            clock = environment.clock
            lines = environment.gpio
        }
        let drivers: RigBuilder.Drivers
        do {
            drivers = try RigBuilder.drivers(for: configuration.sensors, on: bus)
        } catch {
            throw .sensors(error)
        }
        let sampler = SensorSampler(
            drivers: drivers, settings: configuration.sensors, faultAfter: .seconds(configuration.daemon.sensorFaultAfterS))
        var alerts: AlertHardware?
        if configuration.gpio.enabled {
            do {
                alerts = try AlertHardware(settings: configuration.gpio, source: lines, at: clock.now)
            } catch {
                logger.error("GPIO: \(error); running without alert outputs")
            }
        }
        let monitor: LoadMonitor
        do {
            if let restored {
                monitor = try LoadMonitor(
                    configuration: configuration.engine, limits: configuration.limits, continuing: restored,
                    calibration: resumedCalibration, alerts: resumedAlerts)
            } else {
                monitor = try LoadMonitor(configuration: configuration.engine, limits: configuration.limits, localTime: localTime)
            }
        } catch {
            throw .engine("cannot start the load monitor: \(error)")
        }
        return DaemonLoop(
            configuration: configuration, monitor: monitor, sampler: sampler, alerts: alerts, clock: clock,
            control: control, hooks: hooks, mode: mode.name, logger: logger,
            recorder: makeRecorder(drivers: drivers, logger: logger), engineTimeOffset: engineTimeOffset)
    }
}
