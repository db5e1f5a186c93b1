import KneeloadCore
import KneeloadEngine
import Testing

/// End-to-end checks on hand-built signals (no simulator): counts, classification, load ranges, rates.
@Suite struct EngineSyntheticTests {
    struct Outcome {
        var steps = 0
        var descents = 0
        var peaks: [Double] = []
        var totals = EngineTotals()
        var times: [Double] = []
    }

    static func run(_ samples: [SensorSample]) -> Outcome {
        var engine = KneeLoadEngine()
        var buffer = EventBuffer()
        var outcome = Outcome()
        func drain() {
            for e in buffer.events {
                switch e {
                case .step(let s):
                    outcome.steps += 1
                    outcome.peaks.append(s.peakBW)
                    outcome.times.append(s.time)
                case .stairDescentStep: outcome.descents += 1
                case .alert: break
                }
            }
            buffer.removeAll()
        }
        for s in samples {
            engine.process(s, events: &buffer)
            drain()
        }
        engine.finish(events: &buffer)
        drain()
        outcome.totals = engine.totals
        return outcome
    }

    @Test(arguments: [true, false])
    func walkingCountsEveryStride(gyro: Bool) {
        let gait = SyntheticGait(pattern: SyntheticGait.walking)
        let o = Self.run(gait.samples(rate: 100, strides: 30, gyro: gyro))
        #expect(o.steps == 30)
        #expect(o.descents == 0)
        let median = o.peaks.sorted()[o.peaks.count / 2]
        #expect(median > 0.4 && median < 1.1)
    }

    @Test(arguments: [true, false])
    func runningCountsEveryStride(gyro: Bool) {
        let gait = SyntheticGait(pattern: SyntheticGait.running)
        let o = Self.run(gait.samples(rate: 100, strides: 30, gyro: gyro))
        #expect(o.steps == 30)
        #expect(o.descents == 0)
        let median = o.peaks.sorted()[o.peaks.count / 2]
        #expect(median > 4 && median < 7)
    }

    @Test(arguments: [true, false])
    func stairDescentIsLabelled(gyro: Bool) {
        let gait = SyntheticGait(pattern: SyntheticGait.stairDescent)
        let o = Self.run(gait.samples(rate: 100, strides: 12, gyro: gyro))
        #expect(o.steps == 12)
        #expect(o.descents >= 11)
        #expect(o.totals.stairDescentFlights == 1)
        let median = o.peaks.sorted()[o.peaks.count / 2]
        #expect(median > 2.5 && median < 4.5)
    }
}

extension EngineSyntheticTests {
    /// A recording that ends in a swing, or less than 0.1 s after its foot contact, has no step for that
    /// contact (the "contact" could be the swing's end); one that ends 0.15 s into the stance has.
    @Test(arguments: [true, false])
    func aContactWithoutRecordedStanceIsNotCounted(gyro: Bool) {
        let gait = SyntheticGait(pattern: SyntheticGait.walking)
        let all = gait.samples(rate: 100, strides: 12, gyro: gyro)
        // Contacts at 2 s + k × stride; the first one has no swing before it, so a cut just after the
        // contact at k = 10 leaves ten steps, and one before it nine.
        let contact = 2 + 10 * SyntheticGait.walking.strideS
        for (cutAfterContact, steps) in [(-0.02, 9), (0.04, 9), (0.15, 10)] {
            let o = Self.run(all.filter { $0.time < contact + cutAfterContact })
            #expect(o.steps == steps, "cut \(cutAfterContact) s after the contact: \(o.times)")
        }
    }
}
