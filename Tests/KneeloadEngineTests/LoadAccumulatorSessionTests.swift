import Foundation
import KneeloadCore
import Testing

@testable import KneeloadEngine

/// Sessions, the longest-session rule (Frandsen 2025, biomech.md §2 "Progression rules") and exact save/restore.
@Suite struct LoadAccumulatorSessionTests {
    private static let dayS = 86_400.0

    /// One session of `load` BW·s starting at `t`, lasting `durationS`.
    private func runSession(
        _ accumulator: inout LoadAccumulator, at t: Double, load: Double, durationS: Double = 100
    ) throws {
        try accumulator.startSession(at: t)
        try accumulator.add(loadBWs: load, at: t + durationS / 2)
        try accumulator.advance(to: t + durationS)
        accumulator.endSession()
    }

    @Test func sessionTotalsAndHistory() throws {
        var accumulator = LoadAccumulator(localTime: try localTime(hour: 8))
        try accumulator.add(loadBWs: 3, at: 1)  // before any session: counts for the day only
        try accumulator.addStep(at: 1)
        try accumulator.startSession(at: 10)
        try accumulator.add(loadBWs: 4, at: 11)
        try accumulator.addStep(at: 12)
        try accumulator.addStairDescentStep(at: 13)
        try accumulator.addStairDescentStep(at: 14)
        try accumulator.advance(to: 70)
        #expect(accumulator.sessionLoadBWs == 4)
        #expect(accumulator.sessionSteps == 3)
        #expect(accumulator.sessionStairDescentSteps == 2)
        #expect(accumulator.sessionDurationS == 60)
        #expect(accumulator.today.loadBWs == 7)
        #expect(accumulator.today.steps == 4)
        accumulator.endSession()
        #expect(accumulator.currentSession == nil)
        #expect(accumulator.sessionLoadBWs == 0)
        let record = try #require(accumulator.sessionHistory.last)
        #expect(record.loadBWs == 4)
        #expect(record.durationS == 60)
        #expect(record.steps == 3)
        #expect(record.stairDescentSteps == 2)
        #expect(record.startDay == (try day(2025, 3, 14)))
        #expect(record.startEpochSeconds == accumulator.localTime.epochSecondsAtStart + 10)
        #expect(accumulator.today.sessions == 1)
        #expect(accumulator.today.largestSessionLoadBWs == 4)
    }

    @Test func startingASessionEndsTheCurrentOne() throws {
        var accumulator = LoadAccumulator(localTime: try localTime())
        try accumulator.startSession(at: 0)
        try accumulator.add(loadBWs: 2, at: 5)
        try accumulator.startSession(at: 20)
        #expect(accumulator.sessionHistory.map(\.loadBWs) == [2])
        #expect(accumulator.sessionHistory.first?.durationS == 20)
        #expect(accumulator.sessionLoadBWs == 0)
    }

    @Test func longestSessionRuleIsOffWithoutHistory() throws {
        var accumulator = LoadAccumulator(localTime: try localTime())
        try accumulator.startSession(at: 0)
        try accumulator.add(loadBWs: 1000, at: 1)
        #expect(accumulator.largestRecentSessionLoadBWs == nil)
        #expect(accumulator.sessionProgressionRatio == nil)
        #expect(!accumulator.progressionExceeded(factor: 1.1))
        #expect(accumulator.alertInputs.largestRecentSessionLoadBWs == nil)
    }

    @Test func longestSessionRuleComparesWithTheLargestOfThePrevious30Days() throws {
        var accumulator = LoadAccumulator(localTime: try localTime(hour: 8))
        try runSession(&accumulator, at: 0, load: 100)
        try runSession(&accumulator, at: 3 * Self.dayS, load: 400)
        try runSession(&accumulator, at: 3 * Self.dayS + 1000, load: 250)
        // Day 20: the largest of days −10...20 is 400.
        try accumulator.startSession(at: 20 * Self.dayS)
        #expect(accumulator.largestRecentSessionLoadBWs == 400)
        try accumulator.add(loadBWs: 440, at: 20 * Self.dayS + 1)
        #expect(accumulator.sessionProgressionRatio == 1.1)
        #expect(!accumulator.progressionExceeded(factor: 1.1))  // "more than 10 % longer"
        try accumulator.add(loadBWs: 0.5, at: 20 * Self.dayS + 2)
        #expect(accumulator.progressionExceeded(factor: 1.1))
        accumulator.endSession()

        // Day 33 looks back to day 3 (30 days before): the 400 session still counts; day 34 does not see it,
        // but sees the 440.5 one of day 20.
        try accumulator.startSession(at: 33 * Self.dayS)
        #expect(accumulator.largestRecentSessionLoadBWs == 440.5)
        accumulator.endSession()
        #expect(accumulator.dailyHistory.first { $0.day == accumulator.today.day.advanced(by: -30) }?
            .largestSessionLoadBWs == 400)
        try accumulator.startSession(at: 51 * Self.dayS)  // day 20 + 31: nothing left (day 33's was empty)
        #expect(accumulator.largestRecentSessionLoadBWs == nil)
    }

    @Test func lookBackIncludesDay30AndExcludesDay31() throws {
        for (offsetDays, expected) in [(30.0, 100.0 as Double?), (31.0, nil)] {
            var accumulator = LoadAccumulator(localTime: try localTime(hour: 8))
            try runSession(&accumulator, at: 0, load: 100)
            try accumulator.startSession(at: offsetDays * Self.dayS)
            #expect(accumulator.largestRecentSessionLoadBWs == expected)
        }
    }

    @Test func sessionCrossingMidnightBelongsToItsStartDay() throws {
        var accumulator = LoadAccumulator(localTime: try localTime(day: 14, hour: 23))
        try accumulator.startSession(at: 0)
        try accumulator.add(loadBWs: 30, at: 1800)
        try accumulator.add(loadBWs: 20, at: 5400)  // 14 → 15 March at t = 3600
        try accumulator.advance(to: 7200)
        accumulator.endSession()
        #expect(accumulator.sessionHistory.first?.startDay == (try day(2025, 3, 14)))
        #expect(accumulator.dailyHistory.last?.loadBWs == 30)
        #expect(accumulator.dailyHistory.last?.largestSessionLoadBWs == 50)
        #expect(accumulator.today.loadBWs == 20)
        #expect(accumulator.today.largestSessionLoadBWs == 0)
    }

    /// A deterministic stream of loads, steps, sessions and gaps, driven step by step.
    private struct Workload {
        var generator = SeededGenerator(seed: 0xACC0_0001)
        var t = 0.0
        /// Load scale of the current session, so sessions differ enough to trip the longest-session rule.
        var intensity = 1.0

        mutating func step(_ accumulator: inout LoadAccumulator, policy: inout AlertPolicy) throws -> [AlertEvent] {
            let roll = generator.nextUnit()
            if roll < 0.0001 {
                // Half the gaps under a minute, half up to three days.
                t += generator.nextUnit() * (generator.nextUnit() < 0.5 ? 60 : 3 * 86_400)
                try accumulator.advance(to: t)
            } else if roll < 0.0015 {
                t += 1
                try accumulator.startSession(at: t)  // the policy sees the new session in alertInputs
                let u = generator.nextUnit()
                intensity = 0.1 + 4 * u * u
            } else if roll < 0.002 {
                accumulator.endSession()
            } else {
                t += 0.005
                try accumulator.add(loadBWs: generator.nextUnit() * 0.1 * intensity, at: t)
                if roll < 0.02 { try accumulator.addStep(at: t) }
                if roll < 0.004 { try accumulator.addStairDescentStep(at: t) }
            }
            if roll > 0.999 { try policy.acknowledge(at: t) }
            var events: [AlertEvent] = []
            if roll > 0.9985 && roll <= 0.999, let fault = try policy.raise(.sensorFault, at: t) {
                events.append(fault)
            }
            return events + (try policy.evaluate(at: t, accumulator.alertInputs))
        }
    }

    /// Observable outputs at one step, compared bit for bit.
    private func trace(_ accumulator: LoadAccumulator, _ events: [AlertEvent]) -> [UInt64] {
        [
            accumulator.loadLastMinuteBWs.bitPattern, accumulator.loadLastTenMinutesBWs.bitPattern,
            accumulator.sessionLoadBWs.bitPattern, accumulator.today.loadBWs.bitPattern,
            accumulator.acuteLoadBWs.bitPattern, accumulator.chronicLoadBWs.bitPattern,
            (accumulator.acuteChronicRatio ?? -1).bitPattern, (accumulator.sessionProgressionRatio ?? -1).bitPattern,
            UInt64(accumulator.sessionSteps), UInt64(accumulator.completedDays),
        ] + events.map { $0.value.bitPattern ^ $0.t.bitPattern }
    }

    @Test func snapshotThroughJSONContinuesBitIdentically() throws {
        var limits = AlertLimits()
        limits.sessionLoadBWs = 40
        limits.loadRateBWsPerMin = 100
        limits.sessionStairDescentSteps = 2
        limits.rearm = .cooldown
        limits.cooldownS = 120
        let start = try localTime(hour: 21, utcOffsetSeconds: 7200)

        var straight = LoadAccumulator(localTime: start)
        var straightPolicy = try AlertPolicy(limits: limits)
        var straightWorkload = Workload()
        var resumed = LoadAccumulator(localTime: start)
        var resumedPolicy = try AlertPolicy(limits: limits)
        var resumedWorkload = Workload()
        var eventCount = 0
        var firedKinds: Set<AlertKind> = []

        for _ in 0..<30_000 {
            _ = try straightWorkload.step(&straight, policy: &straightPolicy)
            _ = try resumedWorkload.step(&resumed, policy: &resumedPolicy)
        }
        // Save both parts through JSON, as the daemon would, and carry on from the decoded copies.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let decoder = JSONDecoder()
        let accumulatorData = try encoder.encode(resumed.snapshot)
        let policyData = try encoder.encode(resumedPolicy.snapshot)
        resumed = try LoadAccumulator(
            restoring: try decoder.decode(LoadAccumulator.Snapshot.self, from: accumulatorData))
        resumedPolicy = try AlertPolicy(restoring: try decoder.decode(AlertPolicy.Snapshot.self, from: policyData))
        #expect(resumed.snapshot == straight.snapshot)
        #expect(resumedPolicy.snapshot == straightPolicy.snapshot)

        for _ in 0..<30_000 {
            let straightEvents = try straightWorkload.step(&straight, policy: &straightPolicy)
            let resumedEvents = try resumedWorkload.step(&resumed, policy: &resumedPolicy)
            eventCount += straightEvents.count
            firedKinds.formUnion(straightEvents.map(\.kind))
            try #require(trace(resumed, resumedEvents) == trace(straight, straightEvents))
        }
        #expect(try encoder.encode(resumed.snapshot) == (try encoder.encode(straight.snapshot)))
        #expect(try encoder.encode(resumedPolicy.snapshot) == (try encoder.encode(straightPolicy.snapshot)))
        // The workload must have exercised the interesting parts.
        #expect(eventCount > 20)
        #expect(firedKinds == Set(AlertKind.allCases))
        #expect(straight.completedDays > 2)
        #expect(straight.sessionHistory.count > 5)
        #expect(straight.sessionHistory.contains { $0.stairDescentSteps > 0 })
    }

    @Test func damagedSnapshotsAreRejected() throws {
        var accumulator = LoadAccumulator(localTime: try localTime())
        try accumulator.add(loadBWs: 1, at: 100_000)
        var snapshot = accumulator.snapshot
        snapshot.windowBins.removeLast()
        #expect(
            throws: LoadAccumulatorError.invalidSnapshot("windowBins has 4799 bins, expected 4800")
        ) { try LoadAccumulator(restoring: snapshot) }

        snapshot = accumulator.snapshot
        snapshot.dailyHistory[0].day = snapshot.dailyHistory[0].day.advanced(by: -1)
        #expect(throws: LoadAccumulatorError.self) { try LoadAccumulator(restoring: snapshot) }

        snapshot = accumulator.snapshot
        snapshot.latestT = 10
        #expect(throws: LoadAccumulatorError.self) { try LoadAccumulator(restoring: snapshot) }

        let json = Data(#"{"epochSecondsAtStart": 1e300, "utcOffsetSeconds": 0}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LocalTime.self, from: json) }
    }

    @Test func continuingOnANewClockCarriesTheHistory() throws {
        var accumulator = LoadAccumulator(localTime: try localTime(day: 14, hour: 8))
        try accumulator.startSession(at: 0)
        try accumulator.add(loadBWs: 120, at: 30)
        try accumulator.advance(to: 60)
        let saved = accumulator.snapshot

        // The daemon restarts two days later at 09:00 with a new offset (DST); its clock starts at 0 again.
        var next = try LoadAccumulator(
            continuing: saved, localTime: try localTime(day: 16, hour: 9, utcOffsetSeconds: 3600))
        #expect(next.latestT == 0)
        #expect(next.currentSession == nil)
        #expect(next.sessionHistory.map(\.loadBWs) == [120])
        #expect(next.dailyHistory.map(\.loadBWs) == [120, 0])
        #expect(next.today.day == (try day(2025, 3, 16)))
        #expect(next.loadLastMinuteBWs == 0)
        // 0.25·120 = 30, then a zero day → 22.5, then today (nothing yet) → 16.875.
        #expect(next.acuteLoadBWs == 16.875)
        try next.startSession(at: 5)
        #expect(next.largestRecentSessionLoadBWs == 120)

        #expect(
            throws: LoadAccumulatorError.localDayBeforeHistory(
                newDay: try day(2025, 3, 13), lastDay: try day(2025, 3, 14))
        ) { try LoadAccumulator(continuing: saved, localTime: try localTime(day: 13)) }
    }
}
