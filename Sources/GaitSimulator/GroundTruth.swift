import Foundation

/// What really happened in a simulated session, for scoring the engine. JSON keys are snake_case:
/// `{"scenario", "seed", "duration_s", "steps": [{"t_s", "toe_off_s", "activity", "stair_descent"}],
/// "counts": {"steps", "stair_descent_steps", "stair_descent_flights"}, "segments": [{"activity",
/// "start_s", "end_s"}]}`.
public struct GroundTruth: Codable, Sendable, Hashable {
    /// One foot contact of the instrumented leg.
    public struct Step: Codable, Sendable, Hashable {
        public var tS: Double
        /// When that foot next leaves the ground (for a final stop, when it next lifts, or the end).
        public var toeOffS: Double
        public var activity: Activity
        public var stairDescent: Bool

        public init(tS: Double, toeOffS: Double, activity: Activity, stairDescent: Bool) {
            self.tS = tS
            self.toeOffS = toeOffS
            self.activity = activity
            self.stairDescent = stairDescent
        }

        enum CodingKeys: String, CodingKey {
            case tS = "t_s"
            case toeOffS = "toe_off_s"
            case activity
            case stairDescent = "stair_descent"
        }
    }

    public struct Counts: Codable, Sendable, Hashable {
        public var steps: Int
        public var stairDescentSteps: Int
        /// Runs of stair-descent steps with no gap over 4 s between neighbours (CONTRACTS §1).
        public var stairDescentFlights: Int

        enum CodingKeys: String, CodingKey {
            case steps
            case stairDescentSteps = "stair_descent_steps"
            case stairDescentFlights = "stair_descent_flights"
        }
    }

    public struct Segment: Codable, Sendable, Hashable {
        public var activity: Activity
        public var startS: Double
        public var endS: Double

        enum CodingKeys: String, CodingKey {
            case activity
            case startS = "start_s"
            case endS = "end_s"
        }
    }

    public var scenario: String
    public var seed: UInt64
    public var durationS: Double
    public var steps: [Step]
    public var counts: Counts
    public var segments: [Segment]

    enum CodingKeys: String, CodingKey {
        case scenario, seed
        case durationS = "duration_s"
        case steps, counts, segments
    }

    /// The longest gap between neighbouring descent steps that still counts as one flight.
    public static let flightGapS = 4.0

    /// Counts derived from a list of steps.
    public static func counts(of steps: [Step]) -> Counts {
        let descents = steps.filter(\.stairDescent).map(\.tS).sorted()
        var flights = 0
        var last: Double? = nil
        for t in descents {
            if let last, t - last <= flightGapS {
                // same flight
            } else {
                flights += 1
            }
            last = t
        }
        return Counts(steps: steps.count, stairDescentSteps: descents.count, stairDescentFlights: flights)
    }

    /// Pretty-printed JSON with sorted keys (stable for diffs).
    public func jsonString() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(self), let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }
}
