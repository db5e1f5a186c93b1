import KneeloadCore
import KneeloadEngine
import Testing
import Foundation

@Suite struct DebugDump {
    @Test func dump() {
        guard ProcessInfo.processInfo.environment["KL_DEBUG"] != nil else { return }
        for (name, p) in [("walk", SyntheticGait.walking), ("run", SyntheticGait.running), ("stairs", SyntheticGait.stairDescent)] {
            for gyro in [true, false] {
                var engine = KneeLoadEngine()
                var buffer = EventBuffer()
                var last: StrideFeatures?
                for s in SyntheticGait(pattern: p).samples(rate: Double(ProcessInfo.processInfo.environment["KL_RATE"] ?? "100")!, strides: 6, gyro: gyro) {
                    engine.process(s, events: &buffer)
                    if let f = engine.lastStride, f != last {
                        last = f
                        print(name, gyro, engine.lastStrideMode!, String(format: "ic %.2f to %.2f T %.2f duty %.2f kIC %.1f pk %.1f share %.2f swing %.1f off %.1f late %.1f early %.1f dip %.1f", f.contactTime, f.toeOffTime, f.periodS, f.dutyFactor, f.kneeAtContactDeg, f.stancePeakKneeDeg, f.stancePeakShare, f.swingPeakKneeDeg, engine.baseline.offsetDeg, f.kneeLateStanceDeg, f.kneeEarlyStanceDeg, f.pushOffDipDeg))
                    }
                }
            }
        }
    }
}

extension DebugDump {
    @Test func rates() {
        guard ProcessInfo.processInfo.environment["KL_DEBUG"] != nil else { return }
        for (name, p) in [("walk", SyntheticGait.walking), ("run", SyntheticGait.running), ("stairs", SyntheticGait.stairDescent)] {
            for rate in [50.0, 100, 200] {
                let o = EngineSyntheticTests.run(SyntheticGait(pattern: p).samples(rate: rate, strides: 20, gyro: true))
                print("RATE", name, rate, o.steps, o.descents, o.totals.cumulativeLoadBWs, o.totals.quasiStaticLoadBWs, o.peaks.prefix(4).map { String(format: "%.2f", $0) })
            }
        }
    }
}
