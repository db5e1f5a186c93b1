import GaitSimulator
import KneeloadCore
import Testing

@testable import KneeloadEngine

/// Feeding the engine runs of samples (`process(contentsOf:)`, `processForAccounting(_:events:accepted:)`)
/// must give exactly what feeding it one sample at a time gives, whatever the run lengths, with refused
/// samples among them, and with copies of the engine taken between runs (they share its history's storage
/// until it appends again, and must not see what it appends).
@Suite struct EngineRunTests {
    /// A stairs session with the gyro, and the same without, with invalid samples and gaps mixed in.
    static func samples(gyro: Bool) throws -> [SensorSample] {
        var scenario = try Scenario.builtIn(named: "stairs")
        scenario.rig.gyro = gyro
        var rig = FastRig(scenario: scenario)
        var samples = rig.samples(rate: 200).map(\.0)
        // Refused: a NaN knee, an infinite acceleration, a time going backwards; then a 0.1 s hole (bridged)
        // and a 2 s one (a gap that ends the bout).
        samples[1000].kneeFlexDeg = .nan
        samples[2000].accel.y = .infinity
        samples[3000].time = samples[2990].time
        samples.removeSubrange(8000..<8020)
        samples.removeSubrange(5000..<5400)
        return samples
    }

    /// Run lengths that cover single samples, odd sizes and long runs, repeating.
    static let runLengths = [1, 7, 4096, 2, 333, 1, 1000]

    /// Hands `samples` to `body` in runs of `runLengths`, in order, with each run's number.
    static func forEachRun(of samples: [SensorSample], _ body: (Int, UnsafeBufferPointer<SensorSample>) -> Void) {
        samples.withUnsafeBufferPointer { all in
            var start = 0
            var run = 0
            while start < all.count {
                let end = min(start + runLengths[run % runLengths.count], all.count)
                body(run, UnsafeBufferPointer(rebasing: all[start..<end]))
                start = end
                run += 1
            }
        }
    }

    @Test(arguments: [true, false])
    func runsGiveWhatSingleSamplesGive(gyro: Bool) throws {
        let samples = try Self.samples(gyro: gyro)
        var single = KneeLoadEngine()
        var singleEvents = EventBuffer()
        for sample in samples { single.process(sample, events: &singleEvents) }
        single.finish(events: &singleEvents)

        var batched = KneeLoadEngine()
        var batchedEvents = EventBuffer()
        var copies: [KneeLoadEngine] = []
        Self.forEachRun(of: samples) { number, run in
            batched.process(contentsOf: run, events: &batchedEvents)
            if number % 3 == 0 { copies.append(batched) }
        }
        batched.finish(events: &batchedEvents)

        #expect(singleEvents.events.count > 50)
        #expect(batchedEvents.events == singleEvents.events)
        #expect(batched.totals == single.totals)
        #expect(batched.totals.rejectedSamples == 3)
        // A copy still holds the state it was taken in: finishing it gives what finishing a one-sample-at-a-time
        // engine at that point gives. An early copy, followed by more samples than the history holds (8192
        // slots): appends into a shared storage would overwrite every sample the copy still needs.
        let copy = try #require(copies.first { $0.totals.samples >= 1000 })
        var reference = KneeLoadEngine()
        var referenceEvents = EventBuffer()
        for sample in samples.prefix(copy.totals.samples + copy.totals.rejectedSamples) {
            reference.process(sample, events: &referenceEvents)
        }
        #expect(copy.totals == reference.totals)
        #expect(copy.totals.samples < single.totals.samples - 2 * 8192)
        var copyEvents = EventBuffer()
        var finishedCopy = copy
        finishedCopy.finish(events: &copyEvents)
        let before = referenceEvents.count
        reference.finish(events: &referenceEvents)
        #expect(finishedCopy.totals == reference.totals)
        #expect(copyEvents.events == Array(referenceEvents.events[before...]))
    }

    @Test(arguments: [true, false])
    func accountingRunsGiveWhatSingleSamplesGive(gyro: Bool) throws {
        let samples = try Self.samples(gyro: gyro)
        var single = KneeLoadEngine()
        var singleEvents = EventBuffer()
        var expected: [KneeLoadEngine.AcceptedSample] = []
        for sample in samples {
            let acceptedBefore = single.acceptedSamples
            single.process(sample, events: &singleEvents)
            guard single.acceptedSamples != acceptedBefore else {
                #expect(singleEvents.isEmpty)
                continue
            }
            expected.append(
                KneeLoadEngine.AcceptedSample(
                    t: sample.time, engineLoadBWs: single.cumulativeLoadBWs, eventCount: singleEvents.count))
            singleEvents.removeAll()
        }

        var batched = KneeLoadEngine()
        var batchedEvents = EventBuffer()
        var accepted: [KneeLoadEngine.AcceptedSample] = []
        var eventsInOrder: [EngineEvent] = []
        Self.forEachRun(of: samples) { _, run in
            let output = UnsafeMutablePointer<KneeLoadEngine.AcceptedSample>.allocate(capacity: run.count)
            defer { output.deallocate() }
            let written = batched.processForAccounting(run, events: &batchedEvents, accepted: output)
            accepted.append(contentsOf: UnsafeBufferPointer(start: output, count: written))
            eventsInOrder.append(contentsOf: batchedEvents.events)
            batchedEvents.removeAll()
        }
        #expect(accepted.count == samples.count - 3)
        #expect(accepted == expected)
        #expect(accepted.reduce(0) { $0 + $1.eventCount } == eventsInOrder.count)
        #expect(batched.totals == single.totals)
    }
}
