import Testing

@testable import KneeloadEngine

/// `AlertPolicy.evaluate` skips its full check while the inputs stay within `AlertQuietBounds`. That shortcut
/// must never change an outcome: a long-lived policy (which takes it) is compared, operation by operation, with
/// a policy restored from its snapshot just before (which has no bounds yet, so it takes the full path).
@Suite struct AlertQuietBoundsTests {
    @Test(arguments: [AlertLimits.RearmMode.acknowledge, .cooldown], [0.0, 0.8])
    func theShortcutNeverChangesAnOutcome(rearm: AlertLimits.RearmMode, warningFraction: Double) throws {
        var limits = AlertLimits()
        limits.sessionLoadBWs = 100
        limits.loadRateBWsPerMin = 20
        limits.sessionStairDescentSteps = 12
        limits.warningFraction = warningFraction
        limits.rearm = rearm
        limits.cooldownS = 30
        var policy = try AlertPolicy(limits: limits)
        var random = SplitMix(seed: 11)
        var t = 0.0
        var session = 0.0
        var rate = 0.0
        var stairs = 0
        var largest: Double? = nil
        var sessionStart: Double? = 0
        var shortcuts = 0
        var fired = 0
        for operation in 0..<40_000 {
            // Values wander up and down across the thresholds, in small steps (most evaluations are quiet).
            t += 0.05 + random.unit()
            session = max(0, session + (random.unit() - 0.3) * 4)
            rate = max(0, rate + (random.unit() - 0.5) * 3)
            if random.unit() < 0.05 { stairs = max(0, stairs + Int(random.next() % 5) - 2) }
            let roll = random.unit()
            if roll < 0.002 {
                // A new session, sometimes with a longest-session look-back.
                sessionStart = t
                session = 0
                stairs = 0
                largest = random.unit() < 0.5 ? nil : 20 + random.unit() * 100
            }
            var inputs = AlertInputs(
                sessionLoadBWs: session, loadLastMinuteBWs: rate, sessionStairDescentSteps: stairs,
                largestRecentSessionLoadBWs: largest, sessionStartT: sessionStart)
            var at = t
            // Now and then an input `evaluate` must refuse, shortcut or not.
            if roll > 0.998 { inputs.loadLastMinuteBWs = .nan }
            if roll > 0.996 && roll <= 0.998 { inputs.sessionLoadBWs = .infinity }
            if roll > 0.994 && roll <= 0.996 { at = t - 10 }
            if roll > 0.992 && roll <= 0.994 { inputs.sessionLoadBWs = -1 }

            var reference = try AlertPolicy(restoring: policy.snapshot)
            let shortcut = policy.quietBoundsHold(at: at, inputs)
            if shortcut { shortcuts += 1 }
            let got = Result { () throws(AlertPolicyError) in try policy.evaluate(at: at, inputs) }
            let want = Result { () throws(AlertPolicyError) in try reference.evaluate(at: at, inputs) }
            try #require(describe(got) == describe(want), "operation \(operation) at t \(at) with \(inputs)")
            try #require(policy.snapshot == reference.snapshot, "operation \(operation) at t \(at)")
            if case .success(let events) = got { fired += events.count }

            if random.unit() < 0.01 { _ = try policy.acknowledge(at: t) }
            if random.unit() < 0.002 { _ = try policy.raise(.sensorFault, at: t) }
        }
        // The comparison means something only if both paths ran often and alerts fired.
        #expect(shortcuts > 10_000)
        #expect(shortcuts < 39_000)
        #expect(fired > 20)
    }

    private func describe(_ result: Result<[AlertEvent], AlertPolicyError>) -> String {
        switch result {
        case .success(let events): "\(events)"
        case .failure(let error): "error: \(error)"
        }
    }
}
