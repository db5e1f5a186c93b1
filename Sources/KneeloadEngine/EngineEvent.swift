/// What the engine reports as it goes (CONTRACTS §3 event types). A step taken going down stairs is reported
/// twice, first as `.step` and then as `.stairDescentStep`, both carrying the same time and load.
/// Alerts are a separate concern (LoadAccumulator/AlertPolicy) and are added as a case when wired in.
public enum EngineEvent: Sendable, Hashable {
    case step(StepLoad)
    case stairDescentStep(StepLoad)

    public var time: Double {
        switch self {
        case .step(let s), .stairDescentStep(let s): s.time
        }
    }

    /// The CONTRACTS `type` name.
    public var typeName: String {
        switch self {
        case .step: "step"
        case .stairDescentStep: "stair_descent_step"
        }
    }
}
