import Foundation
import KneeloadEngine
import Testing

@testable import KneeloadPlot

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct RunPlotSVGTests {
    /// A synthetic run: a stride-like knee wave at `rateHz`, steps every 1.1 s, a stair flight every ten
    /// minutes, and the given alerts.
    static func plot(durationS: Double, rateHz: Double = 100, alerts: [AlertEvent] = [], file: String = "run.csv") -> RunPlot {
        var trace = RunTrace()
        let count = Int(durationS * rateHz)
        for i in 0...count {
            let t = 50 + Double(i) / rateHz
            trace.add(
                time: t, kneeFlexDeg: 35 + 30 * sin(t * 5.7), loadLastMinuteBWs: 40 + 20 * sin(t / 30),
                sessionLoadBWs: (t - 50) * 0.8)
        }
        let steps = stride(from: 50.4, through: 50 + durationS, by: 1.1).map { $0 }
        let descents = steps.filter { ($0 - 50).truncatingRemainder(dividingBy: 600) < 12 }
        return RunPlot(
            file: file, durationS: durationS, steps: steps.count, stairDescentSteps: descents.count,
            stairDescentFlights: 1, cumulativeLoadBWs: durationS * 0.8, peakBW: 3.2, trace: trace, stepTimes: steps,
            stairDescentTimes: descents, alerts: alerts, sessionLoadLimitBWs: durationS * 0.6, loadRateLimitBWs: 600)
    }

    static let alerts = [
        AlertEvent(t: 70, kind: .stairDescents, level: .warning, value: 48, limit: 48),
        AlertEvent(t: 70.2, kind: .stairDescents, level: .alert, value: 60, limit: 60),
        AlertEvent(t: 70.2, kind: .cumulativeLoad, level: .alert, value: 61, limit: 60),
        AlertEvent(t: 139, kind: .loadRate, level: .warning, value: 480, limit: 480),
    ]

    func parse(_ bytes: [UInt8]) throws -> XMLDocument {
        try XMLDocument(data: Data(bytes), options: [])
    }

    func nodes(_ document: XMLDocument, _ xpath: String) throws -> [XMLNode] {
        try document.nodes(forXPath: xpath)
    }

    @Test func isWellFormedWithThreePanelsAndOneMarkerPerAlert() throws {
        let plot = Self.plot(durationS: 150, alerts: Self.alerts)
        let document = try parse(RunPlotSVG().render(plot))
        #expect(document.rootElement()?.name == "svg")
        for id in [RunPlotSVG.PartID.kneePanel, RunPlotSVG.PartID.loadRatePanel, RunPlotSVG.PartID.sessionLoadPanel] {
            let panel = try nodes(document, "//*[@id='\(id)']")
            #expect(panel.count == 1, "panel \(id)")
            // Each panel draws its data or its frame: at least a rect and a path or lines.
            #expect(try nodes(document, "//*[@id='\(id)']/*[local-name()='rect'][@fill='none']").count == 1)
            #expect(try nodes(document, "//*[@id='\(id)']/*[local-name()='path']").count >= 1)
        }
        let markers = try nodes(document, "//*[@id='alerts']/*[local-name()='g']")
        #expect(markers.count == Self.alerts.count)
        let kinds = try nodes(document, "//*[@id='alerts']/*/@data-kind").map { $0.stringValue ?? "" }
        #expect(kinds == ["stair_descents", "stair_descents", "cumulative_load", "load_rate"])
        let levels = try nodes(document, "//*[@id='alerts']/*/@class").map { $0.stringValue ?? "" }
        #expect(levels == ["warning", "alert", "alert", "warning"])
        let labels = try nodes(document, "//*[@id='alerts']//*[local-name()='text']").map { $0.stringValue ?? "" }
        #expect(labels == kinds)
    }

    @Test func oneMarkPerStairDescentStepAndTheTitleCounts() throws {
        let plot = Self.plot(durationS: 1300)
        let document = try parse(RunPlotSVG().render(plot))
        let marks = try nodes(document, "//*[@id='stair-descent-steps']/*[local-name()='path']")
        #expect(plot.stairDescentTimes.count > 10)
        #expect(marks.count == plot.stairDescentTimes.count)
        #expect(try nodes(document, "//*[@id='stair-descent-flights']/*[local-name()='rect']").count == 3)
        let texts = try nodes(document, "//*[local-name()='text']").map { $0.stringValue ?? "" }
        #expect(texts.contains("kneeload replay: run.csv"))
        #expect(texts.contains { $0.hasPrefix("21:40 (1300.0 s)") && $0.contains("\(plot.steps) steps") })
        #expect(texts.contains("time since the first sample (min)"))
    }

    @Test func theSameRunGivesTheSameBytes() {
        let first = RunPlotSVG().render(Self.plot(durationS: 300, alerts: Self.alerts))
        let second = RunPlotSVG().render(Self.plot(durationS: 300, alerts: Self.alerts))
        #expect(first == second)
        #expect(RunPlotSVG().render(Self.plot(durationS: 301)) != first)
    }

    @Test func anHourAt200HzStaysSmall() throws {
        let bytes = RunPlotSVG().render(Self.plot(durationS: 3600, rateHz: 200, alerts: Self.alerts))
        print("plot of one hour at 200 Hz: \(bytes.count) bytes")
        #expect(bytes.count < 1 << 20)
        _ = try parse(bytes)
    }

    @Test func fileNamesAreEscapedAndLimitsOffTheScaleAreNamed() throws {
        var plot = Self.plot(durationS: 60, file: "a<b>&\"c\".csv")
        plot.sessionLoadLimitBWs = 5000
        let document = try parse(RunPlotSVG().render(plot))
        let texts = try nodes(document, "//*[local-name()='text']").map { $0.stringValue ?? "" }
        #expect(texts.contains("kneeload replay: a<b>&\"c\".csv"))
        #expect(texts.contains("limit 5000 BW·s (above this scale)"))
        #expect(texts.contains("limit 600 BW·s in a minute (above this scale)"))
        #expect(texts.contains("time since the first sample (s)"))
    }

    @Test func anEmptyRunStillDrawsItsPanels() throws {
        let plot = RunPlot(
            file: "empty.csv", durationS: 0, steps: 0, stairDescentSteps: 0, stairDescentFlights: 0, cumulativeLoadBWs: 0,
            peakBW: 0, trace: RunTrace(), stepTimes: [], stairDescentTimes: [], alerts: [], sessionLoadLimitBWs: 5000,
            loadRateLimitBWs: 600)
        let document = try parse(RunPlotSVG().render(plot))
        #expect(try nodes(document, "//*[@id='panel-knee']").count == 1)
    }

    @Test(arguments: [(0.0, 87.0, 0.0, 100.0, 20.0), (-3.0, 112.0, -50.0, 150.0, 50.0), (0.0, 0.73, 0.0, 0.8, 0.2), (2.0, 9.0, 2.0, 10.0, 2.0), (0.0, 4321.0, 0.0, 5000.0, 1000.0)])
    func axisTicksAreRound(low: Double, high: Double, lower: Double, upper: Double, step: Double) {
        let scale = AxisScale(covering: low, high)
        #expect(abs(scale.lower - lower) < 1e-9 && abs(scale.upper - upper) < 1e-9 && abs(scale.step - step) < 1e-9)
        #expect(scale.ticks.count == Int(((upper - lower) / step).rounded()) + 1)
    }
}
