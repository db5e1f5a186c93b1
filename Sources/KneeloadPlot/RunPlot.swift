import KneeloadEngine
import KneeloadReplay

/// Everything the plot of one replayed run shows, independent of how it is drawn.
public struct RunPlot: Sendable {
    /// The input file's name, for the title.
    public var file: String
    public var durationS: Double
    public var steps: Int
    public var stairDescentSteps: Int
    public var stairDescentFlights: Int
    public var cumulativeLoadBWs: Double
    public var peakBW: Double
    public var trace: RunTrace
    /// Foot contacts (engine time, seconds), stair-descent steps included.
    public var stepTimes: [Double]
    /// Foot contacts of steps taken going down stairs.
    public var stairDescentTimes: [Double]
    /// Alerts and warnings in time order.
    public var alerts: [AlertEvent]
    /// `limits.session_load_bw_s` (CONTRACTS §4), drawn on the session load panel.
    public var sessionLoadLimitBWs: Double
    /// `limits.load_rate_bw_s_per_min`, drawn on the last-minute load panel.
    public var loadRateLimitBWs: Double

    public init(
        file: String, durationS: Double, steps: Int, stairDescentSteps: Int, stairDescentFlights: Int,
        cumulativeLoadBWs: Double, peakBW: Double, trace: RunTrace, stepTimes: [Double], stairDescentTimes: [Double],
        alerts: [AlertEvent], sessionLoadLimitBWs: Double, loadRateLimitBWs: Double
    ) {
        self.file = file
        self.durationS = durationS
        self.steps = steps
        self.stairDescentSteps = stairDescentSteps
        self.stairDescentFlights = stairDescentFlights
        self.cumulativeLoadBWs = cumulativeLoadBWs
        self.peakBW = peakBW
        self.trace = trace
        self.stepTimes = stepTimes
        self.stairDescentTimes = stairDescentTimes
        self.alerts = alerts
        self.sessionLoadLimitBWs = sessionLoadLimitBWs
        self.loadRateLimitBWs = loadRateLimitBWs
    }

    /// The plot of a finished replay: its summary and events, and the trace gathered while it ran.
    public init(summary: ReplaySession.Summary, events: [EngineEvent], trace: RunTrace, limits: AlertLimits) {
        var steps: [Double] = []
        var descents: [Double] = []
        var alerts: [AlertEvent] = []
        for event in events {
            switch event {
            case .step(let step): steps.append(step.time)
            case .stairDescentStep(let step): descents.append(step.time)
            case .alert(let alert): alerts.append(alert)
            }
        }
        let totals = summary.totals
        self.init(
            file: summary.file, durationS: totals.durationS, steps: totals.steps,
            stairDescentSteps: totals.stairDescentSteps, stairDescentFlights: totals.stairDescentFlights,
            cumulativeLoadBWs: totals.cumulativeLoadBWs, peakBW: totals.peakBW, trace: trace, stepTimes: steps,
            stairDescentTimes: descents, alerts: alerts, sessionLoadLimitBWs: limits.sessionLoadBWs,
            loadRateLimitBWs: limits.loadRateBWsPerMin)
    }
}
