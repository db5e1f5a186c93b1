import Testing

@testable import KneeloadEngine

/// `LoadAccumulator` feeding `AlertPolicy` per sample, as the daemon and the replay tool will.
@Suite struct LoadMonitoringTests {
    @Test func steadyLoadTripsTheLoadRateAtTheExpectedSample() throws {
        var accumulator = LoadAccumulator(localTime: try localTime())
        var policy = try AlertPolicy()
        try accumulator.startSession(at: 0)
        var events: [AlertEvent] = []
        // 12 BW held at 200 Hz: 0.06 BW·s per sample, 720 BW·s per minute. Nothing leaves the minute window
        // before 60 s, so the warning (> 480) fires at sample 8001 and the alert (> 600) at sample 10001.
        for sample in 1...24_000 {
            let t = Double(sample) / 200
            try accumulator.add(loadBWs: 0.06, at: t)
            events += try policy.evaluate(at: t, accumulator.alertInputs)
        }
        #expect(events.map(\.kind) == [.loadRate, .loadRate])
        #expect(events.map(\.level) == [.warning, .alert])
        #expect(events.map(\.t) == [8001.0 / 200, 10001.0 / 200])
        #expect(abs(events[1].value - 600.06) < 1e-9)
        #expect(abs(accumulator.sessionLoadBWs - 1440) < 1e-9)
    }

    @Test func policyFollowsTheAccumulatorsSessions() throws {
        var accumulator = LoadAccumulator(localTime: try localTime())
        var limits = AlertLimits()
        limits.sessionLoadBWs = 50
        limits.warningFraction = 0
        var policy = try AlertPolicy(limits: limits)
        try accumulator.startSession(at: 0)
        try accumulator.add(loadBWs: 60, at: 1)
        #expect(try policy.evaluate(at: 1, accumulator.alertInputs).map(\.kind) == [.cumulativeLoad])
        try accumulator.add(loadBWs: 60, at: 2)
        #expect(try policy.evaluate(at: 2, accumulator.alertInputs).isEmpty)  // once per crossing
        // A new session in the accumulator re-arms the session alert without any call on the policy.
        try accumulator.startSession(at: 3)
        #expect(try policy.evaluate(at: 3, accumulator.alertInputs).isEmpty)
        #expect(policy.activeAlerts.isEmpty)
        try accumulator.add(loadBWs: 51, at: 4)
        #expect(try policy.evaluate(at: 4, accumulator.alertInputs).map(\.kind) == [.cumulativeLoad])
    }
}
