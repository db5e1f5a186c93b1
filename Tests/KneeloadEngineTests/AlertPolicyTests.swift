import Foundation
import Testing

@testable import KneeloadEngine

/// Alert semantics of CONTRACTS §4 as `AlertPolicy` defines them (see its doc comment).
@Suite struct AlertPolicyTests {
    private func inputs(
        session: Double = 0, rate: Double = 0, stairs: Int = 0, largest: Double? = nil
    ) -> AlertInputs {
        AlertInputs(
            sessionLoadBWs: session, loadLastMinuteBWs: rate, sessionStairDescentSteps: stairs,
            largestRecentSessionLoadBWs: largest)
    }

    private func limits(_ change: (inout AlertLimits) -> Void = { _ in }) -> AlertLimits {
        var limits = AlertLimits()
        change(&limits)
        return limits
    }

    @Test func defaultsAreTheContractValues() {
        let limits = AlertLimits()
        #expect(limits.sessionLoadBWs == 5000)
        #expect(limits.loadRateBWsPerMin == 600)
        #expect(limits.sessionStairDescentSteps == 60)
        #expect(limits.warningFraction == 0.8)
        #expect(limits.rearm == .acknowledge)
        #expect(limits.cooldownS == 600)
        #expect(limits.progressionFactor == 1.1)
        #expect(limits.validate().isEmpty)
        #expect(AlertKind.allCases.map(\.rawValue) == [
            "cumulative_load", "load_rate", "stair_descents", "sensor_fault", "session_progression",
        ])
        #expect(AlertLevel.allCases.map(\.rawValue) == ["warning", "alert"])
    }

    @Test func oneWarningThenOneAlertPerCrossing() throws {
        var policy = try AlertPolicy()
        var events: [AlertEvent] = []
        for step in 0...200 {
            events += try policy.evaluate(at: Double(step), inputs(session: Double(step) * 50))
        }
        #expect(events == [
            AlertEvent(t: 81, kind: .cumulativeLoad, level: .warning, value: 4050, limit: 4000),
            AlertEvent(t: 101, kind: .cumulativeLoad, level: .alert, value: 5050, limit: 5000),
        ])
        #expect(policy.activeAlerts == [events[1]])  // the alert replaces its warning
        #expect(policy.activeKinds == [.cumulativeLoad])
    }

    @Test func valueExactlyAtTheLimitDoesNotFire() throws {
        var policy = try AlertPolicy()
        #expect(try policy.evaluate(at: 0, inputs(stairs: 48)).isEmpty)  // 0.8 × 60 = 48: not passed
        #expect(try policy.evaluate(at: 1, inputs(stairs: 60)).map(\.level) == [.warning])
        #expect(try policy.evaluate(at: 2, inputs(stairs: 61)).map(\.level) == [.alert])
    }

    @Test func jumpingPastBothThresholdsGivesOnlyTheAlert() throws {
        var policy = try AlertPolicy()
        let events = try policy.evaluate(at: 5, inputs(rate: 700))
        #expect(events == [AlertEvent(t: 5, kind: .loadRate, level: .alert, value: 700, limit: 600)])
        // Falling into the warning band later does not produce the superseded warning.
        #expect(try policy.evaluate(at: 6, inputs(rate: 550)).isEmpty)
    }

    @Test func warningFractionZeroTurnsWarningsOff() throws {
        var policy = try AlertPolicy(limits: limits { $0.warningFraction = 0 })
        var levels: [AlertLevel] = []
        for step in 0...70 {
            levels += try policy.evaluate(at: Double(step), inputs(stairs: step)).map(\.level)
        }
        #expect(levels == [.alert])
    }

    @Test func eventsOfOneEvaluationComeInKindOrder() throws {
        var policy = try AlertPolicy()
        let events = try policy.evaluate(at: 1, inputs(session: 6000, rate: 700, stairs: 70, largest: 1000))
        #expect(events.map(\.kind) == [.cumulativeLoad, .loadRate, .stairDescents, .sessionProgression])
        #expect(events.last == AlertEvent(t: 1, kind: .sessionProgression, level: .alert, value: 6000, limit: 1100))
    }

    @Test func acknowledgementRearmsOnlyAfterTheValueFallsBack() throws {
        var policy = try AlertPolicy(limits: limits { $0.warningFraction = 0 })
        #expect(try policy.evaluate(at: 0, inputs(rate: 650)).count == 1)
        // Without an acknowledgement, falling back and rising again fires nothing.
        #expect(try policy.evaluate(at: 10, inputs(rate: 100)).isEmpty)
        #expect(try policy.evaluate(at: 20, inputs(rate: 650)).isEmpty)
        #expect(policy.activeKinds == [.loadRate])

        // Acknowledged while still above: quiet while it stays above.
        let acknowledged = try policy.acknowledge(at: 21)
        #expect(acknowledged.map(\.kind) == [.loadRate])
        #expect(policy.activeAlerts.isEmpty)
        #expect(try policy.evaluate(at: 22, inputs(rate: 700)).isEmpty)
        #expect(try policy.evaluate(at: 3000, inputs(rate: 700)).isEmpty)  // no cooldown in this mode
        // A dip to 560 (above 0.9 × 600 = 540) does not re-arm.
        #expect(try policy.evaluate(at: 3001, inputs(rate: 560)).isEmpty)
        #expect(try policy.evaluate(at: 3002, inputs(rate: 650)).isEmpty)
        // At 540 it re-arms; the next passage above 600 fires.
        #expect(try policy.evaluate(at: 3003, inputs(rate: 540)).isEmpty)
        #expect(try policy.evaluate(at: 3004, inputs(rate: 600)).isEmpty)
        #expect(
            try policy.evaluate(at: 3005, inputs(rate: 601)) == [
                AlertEvent(t: 3005, kind: .loadRate, level: .alert, value: 601, limit: 600)
            ])
    }

    @Test func loadRateHoveringAtItsLimitDoesNotChatter() throws {
        var policy = try AlertPolicy(limits: limits { $0.warningFraction = 0 })
        var fired = 0
        for step in 0..<1000 {
            let rate = step % 2 == 0 ? 598.0 : 603.0  // ±0.5 % noise around the limit
            fired += try policy.evaluate(at: Double(step), inputs(rate: rate)).count
            if step % 10 == 9 { try policy.acknowledge(at: Double(step)) }  // an eager runner
        }
        #expect(fired == 1)
    }

    @Test func cooldownRefiresWhileAboveAndNotBeforeTheCooldown() throws {
        var policy = try AlertPolicy(limits: limits { $0.rearm = .cooldown; $0.cooldownS = 600 })
        var alertTimes: [Double] = []
        var warningTimes: [Double] = []
        for step in 0...1500 {
            let t = Double(step)
            // Above the limit, except for a dip from 100 s to 200 s and a rise back at 200 s.
            let rate = (100..<200).contains(step) ? 100.0 : 700
            for event in try policy.evaluate(at: t + 10, inputs(rate: rate)) {
                if event.level == .alert { alertTimes.append(event.t) } else { warningTimes.append(event.t) }
            }
            if step == 50 { try policy.acknowledge(at: t + 10) }  // acknowledging does not re-arm early
        }
        #expect(alertTimes == [10, 610, 1210])
        #expect(warningTimes.isEmpty)  // never in the warning band when re-armed
    }

    @Test func cooldownWarningRefiresInTheWarningBand() throws {
        var policy = try AlertPolicy(limits: limits { $0.rearm = .cooldown; $0.cooldownS = 100 })
        var events: [AlertEvent] = []
        for step in 0...250 {
            events += try policy.evaluate(at: Double(step), inputs(session: 4500))
        }
        #expect(events.map(\.t) == [0, 100, 200])
        #expect(events.allSatisfy { $0.level == .warning && $0.limit == 4000 })
        #expect(policy.activeAlerts.count == 1)  // the newest warning replaced the older ones
    }

    @Test func newSessionRearmsSessionKindsButNotTheLoadRate() throws {
        var policy = try AlertPolicy()
        _ = try policy.evaluate(at: 0, inputs(session: 6000, rate: 700, stairs: 61))
        #expect(Set(policy.activeKinds) == [.cumulativeLoad, .loadRate, .stairDescents])
        policy.startSession()
        #expect(policy.activeKinds == [.loadRate])
        #expect(try policy.evaluate(at: 1, inputs(session: 10, rate: 700)).isEmpty)
        let events = try policy.evaluate(at: 2, inputs(session: 5001, rate: 700, stairs: 61))
        #expect(events.map(\.kind) == [.cumulativeLoad, .stairDescents])
    }

    @Test func progressionRuleNeedsHistoryAndPassesOnlyAboveTheFactor() throws {
        var policy = try AlertPolicy(limits: limits { $0.sessionLoadBWs = 1e6 })
        #expect(try policy.evaluate(at: 0, inputs(session: 50_000)).isEmpty)  // no history: off
        #expect(try policy.evaluate(at: 1, inputs(session: 1099, largest: 1000)).isEmpty)
        #expect(try policy.evaluate(at: 1.5, inputs(session: 1100, largest: 1000)).isEmpty)  // not "more than"
        #expect(
            try policy.evaluate(at: 2, inputs(session: 1101, largest: 1000)) == [
                AlertEvent(t: 2, kind: .sessionProgression, level: .alert, value: 1101, limit: 1100)
            ])
        #expect(try policy.evaluate(at: 3, inputs(session: 2000, largest: 1000)).isEmpty)
    }

    @Test func sensorFaultPassesThroughAndFollowsTheRearmRules() throws {
        var policy = try AlertPolicy()
        let fault = AlertEvent(t: 5, kind: .sensorFault, level: .alert, value: 1, limit: 0)
        #expect(try policy.raise(.sensorFault, at: 5) == fault)
        #expect(try policy.raise(.sensorFault, at: 6) == nil)
        #expect(policy.activeKinds == [.sensorFault])
        try policy.acknowledge(at: 7)
        #expect(policy.activeKinds.isEmpty)
        #expect(try policy.raise(.sensorFault, at: 8)?.t == 8)
        // Numeric evaluations leave it alone.
        #expect(try policy.evaluate(at: 9, inputs()).isEmpty)
        #expect(policy.activeKinds == [.sensorFault])

        var cooling = try AlertPolicy(limits: limits { $0.rearm = .cooldown; $0.cooldownS = 60 })
        #expect(try cooling.raise(.sensorFault, at: 0) != nil)
        #expect(try cooling.raise(.sensorFault, at: 59.9) == nil)
        #expect(try cooling.raise(.sensorFault, at: 60) != nil)
    }

    @Test func badInputIsRejectedWithoutChangingState() throws {
        var policy = try AlertPolicy()
        _ = try policy.evaluate(at: 10, inputs(rate: 500))
        let before = policy.snapshot
        #expect(throws: AlertPolicyError.timeWentBackwards(operation: "evaluate(at:)", t: 9, latest: 10)) {
            try policy.evaluate(at: 9, inputs())
        }
        #expect(throws: AlertPolicyError.invalidInput(name: "loadLastMinuteBWs", value: -1, t: 11)) {
            try policy.evaluate(at: 11, inputs(rate: -1))
        }
        #expect(throws: AlertPolicyError.self) { try policy.raise(.sensorFault, at: .nan) }
        #expect(policy.snapshot == before)
    }

    @Test func limitsUpdateKeepsState() throws {
        var policy = try AlertPolicy()
        _ = try policy.evaluate(at: 0, inputs(rate: 700))
        try policy.updateLimits(limits { $0.loadRateBWsPerMin = 800 })
        #expect(policy.limits.loadRateBWsPerMin == 800)
        #expect(policy.activeKinds == [.loadRate])
        #expect(throws: AlertPolicyError.self) { try policy.updateLimits(limits { $0.cooldownS = 0 }) }
        #expect(policy.limits.loadRateBWsPerMin == 800)
    }

    @Test func eventsEncodeWithContractKeys() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let event = AlertEvent(t: 301.25, kind: .stairDescents, level: .alert, value: 61, limit: 60)
        let json = String(decoding: try encoder.encode(event), as: UTF8.self)
        #expect(json == #"{"kind":"stair_descents","level":"alert","limit":60,"t_s":301.25,"value":61}"#)
        #expect(try JSONDecoder().decode(AlertEvent.self, from: Data(json.utf8)) == event)
    }

    @Test func damagedPolicySnapshotsAreRejected() throws {
        var snapshot = try AlertPolicy().snapshot
        snapshot.kindStates.removeLast()
        #expect(throws: AlertPolicyError.self) { try AlertPolicy(restoring: snapshot) }
        snapshot = try AlertPolicy().snapshot
        snapshot.limits.warningFraction = 2
        #expect(throws: AlertPolicyError.self) { try AlertPolicy(restoring: snapshot) }
    }
}
