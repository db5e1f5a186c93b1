import KneeloadEngine

/// What the running daemon reports over its status socket (`kneeload status`, CONTRACTS §5). The CONTRACTS
/// fields come first and keep their names; the rest are this project's additions. Keys are snake_case both in
/// `Codable` (for decoding replies) and in the deterministic writer of `DaemonStatus+JSON.swift`.
public struct DaemonStatus: Codable, Sendable, Equatable {
    /// Where the samples come from.
    public enum Mode: String, Codable, Sendable, CaseIterable {
        case hardware, simulated, replay
    }

    /// Load and counts of a session or a day, in CONTRACTS §1 units.
    public struct Totals: Codable, Sendable, Equatable {
        /// Knee load, BW·s.
        public var loadBWs: Double
        public var steps: Int
        public var stairDescentSteps: Int

        public init(loadBWs: Double = 0, steps: Int = 0, stairDescentSteps: Int = 0) {
            self.loadBWs = loadBWs
            self.steps = steps
            self.stairDescentSteps = stairDescentSteps
        }

        enum CodingKeys: String, CodingKey {
            case loadBWs = "load_bw_s"
            case steps
            case stairDescentSteps = "stair_descent_steps"
        }
    }

    /// The 7-day (acute) and 28-day (chronic) exponentially weighted daily loads (`AcuteChronicLoad`).
    public struct TrainingLoad: Codable, Sendable, Equatable {
        /// BW·s per day.
        public var acuteBWs: Double
        /// BW·s per day.
        public var chronicBWs: Double
        /// Completed days behind the figures; few days make the ratio unreliable.
        public var daysOfHistory: Int

        public init(acuteBWs: Double, chronicBWs: Double, daysOfHistory: Int) {
            self.acuteBWs = acuteBWs
            self.chronicBWs = chronicBWs
            self.daysOfHistory = daysOfHistory
        }

        enum CodingKeys: String, CodingKey {
            case acuteBWs = "acute_7d_bw_s"
            case chronicBWs = "chronic_28d_bw_s"
            case daysOfHistory = "days_of_history"
        }
    }

    /// Whether samples are being written to disk, and if not, why.
    public struct Recording: Codable, Sendable, Equatable {
        public var active: Bool
        /// Why recording is off (for example "disabled in configuration" or "disk full"); nil while active.
        public var reason: String?

        public init(active: Bool, reason: String? = nil) {
            self.active = active
            self.reason = reason
        }
    }

    // CONTRACTS §5.
    /// Seconds since the daemon started.
    public var uptimeS: Double
    /// Samples accepted by the engine.
    public var samples: Int
    /// CONTRACTS §2 dropped samples (gaps in the sample timeline).
    public var droppedSamples: Int
    public var session: Totals
    /// Kinds of the alerts raised and not yet acknowledged, oldest first (`AlertPolicy.activeKinds`).
    public var alertsActive: [AlertKind]
    public var sensors: [SensorStatus]

    // Additions.
    /// The daemon's version.
    public var version: String
    public var mode: Mode
    /// Measured sample rate, Hz.
    public var sampleRateHz: Double
    /// Samples read later than their slot (the sampling loop fell behind) but still used.
    public var lateSamples: Int
    /// The current local day.
    public var day: Totals
    /// Knee load over the last minute, BW·s (the `load_rate` alert's value).
    public var loadLastMinuteBWs: Double
    /// Nil until the daemon has load history.
    public var trainingLoad: TrainingLoad?
    public var recording: Recording
    /// Wall-clock time of the last state checkpoint written to the state directory, seconds since 1970 UTC;
    /// nil before the first.
    public var stateCheckpointUnixS: Double?

    public init(
        uptimeS: Double, samples: Int, droppedSamples: Int, session: Totals, alertsActive: [AlertKind],
        sensors: [SensorStatus], version: String, mode: Mode, sampleRateHz: Double, lateSamples: Int = 0,
        day: Totals = Totals(), loadLastMinuteBWs: Double = 0, trainingLoad: TrainingLoad? = nil,
        recording: Recording = Recording(active: false, reason: "not configured"), stateCheckpointUnixS: Double? = nil
    ) {
        self.uptimeS = uptimeS
        self.samples = samples
        self.droppedSamples = droppedSamples
        self.session = session
        self.alertsActive = alertsActive
        self.sensors = sensors
        self.version = version
        self.mode = mode
        self.sampleRateHz = sampleRateHz
        self.lateSamples = lateSamples
        self.day = day
        self.loadLastMinuteBWs = loadLastMinuteBWs
        self.trainingLoad = trainingLoad
        self.recording = recording
        self.stateCheckpointUnixS = stateCheckpointUnixS
    }

    enum CodingKeys: String, CodingKey {
        case uptimeS = "uptime_s"
        case samples
        case droppedSamples = "dropped_samples"
        case session
        case alertsActive = "alerts_active"
        case sensors
        case version, mode
        case sampleRateHz = "sample_rate_hz"
        case lateSamples = "late_samples"
        case day
        case loadLastMinuteBWs = "load_last_minute_bw_s"
        case trainingLoad = "training_load"
        case recording
        case stateCheckpointUnixS = "state_checkpoint_unix_s"
    }
}
