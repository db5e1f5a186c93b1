/// What the simulated runner is doing. Raw values are the names used in scenario files and truth JSON.
public enum Activity: String, Sendable, Hashable, CaseIterable, Codable {
    case stand
    case walk
    case run
    case stairDescent = "stair_descent"
    case stairAscent = "stair_ascent"
    case downhillRun = "downhill_run"
    case squat
    case sit
    /// Pedalling a bicycle (road or trainer): the foot stays on a pedal and never lands.
    case cycle

    /// Locomotion: the instrumented foot leaves the ground once per stride and lands again. Cycling is not
    /// gait: the foot goes round with the pedal and never lands.
    public var isGait: Bool {
        switch self {
        case .walk, .run, .stairDescent, .stairAscent, .downhillRun: true
        case .stand, .squat, .sit, .cycle: false
        }
    }

    /// Gaits with a flight phase (both feet off the ground twice per stride).
    public var hasFlightPhase: Bool { self == .run || self == .downhillRun }

    public var isStairs: Bool { self == .stairDescent || self == .stairAscent }
}
