/// Thresholds and re-arm rules of `AlertPolicy`. Defaults are those of CONTRACTS §4; the longest-session factor is
/// Frandsen 2025's "more than 10 % longer" (biomech.md §2 "Progression rules"). The daemon's configuration layer
/// maps YAML keys onto these fields by `Key` and reports `validate()`'s problems.
public struct AlertLimits: Codable, Sendable, Equatable {
    /// Configuration keys, named as in the YAML file (under `limits:`).
    public enum Key: String, Codable, Sendable, CaseIterable {
        case sessionLoadBWs = "session_load_bw_s"
        case loadRateBWsPerMin = "load_rate_bw_s_per_min"
        case sessionStairDescentSteps = "session_stair_descent_steps"
        case warningFraction = "warning_fraction"
        case rearm = "rearm"
        case cooldownS = "cooldown_s"
        case rearmFraction = "rearm_fraction"
        case progressionFactor = "progression_factor"
    }

    /// When an alert of a kind that has fired may fire again (CONTRACTS §4: "after the runner acknowledges it or
    /// after its cooldown, whichever the configuration chooses").
    public enum RearmMode: String, Codable, Sendable, CaseIterable {
        /// Again only after an acknowledgement, and then only on a new crossing: the value must first fall to
        /// `rearm_fraction` × the threshold or below, then pass the threshold.
        case acknowledge
        /// Again once `cooldown_s` has passed since it fired, if the value is still (or again) past the threshold.
        case cooldown
    }

    /// CONTRACTS §4 `session_load_bw_s`: cumulative knee load in one session, BW·s.
    public var sessionLoadBWs: Double = 5000
    /// CONTRACTS §4 `load_rate_bw_s_per_min`: knee load over the last minute, BW·s.
    public var loadRateBWsPerMin: Double = 600
    /// CONTRACTS §4 `session_stair_descent_steps`: stair descent steps in one session.
    public var sessionStairDescentSteps: Int = 60
    /// A warning fires when a value passes this fraction of its limit; 0 turns warnings off.
    public var warningFraction: Double = 0.8
    public var rearm: RearmMode = .acknowledge
    /// Seconds after firing before a kind may fire again, in `cooldown` mode.
    public var cooldownS: Double = 600
    /// Hysteresis for the `acknowledge` mode: after an acknowledgement a value must fall to this fraction of the
    /// threshold before it can fire again, so a load rate hovering at its limit does not chatter.
    public var rearmFraction: Double = 0.9
    /// The longest-session rule fires when the session load exceeds this × the largest session of the previous
    /// 30 days.
    public var progressionFactor: Double = 1.1

    public init() {}

    /// One out-of-range value.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var key: Key
        /// The value as given.
        public var value: String
        /// What is allowed, for example "a number in (0, 1000000]".
        public var allowed: String

        public var description: String {
            "limits.\(key.rawValue): \(value) is out of range; allowed: \(allowed)"
        }
    }

    /// Upper bounds: generous, but they keep every threshold finite and far from overflow.
    static let maximumLoadBWs = 1e7
    static let maximumSteps = 1_000_000
    static let maximumCooldownS = 7 * 86_400.0
    static let maximumProgressionFactor = 10.0

    /// Every out-of-range value, in `Key` order; empty when the limits are valid.
    public func validate() -> [Problem] {
        var problems: [Problem] = []
        func check(_ key: Key, _ value: Double, _ isAllowed: (Double) -> Bool, _ allowed: String) {
            if !(value.isFinite && isAllowed(value)) {
                problems.append(Problem(key: key, value: "\(value)", allowed: allowed))
            }
        }
        let maxLoad = Self.maximumLoadBWs
        check(.sessionLoadBWs, sessionLoadBWs, { $0 > 0 && $0 <= maxLoad }, "a number in (0, \(Int(maxLoad))]")
        check(.loadRateBWsPerMin, loadRateBWsPerMin, { $0 > 0 && $0 <= maxLoad }, "a number in (0, \(Int(maxLoad))]")
        if !(1...Self.maximumSteps).contains(sessionStairDescentSteps) {
            problems.append(
                Problem(
                    key: .sessionStairDescentSteps, value: "\(sessionStairDescentSteps)",
                    allowed: "a whole number in 1...\(Self.maximumSteps)"))
        }
        check(.warningFraction, warningFraction, { $0 >= 0 && $0 < 1 }, "0 (no warnings) or a number in (0, 1)")
        check(
            .cooldownS, cooldownS, { $0 > 0 && $0 <= Self.maximumCooldownS },
            "a number of seconds in (0, \(Int(Self.maximumCooldownS))]")
        check(.rearmFraction, rearmFraction, { $0 > 0 && $0 <= 1 }, "a number in (0, 1]")
        check(
            .progressionFactor, progressionFactor, { $0 >= 1 && $0 <= Self.maximumProgressionFactor },
            "a number in [1, \(Int(Self.maximumProgressionFactor))]")
        return problems
    }
}
