import KneeloadEngine

/// Everything `kneeloadd` keeps across restarts, as one checkpoint: the load accounting (lifetime load, the
/// daily history behind the 7/28-day loads, the session in progress, the rolling windows) and the lifetime
/// counters. All values are absolute totals at the checkpoint, never increments, so restoring one can never
/// count anything twice.
///
/// With them, what the engine had learned about the sensors' placement and the alert policy's state: both
/// are taken up only when a restart resumes the open session (`resumedAccumulator`); a new session learns the
/// placement again (a strap taken off and put back sits differently) and starts its alerts armed. Files
/// written before these two were added load without them; a damaged one of them is dropped, named in
/// `unreadableParts`, rather than setting the whole history aside.
public struct DaemonState: Codable, Sendable, Equatable {
    /// Raised whenever the layout changes incompatibly; a file with another version is set aside.
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    /// Wall-clock time of the checkpoint (Unix epoch seconds, UTC).
    public var savedAtEpochSeconds: Double
    /// The `LoadMonitor`'s accumulator as it was at the checkpoint, on that run's engine clock. Continue it on a
    /// new clock with `LoadAccumulator(continuing:localTime:)`.
    public var accumulator: LoadAccumulator.Snapshot
    public var lifetime: LifetimeCounters
    /// The engine's learned sensor placement at the checkpoint.
    public var calibration: EngineCalibration?
    /// The alert policy at the checkpoint, on the same engine clock as `accumulator`.
    public var alerts: AlertPolicy.Snapshot?
    /// Optional parts of the file that could not be read and were dropped (not saved).
    public var unreadableParts: [String] = []

    public init(
        savedAtEpochSeconds: Double, accumulator: LoadAccumulator.Snapshot, lifetime: LifetimeCounters,
        calibration: EngineCalibration? = nil, alerts: AlertPolicy.Snapshot? = nil,
        formatVersion: Int = currentFormatVersion
    ) {
        self.formatVersion = formatVersion
        self.savedAtEpochSeconds = savedAtEpochSeconds
        self.accumulator = accumulator
        self.lifetime = lifetime
        self.calibration = calibration
        self.alerts = alerts
    }

    private enum CodingKeys: String, CodingKey {
        case formatVersion, savedAtEpochSeconds, accumulator, lifetime, calibration, alerts
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try container.decode(Int.self, forKey: .formatVersion)
        savedAtEpochSeconds = try container.decode(Double.self, forKey: .savedAtEpochSeconds)
        accumulator = try container.decode(LoadAccumulator.Snapshot.self, forKey: .accumulator)
        lifetime = try container.decode(LifetimeCounters.self, forKey: .lifetime)
        do {
            calibration = try container.decodeIfPresent(EngineCalibration.self, forKey: .calibration)
        } catch {
            unreadableParts.append("calibration (\(Self.describe(error)))")
        }
        do {
            alerts = try container.decodeIfPresent(AlertPolicy.Snapshot.self, forKey: .alerts)
        } catch {
            unreadableParts.append("alerts (\(Self.describe(error)))")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(formatVersion, forKey: .formatVersion)
        try container.encode(savedAtEpochSeconds, forKey: .savedAtEpochSeconds)
        try container.encode(accumulator, forKey: .accumulator)
        try container.encode(lifetime, forKey: .lifetime)
        try container.encodeIfPresent(calibration, forKey: .calibration)
        try container.encodeIfPresent(alerts, forKey: .alerts)
    }

    /// A decoding error as the key path and what was wrong there.
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        let context: DecodingError.Context
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c): context = c
        @unknown default: return "\(error)"
        }
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return "\(path.isEmpty ? "" : "at \(path): ")\(context.debugDescription)"
    }

    /// The checkpoint of a running daemon: its monitor's accumulator and `lifetimeBefore` (the counters loaded at
    /// start) plus this run's engine totals. Absolute values throughout.
    public init(monitor: LoadMonitor, lifetimeBefore: LifetimeCounters, savedAtEpochSeconds: Double) {
        self.init(
            savedAtEpochSeconds: savedAtEpochSeconds, accumulator: monitor.accumulator.snapshot,
            lifetime: lifetimeBefore.adding(monitor.totals), calibration: monitor.engine.learnedCalibration,
            alerts: monitor.policy.snapshot)
    }

    /// Checks that the state can be restored: the version this code writes, a finite checkpoint time,
    /// consistent counters and an accumulator snapshot that `LoadAccumulator(restoring:)` accepts.
    public func validate() throws(StateFileProblem) {
        guard formatVersion == Self.currentFormatVersion else {
            throw .wrongVersion(found: formatVersion, expected: Self.currentFormatVersion)
        }
        guard savedAtEpochSeconds.isFinite, abs(savedAtEpochSeconds) <= LocalTime.epochSecondsLimit else {
            throw .invalidContent("savedAtEpochSeconds \(savedAtEpochSeconds) is not a plausible wall-clock time")
        }
        if let problem = lifetime.problem { throw .invalidContent(problem) }
        do {
            _ = try LoadAccumulator(restoring: accumulator)
        } catch {
            throw .invalidContent(error.description)
        }
    }
}
