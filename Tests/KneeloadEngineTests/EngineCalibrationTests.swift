import Foundation
import KneeloadCore
import KneeloadEngine
import Testing

/// The engine's learned sensor placement survives a restart: saved, written as JSON, read back and handed to a
/// new engine, which then goes on as the uninterrupted one does.
@Suite struct EngineCalibrationTests {
    /// Walking with the IMU strapped off its axes and the knee sensor reading 15° high, in the sensor's frame.
    func misalignedWalk() -> [SensorSample] {
        let toSensor = Rotation3.rollPitchYaw(rollDeg: 25, pitchDeg: -10, yawDeg: 30).transposed
        let gait = SyntheticGait(pattern: SyntheticGait.walking, kneeOffsetDeg: 15)
        return gait.samples(rate: 100, standS: 3, strides: 40).map {
            SensorSample(time: $0.time, accel: toSensor * $0.accel, gyro: $0.gyro.map { toSensor * $0 }, kneeFlexDeg: $0.kneeFlexDeg)
        }
    }

    func steps(_ engine: inout KneeLoadEngine, _ samples: ArraySlice<SensorSample>) -> [StepLoad] {
        var events = EventBuffer()
        for sample in samples { engine.process(sample, events: &events) }
        engine.finish(events: &events)
        return events.events.compactMap { if case .step(let step) = $0 { step } else { nil } }
    }

    @Test func aRestoredEngineStartsFromTheSavedCalibrationAndGoesOnAsTheUninterruptedOne() throws {
        let samples = misalignedWalk()
        let split = samples.firstIndex { $0.time >= 3 + 20.3 * SyntheticGait.walking.strideS }!
        var uninterrupted = KneeLoadEngine()
        let all = steps(&uninterrupted, samples[...])

        var first = KneeLoadEngine()
        var events = EventBuffer()
        for sample in samples[..<split] { first.process(sample, events: &events) }
        let saved = first.learnedCalibration
        #expect(saved.upFromStanding && saved.lateralLearned)
        #expect(abs(saved.kneeOffsetDeg - 15) < 3)
        let json = try JSONEncoder().encode(saved)
        let read = try JSONDecoder().decode(EngineCalibration.self, from: json)
        #expect(read == saved)
        #expect(read.problem == nil)

        var resumed = KneeLoadEngine(calibration: read)
        #expect(resumed.learnedCalibration == saved)
        #expect(KneeLoadEngine().learnedCalibration == .unlearned)
        let splitTime = samples[split].time
        let later = all.filter { $0.time > splitTime + 2 * SyntheticGait.walking.strideS }
        let resumedSteps = steps(&resumed, samples[split...]).filter { $0.time > splitTime + 2 * SyntheticGait.walking.strideS }
        try #require(resumedSteps.count == later.count)
        // Same steps, same loads: the restored engine measures as if it had never stopped.
        for (a, b) in zip(resumedSteps, later) {
            #expect(abs(a.time - b.time) < 0.011)
            #expect(abs(a.peakBW - b.peakBW) <= 0.02 * b.peakBW)
        }
        // And its calibration ends where the uninterrupted one's does.
        let end = resumed.learnedCalibration, truth = uninterrupted.learnedCalibration
        #expect((end.up - truth.up).norm < 1e-3)
        #expect((end.lateral - truth.lateral).norm < 0.02)
        #expect(abs(end.kneeOffsetDeg - truth.kneeOffsetDeg) < 0.5)
    }

    /// Slow squats right after the restart, with no quiet standing first: their quasi-static load needs the
    /// shank's upright pose, which a fresh engine does not know yet (the strap sits 30° off its axis).
    @Test func squatsRightAfterARestartKeepTheirLoad() throws {
        let toSensor = Rotation3.rollPitchYaw(rollDeg: 0, pitchDeg: 0, yawDeg: 30).transposed
        let rate = 100.0
        let walk = SyntheticGait(pattern: SyntheticGait.walking).samples(rate: rate, standS: 3, strides: 10)
        var samples = walk
        let start = walk.last!.time + 1 / rate
        for k in 0..<Int(20 * rate) {
            // Knee 20°→100°→20° every 2.5 s; the shank leans forward by about half the knee angle.
            let t = Double(k) / rate
            let knee = 60 - 40 * cos(2 * Double.pi * t / 2.5)
            let phi = knee / 2 * Double.pi / 180
            let rateDegPerS = 40 * sin(2 * Double.pi * t / 2.5) * 2 * Double.pi / 2.5 / 2
            samples.append(SensorSample(
                time: start + t, accel: Vector3(cos(phi), -sin(phi), 0), gyro: Vector3(0, 0, rateDegPerS), kneeFlexDeg: knee))
        }
        samples = samples.map {
            SensorSample(time: $0.time, accel: toSensor * $0.accel, gyro: $0.gyro.map { toSensor * $0 }, kneeFlexDeg: $0.kneeFlexDeg)
        }
        let split = walk.count
        func quasiStatic(_ engine: inout KneeLoadEngine, _ part: ArraySlice<SensorSample>) -> Double {
            var events = EventBuffer()
            for sample in part { engine.process(sample, events: &events) }
            return engine.totals.quasiStaticLoadBWs
        }
        var uninterrupted = KneeLoadEngine()
        let before = quasiStatic(&uninterrupted, samples[..<split])
        let saved = uninterrupted.learnedCalibration
        let truth = quasiStatic(&uninterrupted, samples[split...]) - before
        var resumed = KneeLoadEngine(calibration: saved)
        var fresh = KneeLoadEngine()
        let resumedLoad = quasiStatic(&resumed, samples[split...])
        let freshLoad = quasiStatic(&fresh, samples[split...])
        try #require(truth > 10)
        #expect(abs(resumedLoad - truth) <= 0.05 * truth, "resumed \(resumedLoad) vs \(truth) BW·s")
        // Not a vacuous comparison: without the saved pose the same squats come out far off.
        #expect(abs(freshLoad - truth) > 0.2 * truth, "fresh \(freshLoad) vs \(truth) BW·s")
    }

    /// Each damage and a word its problem must name.
    static func damage(_ name: String, _ c: inout EngineCalibration) -> String {
        switch name {
        case "short up": c.up = Vector3(0.9, 0, 0); return "up"
        case "skew lateral": c.lateral = Vector3(0.6, 0, 0.8); return "perpendicular"
        case "up sideways": c.up = Vector3(0, 1, 0); c.lateral = Vector3(0, 0, 1); return "+x"
        case "short covariance": c.rateCovariance = [1, 2, 3]; return "rateCovariance"
        case "offset": c.kneeOffsetDeg = 50; return "kneeOffsetDeg"
        case "rate": c.kneeOffsetRateDegPerS = .nan; return "kneeOffsetRateDegPerS"
        default: c.gaitSeconds = -1; return "gaitSeconds"
        }
    }

    @Test(arguments: ["short up", "skew lateral", "up sideways", "short covariance", "offset", "rate", "gait"])
    func anImplausibleCalibrationIsNamedAndNotUsed(damage: String) {
        var calibration = EngineCalibration.unlearned
        calibration.kneeOffsetDeg = 12
        #expect(calibration.problem == nil)
        let word = Self.damage(damage, &calibration)
        let problem = calibration.problem
        #expect(problem?.contains(word) == true, "\(problem ?? "no problem")")
        #expect(KneeLoadEngine(calibration: calibration).learnedCalibration == .unlearned)
    }
}
