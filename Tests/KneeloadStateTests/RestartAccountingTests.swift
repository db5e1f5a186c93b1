import Foundation
import KneeloadCore
import KneeloadEngine
import Testing

@testable import KneeloadState

/// The daemon's cycle: load at start, continue on a new engine clock, checkpoint on schedule, crash. Checks the
/// issue's promise: after a crash at most the last checkpoint interval of load is lost, and nothing is counted
/// twice, in the lifetime total, the daily history or the sessions.
@Suite struct RestartAccountingTests {
    @Test func crashesLoseAtMostTheLastIntervalAndNeverCountTwice() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = makeStore(directory.path, LogRecorder())
        var random = SeededGenerator(seed: 11)
        var wall = testEpoch
        // Everything the sensors measured, and the part of it that crashes lost (never checkpointed).
        var measuredLoad = 0.0
        var lostLoad = 0.0
        var measuredSamples = 0
        var lostSamples = 0
        var crashes = 0

        for run in 0..<24 {
            let localTime = try LocalTime(epochSecondsAtStart: wall, utcOffsetSeconds: 3600)
            var accumulator = LoadAccumulator(localTime: localTime)
            var before = LifetimeCounters()
            if let state = store.load().state {
                // Exactly what was measured minus what crashes lost: loads are multiples of 2⁻¹⁰, so every sum
                // is exact and any double counting or extra loss would show.
                #expect(state.accumulator.lifetimeLoadBWs == measuredLoad - lostLoad)
                #expect(state.lifetime.samples == measuredSamples - lostSamples)
                let days = state.accumulator.dailyHistory.map(\.loadBWs).reduce(0, +) + state.accumulator.today.loadBWs
                #expect(days == state.accumulator.lifetimeLoadBWs)
                let sessions =
                    state.accumulator.sessionHistory.map(\.loadBWs).reduce(0, +)
                    + (state.accumulator.currentSession?.loadBWs ?? 0)
                #expect(sessions == state.accumulator.lifetimeLoadBWs)
                accumulator = try LoadAccumulator(continuing: state.accumulator, localTime: localTime)
                before = state.lifetime
            } else {
                #expect(run == 0)
            }
            var schedule = try #require(CheckpointSchedule(start: 0))
            var runTotals = EngineTotals()
            var sinceCheckpoint = (load: 0.0, samples: 0)
            try accumulator.startSession(at: 0)
            let samples = 500 + Int(random.next() % 2500)
            var t = 0.0
            for i in 1...samples {
                t = Double(i) * 0.01
                let load = Double(random.next() % 64) / 1024
                try accumulator.add(loadBWs: load, at: t)
                runTotals.samples += 1
                runTotals.durationS = t
                measuredLoad += load
                measuredSamples += 1
                sinceCheckpoint.load += load
                sinceCheckpoint.samples += 1
                if schedule.claimIfDue(at: t) {
                    try store.save(
                        DaemonState(
                            savedAtEpochSeconds: wall + t, accumulator: accumulator.snapshot,
                            lifetime: before.adding(runTotals)))
                    sinceCheckpoint = (0, 0)
                }
            }
            if run % 4 == 3 {
                // A clean shutdown saves at the end.
                try store.save(
                    DaemonState(
                        savedAtEpochSeconds: wall + t, accumulator: accumulator.snapshot,
                        lifetime: before.adding(runTotals)))
            } else {
                // SIGKILL: what came after the last checkpoint is gone, and it is less than one interval's worth.
                #expect(Double(sinceCheckpoint.samples) * 0.01 < CheckpointSchedule.defaultInterval + 1e-9)
                lostLoad += sinceCheckpoint.load
                lostSamples += sinceCheckpoint.samples
                crashes += 1
            }
            // Down for up to two days.
            wall += t + Double(random.next() % 172_800)
        }
        #expect(crashes == 18)
        // Each crash lost under one interval (500 samples of at most 63/1024 BW·s).
        #expect(lostLoad > 0 && lostLoad < Double(crashes) * 500 * 63 / 1024)
        let final = try #require(store.load().state)
        #expect(final.accumulator.lifetimeLoadBWs == measuredLoad - lostLoad)
        #expect(final.accumulator.completedDays > 5)
    }

    @Test func restartingWithoutNewDataChangesNoTotal() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = makeStore(directory.path, LogRecorder())
        let original = try richState()
        try store.save(original)
        var wall = original.savedAtEpochSeconds
        var previous = original
        for _ in 0..<5 {
            // Start, continue on a new clock, checkpoint at once, die: again and again.
            let state = try #require(store.load().state)
            wall += 60
            let accumulator = try LoadAccumulator(
                continuing: state.accumulator, localTime: try LocalTime(epochSecondsAtStart: wall, utcOffsetSeconds: 3600))
            let next = DaemonState(
                savedAtEpochSeconds: wall, accumulator: accumulator.snapshot, lifetime: state.lifetime.adding(EngineTotals()))
            try store.save(next)
            #expect(next.lifetime == original.lifetime)
            #expect(next.accumulator.lifetimeLoadBWs == original.accumulator.lifetimeLoadBWs)
            #expect(next.accumulator.today.loadBWs == previous.accumulator.today.loadBWs)
            previous = next
        }
        // The open session was ended once, at the first restart, and recorded once.
        let final = try #require(store.load().state)
        let openLoad = try #require(original.accumulator.currentSession?.loadBWs)
        #expect(final.accumulator.currentSession == nil)
        #expect(final.accumulator.sessionHistory.map(\.loadBWs) == original.accumulator.sessionHistory.map(\.loadBWs) + [openLoad])
    }

    @Test func aMonitorContinuesFromItsCheckpoint() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = makeStore(directory.path, LogRecorder())
        var wall = testEpoch

        // First run: 5 s of a held half squat (quasi-static load every sample; the engine later learns the tilt as
        // its upright), checkpointed every 2 s, then a kill.
        var monitor = try LoadMonitor(localTime: try LocalTime(epochSecondsAtStart: wall, utcOffsetSeconds: 0))
        var schedule = try #require(CheckpointSchedule(interval: 2, start: 0))
        var saved: DaemonState?
        runSquat(&monitor, seconds: 5) { t, monitor in
            if schedule.claimIfDue(at: t) {
                let state = DaemonState(monitor: monitor, lifetimeBefore: LifetimeCounters(), savedAtEpochSeconds: wall + t)
                try? store.save(state)
                saved = state
            }
        }
        let checkpoint = try #require(saved)
        #expect(checkpoint.lifetime.samples == 401)
        #expect(checkpoint.accumulator.lifetimeLoadBWs > 0)
        #expect(checkpoint.accumulator.lifetimeLoadBWs < monitor.accumulator.lifetimeLoadBWs)

        // Second run, an hour later: the monitor carries the checkpoint's accounting, not the lost two seconds.
        wall += 3600
        let restored = try #require(store.load().state)
        #expect(restored == checkpoint)
        let continued = try LoadAccumulator(
            continuing: restored.accumulator, localTime: try LocalTime(epochSecondsAtStart: wall, utcOffsetSeconds: 0))
        var second = try LoadMonitor(continuing: continued)
        #expect(second.accumulator.lifetimeLoadBWs == checkpoint.accumulator.lifetimeLoadBWs)
        runSquat(&second, seconds: 3) { _, _ in }
        let next = DaemonState(monitor: second, lifetimeBefore: restored.lifetime, savedAtEpochSeconds: wall + 3)
        #expect(next.lifetime.samples == 401 + 300)
        #expect(next.lifetime.sampledSeconds == restored.lifetime.sampledSeconds + second.totals.durationS)
        let added = next.accumulator.lifetimeLoadBWs - checkpoint.accumulator.lifetimeLoadBWs
        #expect(abs(added - second.totals.cumulativeLoadBWs) < 1e-9)
        #expect(second.accumulator.sessionHistory.count == 1)
        #expect(second.refusedUpdates == 0)
    }

    /// 100 Hz samples of a still half squat: knee at 60°, shank tilted 30° forward.
    private func runSquat(_ monitor: inout LoadMonitor, seconds: Int, afterEach: (Double, LoadMonitor) -> Void) {
        var events = EventBuffer()
        let tilt = 30.0 * Double.pi / 180
        for i in 0..<(seconds * 100) {
            let t = Double(i) * 0.01
            let sample = SensorSample(
                time: t, accel: Vector3(cos(tilt), -sin(tilt), 0), gyro: Vector3(0, 0, 0), kneeFlexDeg: 60)
            monitor.process(sample, events: &events)
            events.removeAll()
            afterEach(t, monitor)
        }
    }
}

@Suite struct ResumeClockTests {
    @Test func aClockAfterTheCheckpointContinuesAsTheEngineDoes() throws {
        let state = try richState()
        let now = state.savedAtEpochSeconds + 3 * 86_400
        let continued = try state.continuedAccumulator(nowEpochSeconds: now, utcOffsetSeconds: 3600)
        let expected = try LoadAccumulator(
            continuing: state.accumulator, localTime: try LocalTime(epochSecondsAtStart: now, utcOffsetSeconds: 3600))
        #expect(continued.snapshot == expected.snapshot)
        #expect(continued.localTime.epochSecondsAtStart == now)
    }

    @Test func aClockBehindTheHistoryStartsAtTheLastRecordedDay() throws {
        let state = try richState()
        let lastDay = state.accumulator.today.day
        // A board without RTC before NTP: 1970. And DST moving the offset back across midnight.
        for (now, offset) in [(0.0, 3600), (state.savedAtEpochSeconds - 86_400, 7200)] {
            let continued = try state.continuedAccumulator(nowEpochSeconds: now, utcOffsetSeconds: offset)
            #expect(continued.today.day == lastDay)
            #expect(continued.today.loadBWs == state.accumulator.today.loadBWs)
            #expect(continued.lifetimeLoadBWs == state.accumulator.lifetimeLoadBWs)
            #expect(continued.dailyHistory == state.accumulator.dailyHistory)
        }
        #expect(throws: LoadAccumulatorError.self) {
            try state.continuedAccumulator(nowEpochSeconds: .nan, utcOffsetSeconds: 0)
        }
        #expect(throws: LoadAccumulatorError.self) {
            try state.continuedAccumulator(nowEpochSeconds: 0, utcOffsetSeconds: 100_000)
        }
    }
}
