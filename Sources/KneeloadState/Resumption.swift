import KneeloadEngine

/// What a daemon restarted within `DaemonState.sessionResumeWindowS` of its checkpoint goes on with.
public struct Resumption: Sendable {
    /// The accounting, exactly as saved, on the saved engine clock.
    public var accumulator: LoadAccumulator
    /// Where that clock is now: the new run's first engine time.
    public var engineTime: Double
    /// The engine's learned sensor placement, when saved and usable.
    public var calibration: EngineCalibration?
    /// The alert policy's state, when saved and usable.
    public var alerts: AlertPolicy.Snapshot?
    /// Saved parts not taken up, each with the reason.
    public var dropped: [String]

    public init(
        accumulator: LoadAccumulator, engineTime: Double, calibration: EngineCalibration? = nil,
        alerts: AlertPolicy.Snapshot? = nil, dropped: [String] = []
    ) {
        self.accumulator = accumulator
        self.engineTime = engineTime
        self.calibration = calibration
        self.alerts = alerts
        self.dropped = dropped
    }
}
