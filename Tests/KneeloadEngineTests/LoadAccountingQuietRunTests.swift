import KneeloadCore
import Testing

@testable import KneeloadEngine

/// `LoadAccounting.acceptQuietPrefix` must leave exactly what sample-by-sample `accept` leaves: the same events
/// (alerts at the same samples), the same sums to the last bit, the same alert states, across window bins, a
/// local midnight, alerts and warnings crossing in the middle of runs, cooldowns ending, acknowledgements,
/// gaps and samples without load.
@Suite struct LoadAccountingQuietRunTests {
    struct Input {
        var samples: [KneeLoadEngine.AcceptedSample] = []
        /// The events each sample carries, `eventCount` of them.
        var events: [[EngineEvent]] = []
        /// Acknowledgements by sample index.
        var acknowledgements: Set<Int> = []
    }

    /// A stream at `rate` Hz: quasi-static load every sample (none while "standing"), a step every ~0.5 s
    /// (every fifth a stair descent) with its impulse, gaps, and acknowledgements now and then.
    static func input(rate: Double, seed: UInt64, count: Int, startT: Double) -> Input {
        var random = SeededGenerator(seed: seed)
        var input = Input()
        var t = startT
        var load = 0.0
        var nextStep = t + 0.5
        var standingUntil = -1.0
        var steps = 0
        for index in 0..<count {
            t += 1 / rate
            if Double.random(in: 0..<1, using: &random) < 0.002 { t += Double.random(in: 0.1..<20, using: &random) }
            if Double.random(in: 0..<1, using: &random) < 0.001 { standingUntil = t + Double.random(in: 1..<30, using: &random) }
            if t >= standingUntil { load += Double.random(in: 0..<0.02, using: &random) }
            var events: [EngineEvent] = []
            if t >= nextStep, t >= standingUntil {
                let step = StepLoad(time: t - 0.3, peakBW: 3, impulseBWs: Double.random(in: 0.2..<1.5, using: &random))
                load += step.impulseBWs
                events.append(.step(step))
                steps += 1
                if steps % 5 == 0 { events.append(.stairDescentStep(step)) }
                nextStep = t + Double.random(in: 0.35..<0.7, using: &random)
            }
            input.samples.append(.init(t: t, engineLoadBWs: load, eventCount: events.count))
            input.events.append(events)
            if Double.random(in: 0..<1, using: &random) < 0.0005 { input.acknowledgements.insert(index) }
        }
        return input
    }

    static func accounting(rearm: AlertLimits.RearmMode, localTime: LocalTime) throws -> LoadAccounting {
        var limits = AlertLimits()
        limits.sessionLoadBWs = 400
        limits.loadRateBWsPerMin = 45
        limits.sessionStairDescentSteps = 40
        limits.warningFraction = 0.8
        limits.rearm = rearm
        limits.cooldownS = 20
        limits.rearmFraction = 0.9
        return LoadAccounting(accumulator: LoadAccumulator(localTime: localTime), policy: try AlertPolicy(limits: limits))
    }

    /// Runs `input` one sample at a time, or in runs through `acceptQuietPrefix` (`runLength` samples a run,
    /// as a replay's batches hand them over); returns what came out.
    static func run(_ input: Input, _ accounting: inout LoadAccounting, runLength: Int?) -> ([EngineEvent], Int) {
        var engineEvents = EventBuffer()
        var out = EventBuffer()
        var quietSamples = 0
        func acceptOne(_ index: Int) {
            let sample = input.samples[index]
            for event in input.events[index] { engineEvents.append(event) }
            accounting.accept(at: sample.t, engineLoadBWs: sample.engineLoadBWs, engineEvents: &engineEvents, events: &out)
            if input.acknowledgements.contains(index) { accounting.acknowledge(at: sample.t) }
        }
        guard let runLength else {
            for index in input.samples.indices { acceptOne(index) }
            return (out.events, 0)
        }
        input.samples.withUnsafeBufferPointer { all in
            var index = 0
            while index < all.count {
                // A run ends at the batch's end, and before an acknowledgement (the caller's business).
                var end = min(all.count, (index / runLength + 1) * runLength)
                if let ack = input.acknowledgements.filter({ $0 >= index && $0 < end }).min() { end = ack }
                let taken = accounting.acceptQuietPrefix(of: UnsafeBufferPointer(rebasing: all[index..<end]))
                quietSamples += taken
                index += taken
                if index < all.count { acceptOne(index); index += 1 }
            }
        }
        return (out.events, quietSamples)
    }

    @Test(arguments: [AlertLimits.RearmMode.acknowledge, .cooldown], [(200.0, 1 as UInt64), (60, 2), (1000, 3)])
    func runsAccountExactlyAsSampleBySample(rearm: AlertLimits.RearmMode, stream: (rate: Double, seed: UInt64)) throws {
        // A local midnight comes about a minute in.
        let localTime = try LocalTime(epochSecondsAtStart: 86_400 * 20_000 - 60, utcOffsetSeconds: 0)
        let count = Int(stream.rate * 600)
        let input = Self.input(rate: stream.rate, seed: stream.seed, count: count, startT: 0)
        var reference = try Self.accounting(rearm: rearm, localTime: localTime)
        let (expected, _) = Self.run(input, &reference, runLength: nil)
        let alerts = expected.filter { if case .alert = $0 { true } else { false } }.count
        #expect(alerts >= 6, "the stream crosses limits often enough to test crossings (\(alerts) alerts)")
        #expect(reference.accumulator.dailyHistory.count == 1, "the stream crosses a local midnight")
        for runLength in [4096, 97, 1] {
            var runs = try Self.accounting(rearm: rearm, localTime: localTime)
            let (events, quiet) = Self.run(input, &runs, runLength: runLength)
            #expect(events == expected, "events, runs of \(runLength)")
            #expect(runs.accumulator.snapshot == reference.accumulator.snapshot, "accumulator, runs of \(runLength)")
            #expect(runs.accumulator.lifetimeLoadBWs.bitPattern == reference.accumulator.lifetimeLoadBWs.bitPattern)
            #expect(runs.policy.snapshot == reference.policy.snapshot, "alert states, runs of \(runLength)")
            #expect(runs.refusedUpdates == reference.refusedUpdates)
            // Most samples take the quiet path, or the test would not test it.
            if runLength > 1 { #expect(Double(quiet) > 0.6 * Double(count), "\(quiet) of \(count) samples in runs") }
        }
    }

    @Test func nothingIsTakenWithoutASession() throws {
        var accounting = try Self.accounting(rearm: .cooldown, localTime: .unixEpochUTC)
        let samples = [KneeLoadEngine.AcceptedSample(t: 0.01, engineLoadBWs: 0.1, eventCount: 0)]
        #expect(samples.withUnsafeBufferPointer { accounting.acceptQuietPrefix(of: $0) } == 0)
        #expect(accounting.accumulator.currentSession == nil)
    }
}
