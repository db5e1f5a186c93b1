/// What the engine needs to know about the wearer. Everything else it learns from the signals.
public struct EngineConfiguration: Sendable, Hashable {
    /// Standing height in metres; the shank length used by the load model is 0.246 × height
    /// (Winter's segment ratio, biomech.md §1.3).
    public var bodyHeightM: Double

    public static let defaultBodyHeightM = 1.75
    /// Heights the load model is meant for; outside this the segment ratios are not credible.
    public static let bodyHeightRangeM: ClosedRange<Double> = 1.0...2.5

    public init(bodyHeightM: Double = EngineConfiguration.defaultBodyHeightM) {
        self.bodyHeightM = bodyHeightM
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case bodyHeightOutOfRange(Double)

        public var description: String {
            switch self {
            case .bodyHeightOutOfRange(let value):
                "body height \(value) m is outside \(EngineConfiguration.bodyHeightRangeM.lowerBound)–"
                    + "\(EngineConfiguration.bodyHeightRangeM.upperBound) m"
            }
        }
    }

    /// Checks the values; the engine itself clamps rather than fails, so callers validate once here.
    public func validated() throws(Problem) -> EngineConfiguration {
        guard Self.bodyHeightRangeM.contains(bodyHeightM) else { throw .bodyHeightOutOfRange(bodyHeightM) }
        return self
    }

    /// Shank length (knee to ankle) in metres.
    public var shankLengthM: Double {
        0.246 * min(max(bodyHeightM, Self.bodyHeightRangeM.lowerBound), Self.bodyHeightRangeM.upperBound)
    }
}
