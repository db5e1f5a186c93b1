/// The inputs for which `AlertPolicy.evaluate` provably changes nothing but `latestT`, taken from the policy's
/// state after an evaluation: every armed level's value at or below its threshold (nothing fires), every
/// acknowledged level's value above its re-arm bound and every cooldown still running (nothing re-arms), the
/// same session and the same longest-session look-back.
///
/// `LoadMonitor` evaluates once per sample while load comes in; with these bounds such an evaluation is a handful
/// of comparisons. Any other change of the policy's state (a firing, an acknowledgement, a raised fault, new
/// limits, a new session) drops them, and the next evaluation takes the full path and computes them again.
struct AlertQuietBounds: Sendable {
    /// One input's quiet range: above `lowExclusive` (re-arm bounds), at most `high` (thresholds).
    struct Range: Sendable {
        var lowExclusive = -Double.infinity
        /// Finite, so an infinite input (which `evaluate` refuses) never passes for quiet.
        var high = Double.greatestFiniteMagnitude

        func contains(_ value: Double) -> Bool {
            // `value >= 0` as `evaluate` requires; NaN fails every comparison.
            value >= 0 && value > lowExclusive && value <= high
        }
    }

    var sessionLoad = Range()
    var loadRate = Range()
    var stairDescents = Range()
    var largestRecentSessionLoadBWs: Double?
    var sessionStartT: Double?
    /// The earliest time a cooldown ends (a level re-arms at `t >= firedT + cooldownS`).
    var until = Double.infinity

    /// Bounds for `policy` as `evaluate` left it with `inputs`.
    init(_ policy: AlertPolicy, inputs: AlertInputs) {
        largestRecentSessionLoadBWs = inputs.largestRecentSessionLoadBWs
        sessionStartT = inputs.sessionStartT
        let limits = policy.limits
        Self.narrow(&sessionLoad, until: &until, policy, .cumulativeLoad, limit: limits.sessionLoadBWs)
        Self.narrow(&loadRate, until: &until, policy, .loadRate, limit: limits.loadRateBWsPerMin)
        Self.narrow(&stairDescents, until: &until, policy, .stairDescents, limit: Double(limits.sessionStairDescentSteps))
        if let largest = inputs.largestRecentSessionLoadBWs, largest > 0 {
            Self.narrow(&sessionLoad, until: &until, policy, .sessionProgression, limit: limits.progressionFactor * largest)
        }
    }

    /// Whether `evaluate(at: t, inputs)` would fire nothing and change no level, `latestT` being the policy's
    /// latest time. Invalid inputs never pass: they take the full path, which names them.
    @inline(__always)
    func hold(at t: Double, latestT: Double, _ inputs: AlertInputs) -> Bool {
        t >= latestT && t < until && sessionLoad.contains(inputs.sessionLoadBWs)
            && loadRate.contains(inputs.loadLastMinuteBWs)
            && stairDescents.contains(Double(inputs.sessionStairDescentSteps))
            && inputs.sessionStartT == sessionStartT
            && inputs.largestRecentSessionLoadBWs == largestRecentSessionLoadBWs
    }

    /// Narrows `range` by both levels of `kind` (thresholds as `AlertPolicy` computes them).
    private static func narrow(
        _ range: inout Range, until: inout Double, _ policy: AlertPolicy, _ kind: AlertKind, limit: Double
    ) {
        let limits = policy.limits
        let state = policy.kindStates[AlertPolicy.index(of: kind)]
        narrow(&range, until: &until, state.alert, threshold: limit, limits: limits)
        if kind.hasWarning && limits.warningFraction > 0 {
            narrow(&range, until: &until, state.warning, threshold: limits.warningFraction * limit, limits: limits)
        }
    }

    private static func narrow(
        _ range: inout Range, until: inout Double, _ level: AlertPolicy.LevelState, threshold: Double,
        limits: AlertLimits
    ) {
        switch level.phase {
        case .armed:
            // Fires when the value passes the threshold (a warning only up to the limit: quiet is narrower).
            range.high = min(range.high, threshold)
        case .fired, .acknowledged:
            switch limits.rearm {
            case .acknowledge:
                // Only an acknowledged level re-arms, once the value is at or below this bound.
                if level.phase == .acknowledged {
                    range.lowExclusive = max(range.lowExclusive, limits.rearmFraction * threshold)
                }
            case .cooldown:
                if let fired = level.lastFiredT { until = min(until, fired + limits.cooldownS) }
            }
        }
    }
}
