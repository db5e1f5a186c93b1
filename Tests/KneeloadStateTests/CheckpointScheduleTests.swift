import Testing

@testable import KneeloadState

@Suite struct CheckpointScheduleTests {
    @Test func dueOnceEveryIntervalOfMonotonicTime() throws {
        var schedule = try #require(CheckpointSchedule(start: 100))
        #expect(schedule.interval == 5)
        var taken: [Double] = []
        // 200 Hz for 30 s.
        for i in 0...6000 {
            let t = 100 + Double(i) * 0.005
            if schedule.claimIfDue(at: t) { taken.append(t) }
        }
        #expect(taken.count == 6)
        for (index, t) in taken.enumerated() {
            #expect(abs(t - (105 + 5 * Double(index))) < 1e-9)
        }
        #expect(schedule.lastCheckpoint == taken.last)
    }

    @Test func theShutdownCheckpointRestartsTheInterval() throws {
        var schedule = try #require(CheckpointSchedule(interval: 2, start: 0))
        #expect(!schedule.isDue(at: 1.999))
        #expect(schedule.isDue(at: 2))
        schedule.recordCheckpoint(at: 1.5)
        #expect(!schedule.isDue(at: 3.4))
        #expect(schedule.isDue(at: 3.5))
        // isDue alone does not move the schedule.
        #expect(schedule.isDue(at: 3.5))
    }

    @Test func oddTimesNeitherStopNorFloodCheckpoints() throws {
        var schedule = try #require(CheckpointSchedule(interval: 5, start: 10))
        #expect(!schedule.isDue(at: .nan))
        let claimedAtInfinity = schedule.claimIfDue(at: .infinity)
        #expect(!claimedAtInfinity)
        schedule.recordCheckpoint(at: .nan)
        #expect(schedule.lastCheckpoint == 10)
        // A clock that went backwards: checkpoint now, then the interval runs from there.
        let claimedAfterGoingBack = schedule.claimIfDue(at: 3)
        #expect(claimedAfterGoingBack)
        #expect(!schedule.isDue(at: 7.9))
        #expect(schedule.isDue(at: 8))
    }

    @Test func intervalsMustBeFiniteAndPositive() {
        #expect(CheckpointSchedule(interval: 0, start: 0) == nil)
        #expect(CheckpointSchedule(interval: -1, start: 0) == nil)
        #expect(CheckpointSchedule(interval: .infinity, start: 0) == nil)
        #expect(CheckpointSchedule(interval: .nan, start: 0) == nil)
        #expect(CheckpointSchedule(interval: 1, start: .nan) == nil)
        #expect(CheckpointSchedule(interval: 0.5, start: -3)?.interval == 0.5)
    }
}
