import KneeloadEngine
import KneeloadState
import Testing

/// A restart soon after a checkpoint goes on with the open session on the saved clock; a late one does not.
@Suite struct SessionResumeTests {
    func state(withSession: Bool) throws -> DaemonState {
        var accumulator = LoadAccumulator(localTime: try LocalTime(epochSecondsAtStart: 1_800_000_000, utcOffsetSeconds: 0))
        if withSession { try accumulator.startSession(at: 10) }
        try accumulator.add(loadBWs: 42, at: 100)
        return DaemonState(savedAtEpochSeconds: 1_800_000_100, accumulator: accumulator.snapshot, lifetime: LifetimeCounters())
    }

    @Test func aRestartWithinTheWindowResumesOnTheSavedClock() throws {
        let saved = try state(withSession: true)
        let (resumed, engineTime) = try #require(saved.resumedAccumulator(nowEpochSeconds: 1_800_000_100 + 30))
        #expect(engineTime == 130)
        #expect(resumed.currentSession?.startT == 10)
        #expect(resumed.sessionLoadBWs == 42)
        #expect(resumed.snapshot == saved.accumulator)
    }

    @Test(arguments: [-5.0, DaemonState.sessionResumeWindowS + 1])
    func aRestartOutsideTheWindowDoesNotResume(gap: Double) throws {
        #expect(try state(withSession: true).resumedAccumulator(nowEpochSeconds: 1_800_000_100 + gap) == nil)
    }

    @Test func withoutAnOpenSessionThereIsNothingToResume() throws {
        #expect(try state(withSession: false).resumedAccumulator(nowEpochSeconds: 1_800_000_101) == nil)
    }
}
