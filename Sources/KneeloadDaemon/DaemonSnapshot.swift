import KneeloadEngine
import KneeloadRecording

/// What the daemon is doing, as the sampling loop last published it (the status socket's answer is made
/// from this).
public struct DaemonSnapshot: Sendable, Equatable {
    public struct Sensor: Sendable, Equatable {
        public var name: String
        public var chip: String
        public var state: String
        public var failures: Int
    }

    public var mode = "hardware"
    public var uptimeS = 0.0
    public var samples = 0
    public var droppedSamples = 0
    public var lateSamples = 0
    public var failedReads = 0
    public var sampleRateHz = 0.0
    public var sessionLoadBWs = 0.0
    public var sessionSteps = 0
    public var sessionStairDescentSteps = 0
    public var dayLoadBWs = 0.0
    public var daySteps = 0
    public var dayStairDescentSteps = 0
    public var loadLastMinuteBWs = 0.0
    public var lifetimeLoadBWs = 0.0
    public var alertsActive: [AlertEvent] = []
    public var sensors: [Sensor] = []
    public var lastCheckpointUptimeS: Double?
    /// Wall-clock time of the engine time the last checkpoint holds.
    public var lastCheckpointUnixS: Double?
    /// 7- and 28-day exponentially weighted daily loads (BW·s) and how many days they rest on.
    public var acuteLoadBWs = 0.0
    public var chronicLoadBWs = 0.0
    public var daysOfHistory = 0
    /// nil when the daemon does not record.
    public var recording: RecordingState?

    public init() {}
}
