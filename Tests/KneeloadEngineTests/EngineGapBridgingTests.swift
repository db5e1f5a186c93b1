import GaitSimulator
import KneeloadCore
import Testing

@testable import KneeloadEngine

/// Short holes in the data (a wireless link's lost packets, an I2C retry) are bridged by interpolation
/// (`KneeLoadEngine.bridgeableGapS`) instead of restarting the gait detection, which lost the strides
/// around every hole; longer ones still end the bout. Either way the missing samples count as dropped.
@Suite struct EngineGapBridgingTests {
    /// The scenario's samples at `rate`, less holes of `holeS` every `everyS` seconds (from 3 s on), and how
    /// many samples the holes took.
    static func samples(_ scenario: Scenario, rate: Double, holeS: Double, everyS: Double) -> ([SensorSample], Int) {
        var rig = FastRig(scenario: scenario)
        let all = rig.samples(rate: rate).map(\.0)
        var kept: [SensorSample] = []
        var removed = 0
        for s in all {
            let phase = s.time.truncatingRemainder(dividingBy: everyS)
            // The hole sits at a different phase of the stride each time (everyS is not a multiple of it).
            if s.time > 3 && phase >= 1 && phase < 1 + holeS {
                removed += 1
            } else {
                kept.append(s)
            }
        }
        return (kept, removed)
    }

    static func run(_ samples: [SensorSample]) -> (totals: EngineTotals, events: [EngineEvent]) {
        var engine = KneeLoadEngine()
        var buffer = EventBuffer()
        for s in samples { engine.process(s, events: &buffer) }
        engine.finish(events: &buffer)
        return (engine.totals, buffer.events)
    }

    @Test(arguments: ["walk", "run", "stairs"], [true, false])
    func shortHolesKeepTheSteps(name: String, gyro: Bool) throws {
        var scenario = try Scenario.builtIn(named: name)
        scenario.rig.gyro = gyro
        let truth = GaitSynthesizer(scenario: scenario).truth().counts
        let whole = Self.run(Self.samples(scenario, rate: 60, holeS: 0, everyS: 4.7).0)
        // 9 samples (0.15 s) missing every 4.7 s: ~2 % of the data, a hole in every ~4th stride.
        let (holed, removed) = Self.samples(scenario, rate: 60, holeS: 0.15, everyS: 4.7)
        let bridged = Self.run(holed)
        let text = "\(name) gyro \(gyro): \(bridged.totals.steps) steps, \(bridged.totals.stairDescentSteps) descents"
            + " with holes, \(whole.totals.steps) / \(whole.totals.stairDescentSteps) without, truth \(truth.steps)"
            + " / \(truth.stairDescentSteps)"
        let context = Comment(rawValue: text)
        #expect(removed > 100, context)
        #expect(SimulatedScenarioTests.relativeError(bridged.totals.steps, truth.steps) <= 0.02, context)
        // A hole can hide a whole swing (a running swing's gyro lobe lasts ~0.15 s): at most one step in five
        // holes may go (without the bridge, ~10 % of the steps went).
        let holes = removed / 9
        #expect(abs(bridged.totals.steps - whole.totals.steps) <= max(1, holes / 5), context)
        #expect(abs(bridged.totals.stairDescentSteps - whole.totals.stairDescentSteps) <= 1, context)
        // The interpolated samples are not samples: the holes count as dropped, exactly (CONTRACTS §2).
        #expect(bridged.totals.samples == holed.count)
        #expect(bridged.totals.droppedSamples == removed)
        // The load goes on through the holes: within 3 % of the whole data's.
        #expect(abs(bridged.totals.cumulativeLoadBWs / whole.totals.cumulativeLoadBWs - 1) < 0.03, context)
    }

    /// A hole longer than `bridgeableGapS` is not filled in: it ends the bout and the stride across it is lost.
    @Test func longHolesEndTheBout() throws {
        let scenario = try Scenario.builtIn(named: "walk")
        let (short, _) = Self.samples(scenario, rate: 60, holeS: 0.25, everyS: 4.7)
        let (long, removed) = Self.samples(scenario, rate: 60, holeS: 0.6, everyS: 4.7)
        let bridged = Self.run(short).totals
        let broken = Self.run(long).totals
        let holes = Double(removed) / 60 / 0.6
        #expect(KneeLoadEngine.bridgeableGapS < 0.6 && KneeLoadEngine.bridgeableGapS > 0.25)
        #expect(Double(bridged.steps - broken.steps) > 0.5 * holes, "\(bridged.steps) vs \(broken.steps) over \(holes) holes")
        #expect(broken.samples == long.count)
        #expect(broken.droppedSamples == removed)
    }

    /// The history, which the stride measurements read, is filled across the hole: entries at even times,
    /// interpolated from the last sample's to the new one's, without a contact transient.
    @Test func theHistoryIsFilledAcrossTheHole() {
        var engine = KneeLoadEngine()
        var buffer = EventBuffer()
        for k in 0..<100 {
            engine.process(
                SensorSample(time: Double(k) / 100, accel: Vector3(1, 0, 0), gyro: .zero, kneeFlexDeg: 5),
                events: &buffer)
        }
        // 0.1 s hole (9 samples), over which the knee goes from 5° to 25° and the shank starts to turn.
        engine.process(
            SensorSample(time: 1.09, accel: Vector3(0, 1, 0), gyro: Vector3(0, 0, 100), kneeFlexDeg: 25),
            events: &buffer)
        let t = engine.totals
        #expect(t.samples == 101)
        #expect(t.droppedSamples == 9)
        let h = engine.history
        #expect(h.lastIndex - h.oldestReadable + 1 == 110)
        for j in 1...9 {
            let i = h.lastIndex - 10 + j
            let f = Double(j) / 10
            #expect(abs(h.time(i) - (0.99 + 0.01 * Double(j))) < 1e-12)
            #expect(abs(h.knee(i) - (5 + 20 * f)) < 1e-9)
            #expect(abs(h.accel(i).x - (1 - f)) < 1e-12 && abs(h.accel(i).y - f) < 1e-12)
            // Nominal axes and no gyro bias learned yet: the sagittal rate is the z rate.
            #expect(abs(h.rate(i) - 100 * f) < 1e-9)
            #expect(h.impact(i) == 0)
        }
    }
}
