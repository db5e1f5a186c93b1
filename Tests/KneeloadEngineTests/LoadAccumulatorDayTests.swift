import Testing

@testable import KneeloadEngine

/// Local days, daily history and the 7/28-day EWMA loads (biomech.md §2 "ACWR").
@Suite struct LoadAccumulatorDayTests {
    @Test func calendarDatesRoundTrip() throws {
        #expect(try day(1970, 1, 1).daysSince1970 == 0)
        #expect(try day(2000, 3, 1).daysSince1970 == 11_017)
        #expect(try day(2024, 2, 29).description == "2024-02-29")
        #expect(LocalDay(year: 2025, month: 2, day: 29) == nil)
        #expect(LocalDay(year: 2025, month: 13, day: 1) == nil)
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let date = LocalDay(daysSince1970: days).date
            #expect(LocalDay(year: date.year, month: date.month, day: date.day)?.daysSince1970 == days)
        }
    }

    @Test(arguments: [3600, -18_000, 0, 45_900])
    func dayRollsOverAtLocalMidnight(utcOffsetSeconds: Int) throws {
        // Engine time 0 is 23:00 local on 14 March, so local midnight is at t = 3600 whatever the offset.
        var accumulator = LoadAccumulator(
            localTime: try localTime(day: 14, hour: 23, utcOffsetSeconds: utcOffsetSeconds))
        #expect(accumulator.today.day == (try day(2025, 3, 14)))
        try accumulator.add(loadBWs: 5, at: 3599.999)
        try accumulator.addStep(at: 3599.999)
        #expect(accumulator.today.day == (try day(2025, 3, 14)))
        try accumulator.add(loadBWs: 7, at: 3600)
        #expect(accumulator.today.day == (try day(2025, 3, 15)))
        #expect(accumulator.today.loadBWs == 7)
        #expect(accumulator.today.steps == 0)
        let history = accumulator.dailyHistory
        #expect(history.count == 1)
        #expect(history.first?.day == (try day(2025, 3, 14)))
        #expect(history.first?.loadBWs == 5)
        #expect(history.first?.steps == 1)
        // Rolling windows do not care about days.
        #expect(accumulator.loadLastMinuteBWs == 12)
    }

    @Test func localTimeRejectsOutOfRangeValues() {
        #expect(throws: LoadAccumulatorError.self) {
            try LocalTime(epochSecondsAtStart: .nan, utcOffsetSeconds: 0)
        }
        do {
            _ = try LocalTime(epochSecondsAtStart: 0, utcOffsetSeconds: 90_000)
            Issue.record("offset of 25 h accepted")
        } catch {
            #expect(error.description == "local time: UTC offset 90000 s must be within -64800...64800 s")
        }
    }

    @Test func skippedDaysCloseAsZeroLoadDaysAndDecayTheEWMAs() throws {
        var accumulator = LoadAccumulator(localTime: try localTime(day: 14, hour: 8))
        try accumulator.add(loadBWs: 100, at: 0)
        // Day 0 is 14 March from 08:00; 17 March 08:00 is t = 3 days.
        try accumulator.add(loadBWs: 200, at: 3 * 86_400)
        let history = accumulator.dailyHistory
        #expect(history.map(\.day) == [try day(2025, 3, 14), try day(2025, 3, 15), try day(2025, 3, 16)])
        #expect(history.map(\.loadBWs) == [100, 0, 0])
        #expect(accumulator.completedDays == 3)
        #expect(accumulator.daysOfHistory == 4)

        // By hand: λa = 0.25 → 25, 18.75, 14.0625, then today (200 so far) 0.25·200 + 0.75·14.0625.
        #expect(accumulator.acuteLoadBWs == 60.546875)
        // λc = 2/29: 6.896551724137931, ×27/29 → 6.420927467300832, ×27/29 → 5.97810488334905,
        // then (2/29)·200 + (27/29)·5.97810488334905.
        #expect(abs(accumulator.chronicLoadBWs - 19.35892523622153) < 1e-12)
        let ratio = try #require(accumulator.acuteChronicRatio)
        #expect(abs(ratio - 60.546875 / 19.35892523622153) < 1e-12)
    }

    @Test func lambdasAreWilliams2017() {
        #expect(AcuteChronicLoad.acuteLambda == 0.25)
        #expect(abs(AcuteChronicLoad.chronicLambda - 0.069) < 0.0001)
    }

    @Test func ratioIsNilWhileTheChronicLoadIsNearZero() throws {
        var accumulator = LoadAccumulator(localTime: try localTime())
        #expect(accumulator.acuteChronicRatio == nil)
        try accumulator.add(loadBWs: 10, at: 1)  // chronic 10·2/29 < 1 BW·s
        #expect(accumulator.acuteChronicRatio == nil)
        try accumulator.add(loadBWs: 90, at: 2)
        // Day one, 100 BW·s: acute 25, chronic 200/29; ratio 25·29/200.
        #expect(abs(try #require(accumulator.acuteChronicRatio) - 3.625) < 1e-12)
    }

    @Test func aVeryLongGapKeepsTheHistoryConsecutiveAndBounded() throws {
        var accumulator = LoadAccumulator(localTime: try localTime(day: 1, hour: 12))
        try accumulator.add(loadBWs: 50, at: 0)
        try accumulator.advance(to: 200 * 86_400)
        let history = accumulator.dailyHistory
        #expect(history.count == LoadAccumulator.dailyHistoryCapacity)
        #expect(history.last?.day == accumulator.today.day.advanced(by: -1))
        #expect(zip(history, history.dropFirst()).allSatisfy { $0.day.advanced(by: 1) == $1.day })
        #expect(history.allSatisfy { $0.loadBWs == 0 })
        #expect(accumulator.completedDays == 200)
        // 12.5 after day one, then 199 empty days, then today (nothing yet) counted as one more.
        let expectedAcute = 12.5 * pow075(200)
        #expect(abs(accumulator.acuteLoadBWs - expectedAcute) <= 1e-12 * expectedAcute)
    }

    private func pow075(_ n: Int) -> Double {
        (0..<n).reduce(1.0) { value, _ in value * 0.75 }
    }
}
