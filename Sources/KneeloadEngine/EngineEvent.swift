/// What the engine reports as it goes (CONTRACTS §3 event types). A step taken going down stairs is reported
/// twice, first as `.step` and then as `.stairDescentStep`, both carrying the same time and load.
/// Alerts come from `LoadMonitor` (the engine joined to `LoadAccumulator` and `AlertPolicy`), never from
/// `KneeLoadEngine` itself.
public enum EngineEvent: Sendable, Hashable {
    case step(StepLoad)
    case stairDescentStep(StepLoad)
    /// A limit passed: type `alert`, or `warning` for the early level.
    case alert(AlertEvent)

    public var time: Double {
        switch self {
        case .step(let s), .stairDescentStep(let s): s.time
        case .alert(let a): a.t
        }
    }

    /// The CONTRACTS `type` name.
    public var typeName: String {
        switch self {
        case .step: "step"
        case .stairDescentStep: "stair_descent_step"
        case .alert(let a): a.level == .alert ? "alert" : "warning"
        }
    }
}
