import KneeloadCore
import KneeloadEngine
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Rig imperfections on the hand-built signals: misaligned straps, knee drift, clipping, rates, squats.
@Suite struct EngineRobustnessTests {
    static func misaligned(_ samples: [SensorSample], by r: Rotation3) -> [SensorSample] {
        samples.map { s in
            SensorSample(time: s.time, accel: r * s.accel, gyro: s.gyro.map { r * $0 }, kneeFlexDeg: s.kneeFlexDeg)
        }
    }

    @Test(arguments: [(25.0, 10.0, 5.0), (-30, 20, 15), (15, -35, 30), (40, 5, -20)])
    func misalignedStrapStillCountsAndSeparates(roll: Double, pitch: Double, yaw: Double) {
        let r = Rotation3.rollPitchYaw(rollDeg: roll, pitchDeg: pitch, yawDeg: yaw).transposed
        for (pattern, strides, descents) in [
            (SyntheticGait.walking, 25, 0), (SyntheticGait.running, 25, 0), (SyntheticGait.stairDescent, 12, 12),
        ] {
            for gyro in [true, false] {
                let samples = Self.misaligned(
                    SyntheticGait(pattern: pattern).samples(rate: 100, strides: strides, gyro: gyro), by: r)
                let o = EngineSyntheticTests.run(samples)
                #expect(o.steps == strides, "\(pattern.strideS) gyro \(gyro)")
                #expect(abs(o.descents - descents) <= 1, "\(pattern.strideS) gyro \(gyro)")
            }
        }
    }

    @Test(arguments: [-18.0, 15.0, 20.0])
    func kneeDriftIsCorrected(offset: Double) {
        var gait = SyntheticGait(pattern: SyntheticGait.running)
        gait.kneeOffsetDeg = offset
        let o = EngineSyntheticTests.run(gait.samples(rate: 100, strides: 30))
        #expect(o.steps == 30)
        #expect(o.descents == 0)
        let median = o.peaks.sorted()[o.peaks.count / 2]
        #expect(median > 4 && median < 7)
        var stairs = SyntheticGait(pattern: SyntheticGait.stairDescent)
        stairs.kneeOffsetDeg = offset
        let d = EngineSyntheticTests.run(stairs.samples(rate: 100, strides: 12))
        #expect(d.descents >= 11)
    }

    @Test func clippedAtTwoG() {
        var gait = SyntheticGait(pattern: SyntheticGait.running)
        gait.clipG = 2
        for gyro in [true, false] {
            let o = EngineSyntheticTests.run(gait.samples(rate: 60, strides: 30, gyro: gyro))
            #expect(o.steps == 30)
            #expect(o.descents == 0)
        }
    }

    @Test(arguments: [true, false])
    func sameStepsAndLoadAt50To200Hz(gyro: Bool) {
        for pattern in [SyntheticGait.walking, SyntheticGait.running, SyntheticGait.stairDescent] {
            let outcomes = [50.0, 100, 200].map {
                EngineSyntheticTests.run(SyntheticGait(pattern: pattern).samples(rate: $0, strides: 20, gyro: gyro))
            }
            let reference = outcomes[1]
            for o in outcomes {
                #expect(o.steps == reference.steps)
                #expect(abs(o.totals.cumulativeLoadBWs / reference.totals.cumulativeLoadBWs - 1) < 0.05)
            }
        }
    }

    /// Squats: knee 0 → 90 → 0 in 3 s with the shank inclining forward, standing between; no steps, and the
    /// quasi-static load reaches several body weights.
    @Test(arguments: [true, false])
    func squatsAreNotSteps(gyro: Bool) {
        var samples: [SensorSample] = []
        let rate = 100.0
        for k in 0..<Int(40 * rate) {
            let t = Double(k) / rate
            let cycle = 4.0
            let p = ((t - 2).truncatingRemainder(dividingBy: cycle)) / 3
            let depth = t < 2 || p > 1 ? 0 : (1 - cos(2 * Double.pi * p)) / 2
            let knee = 90 * depth + 1
            let phi = 40 * depth * Double.pi / 180
            let dphi = t < 2 || p > 1 ? 0 : 40 * Double.pi * sin(2 * Double.pi * p) / 3
            samples.append(
                SensorSample(
                    time: t, accel: Vector3(cos(phi), -sin(phi), 0), gyro: gyro ? Vector3(0, 0, dphi) : nil,
                    kneeFlexDeg: knee))
        }
        let o = EngineSyntheticTests.run(samples)
        #expect(o.steps == 0)
        #expect(o.descents == 0)
        #expect(o.totals.peakBW > 3 && o.totals.peakBW < 7)
        #expect(o.totals.quasiStaticLoadBWs > 10)
    }

    @Test func standingAndSittingGiveNothing() {
        var samples: [SensorSample] = []
        for k in 0..<3000 {
            let t = Double(k) / 100
            let sitting = t > 10
            samples.append(SensorSample(time: t, accel: Vector3(1, 0, 0), gyro: .zero, kneeFlexDeg: sitting ? 95 : 2))
        }
        let o = EngineSyntheticTests.run(samples)
        #expect(o.steps == 0)
        #expect(o.totals.cumulativeLoadBWs < 0.5)
        #expect(abs(o.totals.sampleRateHz - 100) < 0.01)
    }

    @Test func badSamplesAreIgnoredAndCounted() {
        var engine = KneeLoadEngine()
        var buffer = EventBuffer()
        let good = SensorSample(time: 1, accel: Vector3(1, 0, 0), gyro: .zero, kneeFlexDeg: 2)
        engine.process(good, events: &buffer)
        engine.process(SensorSample(time: 1.01, accel: Vector3(.nan, 0, 0), gyro: .zero, kneeFlexDeg: 2), events: &buffer)
        engine.process(SensorSample(time: 0.5, accel: Vector3(1, 0, 0), gyro: .zero, kneeFlexDeg: 2), events: &buffer)
        engine.process(SensorSample(time: 1.02, accel: Vector3(1, 0, 0), gyro: Vector3(0, .infinity, 0), kneeFlexDeg: 2), events: &buffer)
        engine.process(SensorSample(time: 1.03, accel: Vector3(1, 0, 0), gyro: .zero, kneeFlexDeg: 2), events: &buffer)
        #expect(engine.totals.samples == 2)
        #expect(engine.totals.rejectedSamples == 3)
    }

    @Test func aGapCountsDroppedSamplesAndDoesNotInventSteps() {
        let gait = SyntheticGait(pattern: SyntheticGait.walking)
        // Remove 1.5 s in the middle of a walk.
        let samples = gait.samples(rate: 100, strides: 20).filter { $0.time < 10 || $0.time >= 11.5 }
        let o = EngineSyntheticTests.run(samples)
        // Last sample 9.99 s, next 11.50 s: 151 periods, so 150 samples are missing.
        #expect(o.totals.droppedSamples == 150)
        #expect(o.steps >= 18 && o.steps <= 20)
    }
}
