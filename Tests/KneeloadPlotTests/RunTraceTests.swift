import Foundation
import KneeloadCore
import KneeloadEngine
import KneeloadReplay
import Testing

@testable import KneeloadPlot

@Suite struct RunTraceTests {
    @Test func anHourAt200HzStaysWithinCapacityAndKeepsPeaksAndCounts() {
        var trace = RunTrace(capacity: 1024)
        let count = 3600 * 200
        var low = Double.infinity, high = -Double.infinity
        for i in 0..<count {
            let t = 1000 + Double(i) / 200
            // A stride-like wave with a rare sharp spike that a mean would hide.
            let knee = 40 + 35 * sin(t * 5.2) + (i == 123_457 ? 80 : 0)
            low = min(low, knee)
            high = max(high, knee)
            trace.add(time: t, kneeFlexDeg: knee, loadLastMinuteBWs: Double(i % 7000) / 10, sessionLoadBWs: Double(i) / 100)
        }
        #expect(trace.buckets.count <= 1024 && trace.buckets.count > 512)
        #expect(trace.bucketWidth.significand == 1, "widths stay powers of two: \(trace.bucketWidth)")
        #expect(trace.buckets.reduce(0) { $0 + $1.samples } == count)
        #expect(trace.buckets.map(\.kneeMaxDeg).max() == high)
        #expect(trace.buckets.map(\.kneeMinDeg).min() == low)
        #expect(trace.buckets.map(\.loadLastMinuteMaxBWs).max() == 699.9)
        #expect(trace.buckets.last?.sessionLoadMaxBWs == Double(count - 1) / 100)
        #expect(abs(trace.durationS - Double(count - 1) / 200) < 1e-6)
    }

    @Test func aGapLeavesEmptyBucketsAndBadValuesAreLeftOut() {
        var trace = RunTrace(capacity: 64, initialBucketWidthS: 1)
        trace.add(time: 0.5, kneeFlexDeg: 10, loadLastMinuteBWs: 0, sessionLoadBWs: 0)
        trace.add(time: 1.5, kneeFlexDeg: .nan, loadLastMinuteBWs: 0, sessionLoadBWs: 0)
        trace.add(time: -3, kneeFlexDeg: 20, loadLastMinuteBWs: 0, sessionLoadBWs: 0)
        trace.add(time: 10.2, kneeFlexDeg: 30, loadLastMinuteBWs: 2, sessionLoadBWs: 5)
        #expect(trace.buckets.count == 10)
        #expect(trace.buckets.filter { !$0.isEmpty }.count == 2)
        #expect(trace.buckets[9].kneeMaxDeg == 30 && trace.buckets[9].sessionLoadMaxBWs == 5)
        #expect(trace.origin == 0.5 && trace.lastTime == 10.2)
    }

    @Test func aReplayObserverSeesEverySampleAndTheLoadTheSummaryReports() throws {
        var csv = "t_s,ax_g,ay_g,az_g,knee_flex_deg\n"
        for i in 0..<3000 {
            let t = Double(i) / 100
            let knee = 30 + 25 * sin(t * 6)
            csv += "\(t),\(1 + 0.4 * sin(t * 6)),\(0.1 * cos(t * 6)),0,\(knee)\n"
        }
        var trace = RunTrace()
        let session = try ReplaySession(
            input: Array(csv.utf8), file: "wave.csv", configuration: EngineConfiguration(), limits: AlertLimits(),
            observer: { trace.add($0, monitor: $1) })
        #expect(trace.buckets.reduce(0) { $0 + $1.samples } == session.summary.samples)
        #expect(abs(trace.durationS - session.summary.totals.durationS) < 1e-9)
        let sessionLoad = trace.buckets.map(\.sessionLoadMaxBWs).max() ?? 0
        #expect(sessionLoad <= session.summary.totals.cumulativeLoadBWs + 1e-9)
    }
}
