/// What kind of stride a step belongs to, as far as the load model is concerned.
public enum GaitMode: String, Sendable, Hashable, CaseIterable {
    /// No flight phase, knee loaded near straight: level walking (also ramps and anything unclassified).
    case walking
    /// A flight phase: running, including downhill running.
    case running
    /// Knee fairly straight at contact, then a large flexion under load: stepping down stairs.
    case stairDescent = "stair_descent"
    /// Knee well flexed at contact and extending under load: stepping up stairs.
    case stairAscent = "stair_ascent"
}
