import GaitSimulator
import KneeloadCore
import KneeloadEngine
import KneeloadSimulation
import Testing

/// One run through the whole simulated rig: body model → mounted chips on the simulated I2C bus → the real
/// drivers → samples → engine. Slower than `FastRig`, so one short scenario, three seeds (seed 1 has fast
/// descents whose detected contact lands a few samples into the knee's flexion).
@Suite struct EndToEndRigTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func stairsScenarioThroughTheSimulatedRig(seed: UInt64) throws {
        var scenario = try Scenario.builtIn(named: "stairs")
        scenario.seed = seed
        let rig = SimulatedRig(scenario: scenario)
        let runner = try SimulationRunner(rig: rig, rateHz: 100)
        var engine = KneeLoadEngine(configuration: EngineConfiguration(bodyHeightM: scenario.subject.heightM))
        var buffer = EventBuffer()
        var lastTime = -Double.infinity
        var ordered = true
        try runner.run { sample, _ in
            engine.process(sample, events: &buffer)
            for e in buffer.events {
                if e.time < lastTime { ordered = false }
                lastTime = e.time
            }
            buffer.removeAll()
        }
        engine.finish(events: &buffer)
        let truth = GaitSynthesizer(scenario: scenario).truth()
        let totals = engine.totals
        #expect(totals.samples > 10_000, "\(totals)")
        #expect(ordered)
        #expect(abs(totals.sampleRateHz - 100) < 0.5)
        #expect(abs(Double(totals.steps - truth.counts.steps)) <= 0.02 * Double(truth.counts.steps))
        #expect(
            abs(Double(totals.stairDescentSteps - truth.counts.stairDescentSteps))
                <= 0.05 * Double(truth.counts.stairDescentSteps), "\(totals.stairDescentSteps) of \(truth.counts.stairDescentSteps)")
        #expect(totals.stairDescentFlights == truth.counts.stairDescentFlights)
    }
}
