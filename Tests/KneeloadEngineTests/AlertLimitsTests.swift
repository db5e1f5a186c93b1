import Testing

@testable import KneeloadEngine

/// `AlertLimits.validate()` names the key, the value and what is allowed (CONTRACTS §4, exit 78 on bad config).
@Suite struct AlertLimitsTests {
    @Test func everyBadValueIsReportedPrecisely() {
        var limits = AlertLimits()
        limits.sessionLoadBWs = -5
        limits.loadRateBWsPerMin = .nan
        limits.sessionStairDescentSteps = 0
        limits.warningFraction = 1
        limits.cooldownS = .infinity
        limits.rearmFraction = 0
        limits.progressionFactor = 0.9
        let problems = limits.validate()
        #expect(problems.map(\.key) == [
            .sessionLoadBWs, .loadRateBWsPerMin, .sessionStairDescentSteps, .warningFraction, .cooldownS,
            .rearmFraction, .progressionFactor,
        ])
        #expect(problems.map(\.description) == [
            "limits.session_load_bw_s: -5.0 is out of range; allowed: a number in (0, 10000000]",
            "limits.load_rate_bw_s_per_min: nan is out of range; allowed: a number in (0, 10000000]",
            "limits.session_stair_descent_steps: 0 is out of range; allowed: a whole number in 1...1000000",
            "limits.warning_fraction: 1.0 is out of range; allowed: 0 (no warnings) or a number in (0, 1)",
            "limits.cooldown_s: inf is out of range; allowed: a number of seconds in (0, 604800]",
            "limits.rearm_fraction: 0.0 is out of range; allowed: a number in (0, 1]",
            "limits.progression_factor: 0.9 is out of range; allowed: a number in [1, 10]",
        ])
        #expect(throws: AlertPolicyError.invalidLimits(problems)) { try AlertPolicy(limits: limits) }
    }

    @Test func boundaryValuesAreAccepted() {
        var limits = AlertLimits()
        limits.warningFraction = 0
        limits.rearmFraction = 1
        limits.progressionFactor = 1
        limits.sessionStairDescentSteps = 1
        limits.cooldownS = 604_800
        limits.rearm = .cooldown
        #expect(limits.validate().isEmpty)
    }

    @Test func keysAndModesMatchTheConfigurationNames() {
        #expect(AlertLimits.Key.allCases.map(\.rawValue) == [
            "session_load_bw_s", "load_rate_bw_s_per_min", "session_stair_descent_steps", "warning_fraction",
            "rearm", "cooldown_s", "rearm_fraction", "progression_factor",
        ])
        #expect(AlertLimits.RearmMode(rawValue: "cooldown") == .cooldown)
        #expect(AlertLimits.RearmMode(rawValue: "acknowledge") == .acknowledge)
        #expect(AlertLimits.RearmMode(rawValue: "never") == nil)
    }
}
