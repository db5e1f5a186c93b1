import KneeloadCore
import Testing

@testable import KneeloadEngine

/// Rolling last-minute and last-ten-minute windows (CONTRACTS §4 load rate), 1/8 s bins.
@Suite struct LoadAccumulatorWindowTests {
    @Test func loadAtTimeZeroLeavesTheMinuteWindowExactlyAtSixtySeconds() throws {
        var accumulator = LoadAccumulator(localTime: try localTime())
        try accumulator.add(loadBWs: 1.5, at: 0)
        try accumulator.advance(to: 59.999)
        #expect(accumulator.loadLastMinuteBWs == 1.5)
        try accumulator.advance(to: 60)
        #expect(accumulator.loadLastMinuteBWs == 0)
        #expect(accumulator.loadLastTenMinutesBWs == 1.5)
        try accumulator.advance(to: 599.999)
        #expect(accumulator.loadLastTenMinutesBWs == 1.5)
        try accumulator.advance(to: 600)
        #expect(accumulator.loadLastTenMinutesBWs == 0)
    }

    @Test func windowEdgesFollowTheEighthSecondBins() throws {
        var accumulator = LoadAccumulator(localTime: try localTime())
        try accumulator.add(loadBWs: 1, at: 30.0)  // bin 240
        try accumulator.add(loadBWs: 2, at: 30.124)  // bin 240 too
        try accumulator.add(loadBWs: 4, at: 30.125)  // bin 241: on a bin edge, exact because 8·t is exact
        try accumulator.advance(to: 89.999)
        #expect(accumulator.loadLastMinuteBWs == 7)
        try accumulator.advance(to: 90.0)
        #expect(accumulator.loadLastMinuteBWs == 4)
        try accumulator.advance(to: 90.124)
        #expect(accumulator.loadLastMinuteBWs == 4)
        try accumulator.advance(to: 90.125)
        #expect(accumulator.loadLastMinuteBWs == 0)
        #expect(accumulator.loadLastTenMinutesBWs == 7)
    }

    @Test func windowSumsDoNotDriftOverAnHourOfSamples() throws {
        var accumulator = LoadAccumulator(localTime: try localTime())
        // 0.1 BW·s per sample at 100 Hz for an hour. At t = 3600 the minute window is the 480 bins
        // [3540.125, 3600.125): samples 354013...360000, 5988 of them; the ten-minute one holds 59988.
        for sample in 1...360_000 {
            try accumulator.add(loadBWs: 0.1, at: Double(sample) / 100)
        }
        #expect(accumulator.loadLastMinuteBWs == 598.8)
        #expect(accumulator.loadLastTenMinutesBWs == 5998.8)
        #expect(abs(accumulator.lifetimeLoadBWs - 36_000) < 1e-6)
        // Only the last sample's bin [3600, 3600.125) is left.
        try accumulator.advance(to: 3600 + 59.99)
        #expect(accumulator.loadLastMinuteBWs == 0.1)
        try accumulator.advance(to: 3700)
        #expect(accumulator.loadLastMinuteBWs == 0)
    }

    @Test func windowsAcrossGapsInTheInput() throws {
        var accumulator = LoadAccumulator(localTime: try localTime())
        try accumulator.add(loadBWs: 2, at: 10)
        try accumulator.add(loadBWs: 3, at: 50)
        try accumulator.advance(to: 65)
        #expect(accumulator.loadLastMinuteBWs == 5)
        try accumulator.advance(to: 70)
        #expect(accumulator.loadLastMinuteBWs == 3)
        // A gap of several minutes: the minute window is empty, the ten-minute one still holds both.
        try accumulator.add(loadBWs: 0.5, at: 400)
        #expect(accumulator.loadLastMinuteBWs == 0.5)
        #expect(accumulator.loadLastTenMinutesBWs == 5.5)
        // A gap longer than the whole ring clears everything, then accounting resumes.
        try accumulator.advance(to: 5000)
        #expect(accumulator.loadLastMinuteBWs == 0)
        #expect(accumulator.loadLastTenMinutesBWs == 0)
        try accumulator.add(loadBWs: 1.25, at: 5000.5)
        #expect(accumulator.loadLastMinuteBWs == 1.25)
        #expect(accumulator.loadLastTenMinutesBWs == 1.25)
        #expect(accumulator.lifetimeLoadBWs == 6.75)
    }

    /// Random times, gaps and loads against a brute-force sum over every load still inside each window.
    @Test func matchesBruteForceWindowsOnRandomInput() throws {
        var accumulator = LoadAccumulator(localTime: try localTime())
        var generator = SeededGenerator(seed: 0x5EED_0001)
        var history: [(bin: Int, units: Int64)] = []
        var t = 0.0
        for _ in 0..<20_000 {
            // Mostly 200 Hz samples, sometimes gaps of up to 15 minutes.
            t += generator.nextUnit() < 0.002 ? generator.nextUnit() * 900 : 0.005
            let load = generator.nextUnit() * 0.05
            try accumulator.add(loadBWs: load, at: t)
            history.append((Int((t * 8).rounded(.down)), Int64((load * 1e9).rounded())))
            if generator.nextUnit() < 0.01 {
                let now = Int((t * 8).rounded(.down))
                let short = history.filter { now - $0.bin < 480 }.reduce(Int64(0)) { $0 + $1.units }
                let long = history.filter { now - $0.bin < 4800 }.reduce(Int64(0)) { $0 + $1.units }
                #expect(accumulator.loadLastMinuteBWs == Double(short) / 1e9)
                #expect(accumulator.loadLastTenMinutesBWs == Double(long) / 1e9)
                history.removeAll { now - $0.bin >= 4800 }
            }
        }
    }

    @Test func rejectsBadInputWithoutChangingState() throws {
        var accumulator = LoadAccumulator(localTime: try localTime())
        try accumulator.startSession(at: 0)
        try accumulator.add(loadBWs: 1, at: 10)
        let before = accumulator.snapshot

        #expect(throws: LoadAccumulatorError.invalidLoad(loadBWs: -0.1, t: 11)) {
            try accumulator.add(loadBWs: -0.1, at: 11)
        }
        #expect(throws: LoadAccumulatorError.invalidLoad(loadBWs: 2000, t: 11)) {
            try accumulator.add(loadBWs: 2000, at: 11)
        }
        #expect(throws: LoadAccumulatorError.timeWentBackwards(operation: "add(loadBWs:at:)", t: 9, latest: 10)) {
            try accumulator.add(loadBWs: 1, at: 9)
        }
        #expect(throws: LoadAccumulatorError.invalidTime(operation: "advance(to:)", t: .infinity)) {
            try accumulator.advance(to: .infinity)
        }
        do {
            try accumulator.add(loadBWs: .nan, at: 11)
            Issue.record("NaN load accepted")
        } catch {
            #expect(error.description.contains("add(loadBWs:) at t = 11.0 s"))
        }
        #expect(throws: LoadAccumulatorError.self) { try accumulator.addStep(at: -1) }
        #expect(accumulator.snapshot == before)
    }
}
