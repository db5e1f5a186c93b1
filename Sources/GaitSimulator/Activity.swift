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
}
