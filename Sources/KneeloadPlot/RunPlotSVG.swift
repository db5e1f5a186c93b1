import KneeloadEngine

/// Draws a `RunPlot` as one SVG document: three panels over a shared time axis (knee flexion as a min/max
/// band per pixel column, knee load of the last minute, session knee load, each load with its limit dashed),
/// a strip of step ticks with the stair-descent steps marked apart, stair-descent flights shaded across the
/// panels, and one labelled marker per alert or warning. The output depends only on the plot (fixed-decimal
/// numbers, no dates, no locale), so the same run gives the same bytes, and its size is bounded by the
/// width in pixels, not the number of samples: about 100 kB for an hour, plus ~40 bytes per stair-descent step.
public struct RunPlotSVG: Sendable {
    public var width: Int
    public var height: Int

    public init(width: Int = 1200, height: Int = 800) {
        self.width = max(width, 400)
        self.height = max(height, 300)
    }

    /// Element ids a reader (or a test) can find the parts by.
    public enum PartID {
        public static let kneePanel = "panel-knee"
        public static let loadRatePanel = "panel-load-rate"
        public static let sessionLoadPanel = "panel-session-load"
        public static let steps = "steps"
        public static let stairDescentSteps = "stair-descent-steps"
        public static let stairDescentFlights = "stair-descent-flights"
        public static let alerts = "alerts"
    }

    /// Two stair-descent steps further apart than this belong to different shaded flights, seconds.
    static let flightGapS = 5.0

    public func render(_ plot: RunPlot) -> [UInt8] {
        var svg = SVGText(reservingCapacity: 128 << 10)
        let layout = Layout(width: Double(width), height: Double(height))
        let time = TimeAxis(plot: plot, left: layout.left, right: layout.right)
        let columns = columnBuckets(plot.trace, time: time, count: Int(layout.right - layout.left))

        svg.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        svg.raw("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" ")
        svg.raw("viewBox=\"0 0 \(width) \(height)\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" ")
        svg.raw("font-size=\"12\" fill=\"#222\">\n")
        svg.raw("<rect width=\"\(width)\" height=\"\(height)\" fill=\"#fff\"/>\n")
        title(plot, into: &svg)
        legend(into: &svg)

        let knee = kneeScale(columns)
        panelFrame(PartID.kneePanel, label: "knee flexion (°)", scale: knee, top: layout.kneeTop, time: time, into: &svg)
        flights(plot.stairDescentTimes, time: time, layout: layout, into: &svg)
        kneeBand(columns, scale: knee, top: layout.kneeTop, time: time, into: &svg)
        svg.raw("</g>\n")

        let rateMax = columns.map(\.loadLastMinuteMaxBWs).max() ?? 0
        let rate = LimitedScale(dataMax: rateMax, limit: plot.loadRateLimitBWs)
        panelFrame(
            PartID.loadRatePanel, label: "load in last minute (BW·s)", scale: rate.scale, top: layout.rateTop, time: time,
            into: &svg)
        loadLine(columns.map { $0.isEmpty ? nil : $0.loadLastMinuteMaxBWs }, scale: rate.scale, top: layout.rateTop,
            time: time, color: "#2a9d8f", into: &svg)
        limitLine(rate, unit: "BW·s in a minute", top: layout.rateTop, into: &svg)
        svg.raw("</g>\n")

        let sessionMax = columns.map(\.sessionLoadMaxBWs).max() ?? 0
        let session = LimitedScale(dataMax: max(sessionMax, plot.cumulativeLoadBWs), limit: plot.sessionLoadLimitBWs)
        panelFrame(
            PartID.sessionLoadPanel, label: "session load (BW·s)", scale: session.scale, top: layout.sessionTop,
            time: time, into: &svg)
        loadLine(columns.map { $0.isEmpty ? nil : $0.sessionLoadMaxBWs }, scale: session.scale, top: layout.sessionTop,
            time: time, color: "#6a4c93", into: &svg)
        limitLine(session, unit: "BW·s", top: layout.sessionTop, into: &svg)
        svg.raw("</g>\n")

        timeAxis(time, layout: layout, into: &svg)
        stepStrip(plot, time: time, layout: layout, into: &svg)
        alertMarkers(plot.alerts, time: time, layout: layout, into: &svg)
        svg.raw("</svg>\n")
        return svg.bytes
    }

    // MARK: Layout

    /// Where everything goes, in pixels from the top left.
    struct Layout {
        let width: Double
        let left = 78.0
        let right: Double
        /// Rows for alert labels, above the panels.
        let labelRows: [Double] = [64, 76, 88, 100]
        let kneeTop = 106.0
        let panelHeight: Double
        let stripHeight = 22.0
        let gap = 14.0

        init(width: Double, height: Double) {
            self.width = width
            right = width - 24
            // Title and labels above, time axis labels (40 px) below.
            panelHeight = (height - 44 - kneeTop - stripHeight - gap) / 3
        }

        var kneeBottom: Double { kneeTop + panelHeight }
        var stripTop: Double { kneeBottom }
        var rateTop: Double { kneeBottom + stripHeight }
        var sessionTop: Double { rateTop + panelHeight + gap }
        var bottom: Double { sessionTop + panelHeight }
    }

    /// Seconds since the first sample to x, with round tick marks in seconds or, past three minutes, minutes.
    struct TimeAxis {
        let origin: Double
        let durationS: Double
        let left: Double
        let right: Double
        /// Seconds per axis unit: 1 or 60.
        let unitS: Double
        let step: Double
        let decimals: Int

        init(plot: RunPlot, left: Double, right: Double) {
            origin = plot.trace.origin ?? (plot.stepTimes + plot.alerts.map(\.t)).min() ?? 0
            let extent = max(plot.trace.durationS, plot.durationS)
            durationS = extent > 0 ? extent : 1
            self.left = left
            self.right = right
            unitS = durationS >= 180 ? 60 : 1
            let scale = AxisScale(covering: 0, durationS / unitS, targetTicks: 10)
            step = scale.step
            decimals = scale.decimals
        }

        func x(_ t: Double) -> Double {
            let fraction = min(max((t - origin) / durationS, 0), 1)
            return left + fraction * (right - left)
        }

        var ticks: [Double] {
            let count = Int((durationS / unitS / step + 1e-9).rounded(.down))
            return (0...count).map { Double($0) * step }
        }
    }

    /// A load axis that shows the limit when it is near enough the data to matter, else says it is above.
    struct LimitedScale {
        let scale: AxisScale
        let limit: Double
        let showsLimit: Bool

        init(dataMax: Double, limit: Double) {
            // Within 2× of the data the limit line fits without flattening the curve too much.
            showsLimit = limit > 0 && limit <= max(dataMax, 0) * 2
            scale = AxisScale(covering: 0, max(dataMax, showsLimit ? limit : 0, 1))
            self.limit = limit
        }
    }

    // MARK: Data per pixel column

    /// The trace's buckets gathered into one per pixel column (min/max kept), so peaks stay visible and the
    /// output size depends on the width only.
    func columnBuckets(_ trace: RunTrace, time: TimeAxis, count: Int) -> [TraceBucket] {
        var columns = [TraceBucket](repeating: TraceBucket(), count: max(count, 1))
        guard let origin = trace.origin else { return columns }
        for (index, bucket) in trace.buckets.enumerated() where !bucket.isEmpty {
            let centre = origin + (Double(index) + 0.5) * trace.bucketWidth
            let fraction = min(max((centre - time.origin) / time.durationS, 0), 1)
            let column = min(Int(fraction * Double(columns.count)), columns.count - 1)
            columns[column].merge(bucket)
        }
        return columns
    }

    /// Runs of columns to draw joined up: a gap in the data longer than a second (or than 2.5 columns, on long
    /// runs) breaks the line rather than drawing across it.
    func segments(present: [Bool], time: TimeAxis) -> [ClosedRange<Int>] {
        let columnS = time.durationS / Double(max(present.count, 1))
        let maximumGap = max(Int((max(1.0, 2.5 * columnS) / columnS).rounded(.down)), 1)
        var result: [ClosedRange<Int>] = []
        var start: Int?
        var last = 0
        for (index, isPresent) in present.enumerated() where isPresent {
            if let first = start, index - last > maximumGap {
                result.append(first...last)
                start = index
            } else if start == nil {
                start = index
            }
            last = index
        }
        if let start { result.append(start...last) }
        return result
    }

    func columnX(_ column: Int, time: TimeAxis) -> Double { time.left + Double(column) + 0.5 }

    func y(_ value: Double, scale: AxisScale, top: Double, height: Double) -> Double {
        top + height * (1 - min(max(scale.fraction(value), 0), 1))
    }

    func kneeScale(_ columns: [TraceBucket]) -> AxisScale {
        let present = columns.filter { !$0.isEmpty }
        let low = present.map(\.kneeMinDeg).min() ?? 0
        let high = present.map(\.kneeMaxDeg).max() ?? 90
        return AxisScale(covering: min(low, 0), max(high, 30), targetTicks: 6)
    }

    // MARK: Drawing

    func title(_ plot: RunPlot, into svg: inout SVGText) {
        svg.text("kneeload replay: " + plot.file, x: 16, y: 26, attributes: "font-size=\"17\" font-weight=\"bold\"")
        let alerts = plot.alerts.filter { $0.level == .alert }.count
        let warnings = plot.alerts.count - alerts
        let parts = [
            "\(Self.clock(plot.durationS)) (\(SVGText.format(plot.durationS, decimals: 1)) s)",
            "\(plot.steps) steps",
            "\(plot.stairDescentSteps) stair-descent steps in \(plot.stairDescentFlights) flight(s)",
            "knee load \(SVGText.format(plot.cumulativeLoadBWs, decimals: 1)) BW·s, peak \(SVGText.format(plot.peakBW, decimals: 2)) BW",
            "\(alerts) alert(s), \(warnings) warning(s)",
        ]
        svg.text(parts.joined(separator: "  ·  "), x: 16, y: 47, attributes: "font-size=\"13\" fill=\"#444\"")
    }

    func legend(into svg: inout SVGText) {
        let items: [(String, String)] = [
            ("step", "<path d=\"M0 -9v10\" stroke=\"#888\"/>"),
            ("stair-descent step", "<rect x=\"-3\" y=\"-10\" width=\"8\" height=\"12\" fill=\"#f4a261\" fill-opacity=\"0.35\"/><path d=\"M1 -9v10\" stroke=\"#e76f51\" stroke-width=\"2\"/>"),
            ("alert", "<path d=\"M0 -10v12\" stroke=\"#d62828\" stroke-width=\"1.5\"/>"),
            ("warning", "<path d=\"M0 -10v12\" stroke=\"#f77f00\" stroke-width=\"1.5\" stroke-dasharray=\"3 2\"/>"),
        ]
        // About 6.8 px per character at 12 px: enough to keep items apart in common sans-serif fonts.
        let total = items.reduce(0.0) { $0 + 16 + Double($1.0.count) * 6.8 + 16 }
        var x = Double(width) - 24 - total
        svg.raw("<g id=\"legend\" font-size=\"12\">\n")
        for (label, symbol) in items {
            svg.raw("<g transform=\"translate(")
            svg.coordinate(x)
            svg.raw(" 26)\">" + symbol + "</g>\n")
            svg.text(label, x: x + 12, y: 26)
            x += 16 + Double(label.count) * 6.8 + 16
        }
        svg.raw("</g>\n")
    }

    /// Opens the panel's group (the caller closes it) and draws its frame, grid, ticks and axis label.
    func panelFrame(
        _ id: String, label: String, scale: AxisScale, top: Double, time: TimeAxis, into svg: inout SVGText
    ) {
        let layout = Layout(width: Double(width), height: Double(height))
        let height = layout.panelHeight
        svg.raw("<g id=\"\(id)\">\n")
        svg.raw("<g stroke=\"#e6e6e6\">\n")
        for tick in scale.ticks {
            let y = y(tick, scale: scale, top: top, height: height)
            svg.line(x1: layout.left, y1: y, x2: layout.right, y2: y)
        }
        for tick in time.ticks {
            let x = time.x(time.origin + tick * time.unitS)
            svg.line(x1: x, y1: top, x2: x, y2: top + height)
        }
        svg.raw("</g>\n<g font-size=\"11\" text-anchor=\"end\" fill=\"#555\">\n")
        for tick in scale.ticks {
            svg.text(
                SVGText.format(tick, decimals: scale.decimals), x: layout.left - 6,
                y: y(tick, scale: scale, top: top, height: height) + 4)
        }
        svg.raw("</g>\n")
        let middle = top + height / 2
        svg.raw("<text transform=\"rotate(-90 18 ")
        svg.coordinate(middle)
        svg.raw(")\" x=\"18\" y=\"")
        svg.coordinate(middle)
        svg.raw("\" text-anchor=\"middle\" font-size=\"12\">")
        svg.escaped(label)
        svg.raw("</text>\n<rect x=\"")
        svg.coordinate(layout.left)
        svg.raw("\" y=\"")
        svg.coordinate(top)
        svg.raw("\" width=\"")
        svg.coordinate(layout.right - layout.left)
        svg.raw("\" height=\"")
        svg.coordinate(height)
        svg.raw("\" fill=\"none\" stroke=\"#999\"/>\n")
    }

    /// The knee angle's range per column as a filled band: at high zoom it is a line, over an hour an envelope.
    func kneeBand(_ columns: [TraceBucket], scale: AxisScale, top: Double, time: TimeAxis, into svg: inout SVGText) {
        let height = Layout(width: Double(width), height: Double(self.height)).panelHeight
        svg.raw("<path fill=\"#4a7fb5\" fill-opacity=\"0.55\" stroke=\"#1d4e89\" stroke-width=\"0.8\" ")
        svg.raw("stroke-linejoin=\"round\" d=\"")
        for run in segments(present: columns.map { !$0.isEmpty }, time: time) {
            var command = "M"
            for column in run where !columns[column].isEmpty {
                pathPoint(&command, x: columnX(column, time: time),
                    y: y(columns[column].kneeMaxDeg, scale: scale, top: top, height: height), into: &svg)
            }
            for column in run.reversed() where !columns[column].isEmpty {
                pathPoint(&command, x: columnX(column, time: time),
                    y: y(columns[column].kneeMinDeg, scale: scale, top: top, height: height), into: &svg)
            }
            svg.raw("Z")
        }
        svg.raw("\"/>\n")
    }

    func loadLine(
        _ values: [Double?], scale: AxisScale, top: Double, time: TimeAxis, color: String, into svg: inout SVGText
    ) {
        let height = Layout(width: Double(width), height: Double(self.height)).panelHeight
        svg.raw("<path fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.6\" stroke-linejoin=\"round\" d=\"")
        for run in segments(present: values.map { $0 != nil }, time: time) {
            var command = "M"
            for column in run {
                guard let value = values[column] else { continue }
                pathPoint(&command, x: columnX(column, time: time), y: y(value, scale: scale, top: top, height: height),
                    into: &svg)
            }
        }
        svg.raw("\"/>\n")
    }

    /// One point of path data: "M x y" for the first of a run, then implicit line-tos.
    func pathPoint(_ command: inout String, x: Double, y: Double, into svg: inout SVGText) {
        svg.raw(command)
        svg.coordinate(x)
        svg.raw(" ")
        svg.coordinate(y)
        command = command == "M" ? "L" : " "
    }

    func limitLine(_ limited: LimitedScale, unit: String, top: Double, into svg: inout SVGText) {
        let layout = Layout(width: Double(width), height: Double(height))
        let text = "limit \(SVGText.format(limited.limit, decimals: limited.limit.rounded() == limited.limit ? 0 : 1)) \(unit)"
        guard limited.showsLimit else {
            note(text + " (above this scale)", left: layout.left + 6, baseline: top + 15, into: &svg)
            return
        }
        let y = y(limited.limit, scale: limited.scale, top: top, height: layout.panelHeight)
        svg.line(x1: layout.left, y1: y, x2: layout.right, y2: y,
            attributes: "stroke=\"#d62828\" stroke-width=\"1.2\" stroke-dasharray=\"7 4\"")
        note(text, left: layout.left + 6, baseline: y > top + 16 ? y - 4 : y + 13, into: &svg)
    }

    /// Red text on a pale backing, so it stays legible over a curve; at the left, where load curves start
    /// from zero (the session's and the last minute's alike), so it hides the least.
    func note(_ text: String, left: Double, baseline: Double, into svg: inout SVGText) {
        let width = Double(text.count) * 6.2 + 6
        svg.raw("<rect x=\"")
        svg.coordinate(left - 3)
        svg.raw("\" y=\"")
        svg.coordinate(baseline - 11)
        svg.raw("\" width=\"")
        svg.coordinate(width)
        svg.raw("\" height=\"14\" fill=\"#fff\" fill-opacity=\"0.85\"/>\n")
        svg.text(text, x: left, y: baseline, attributes: "font-size=\"11\" fill=\"#b22\"")
    }

    func timeAxis(_ time: TimeAxis, layout: Layout, into svg: inout SVGText) {
        svg.raw("<g id=\"time-axis\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">\n")
        for tick in time.ticks {
            let x = time.x(time.origin + tick * time.unitS)
            svg.line(x1: x, y1: layout.bottom, x2: x, y2: layout.bottom + 4, attributes: "stroke=\"#999\"")
            svg.text(SVGText.format(tick, decimals: time.decimals), x: x, y: layout.bottom + 17)
        }
        svg.raw("</g>\n")
        let label = time.unitS == 60 ? "time since the first sample (min)" : "time since the first sample (s)"
        svg.text(label, x: (layout.left + layout.right) / 2, y: layout.bottom + 34,
            attributes: "text-anchor=\"middle\" font-size=\"12\"")
    }

    /// Shaded bands over all three panels where stair-descent steps come close together.
    func flights(_ descents: [Double], time: TimeAxis, layout: Layout, into svg: inout SVGText) {
        svg.raw("<g id=\"\(PartID.stairDescentFlights)\" fill=\"#f4a261\" fill-opacity=\"0.22\">\n")
        var index = 0
        let sorted = descents.sorted()
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count, sorted[end + 1] - sorted[end] <= Self.flightGapS { end += 1 }
            var x0 = time.x(sorted[index]) - 2
            var x1 = time.x(sorted[end]) + 2
            if x1 - x0 < 5 {
                x0 -= 1.5
                x1 += 1.5
            }
            svg.raw("<rect x=\"")
            svg.coordinate(x0)
            svg.raw("\" y=\"")
            svg.coordinate(layout.kneeTop)
            svg.raw("\" width=\"")
            svg.coordinate(x1 - x0)
            svg.raw("\" height=\"")
            svg.coordinate(layout.bottom - layout.kneeTop)
            svg.raw("\"/>\n")
            index = end + 1
        }
        svg.raw("</g>\n")
    }

    /// Step ticks (one per pixel column that has any: over an hour they merge into bars of walking) and one
    /// mark per stair-descent step, in a strip under the knee panel.
    func stepStrip(_ plot: RunPlot, time: TimeAxis, layout: Layout, into svg: inout SVGText) {
        svg.text("steps", x: layout.left - 6, y: layout.stripTop + 15,
            attributes: "text-anchor=\"end\" font-size=\"11\" fill=\"#555\"")
        var columns = Set<Int>()
        for t in plot.stepTimes { columns.insert(Int((time.x(t) * 2).rounded())) }
        svg.raw("<path id=\"\(PartID.steps)\" stroke=\"#888\" stroke-width=\"0.8\" d=\"")
        for column in columns.sorted() {
            svg.raw("M")
            svg.coordinate(Double(column) / 2)
            svg.raw(" ")
            svg.coordinate(layout.stripTop + 4)
            svg.raw("v9")
        }
        svg.raw("\"/>\n")
        svg.raw("<g id=\"\(PartID.stairDescentSteps)\" stroke=\"#e76f51\" stroke-width=\"1.6\">\n")
        for t in plot.stairDescentTimes {
            svg.raw("<path d=\"M")
            svg.coordinate(time.x(t))
            svg.raw(" ")
            svg.coordinate(layout.stripTop + 3)
            svg.raw("v16\"/>\n")
        }
        svg.raw("</g>\n")
    }

    /// A vertical line through the panels per alert or warning, its kind written above them; labels that
    /// would overlap go to the next of three rows.
    func alertMarkers(_ alerts: [AlertEvent], time: TimeAxis, layout: Layout, into svg: inout SVGText) {
        svg.raw("<g id=\"\(PartID.alerts)\" font-size=\"11\">\n")
        var rowEnds = [Double](repeating: -Double.infinity, count: layout.labelRows.count)
        for alert in alerts.sorted(by: { $0.t < $1.t }) {
            let x = time.x(alert.t)
            let isAlert = alert.level == .alert
            let color = isAlert ? "#d62828" : "#f77f00"
            let label = alert.kind.rawValue
            let labelWidth = Double(label.count) * 6.2
            let flipped = x + 3 + labelWidth > layout.width - 4
            let start = flipped ? x - 3 - labelWidth : x + 3
            let row = rowEnds.firstIndex { $0 < start - 6 } ?? rowEnds.indices.min { rowEnds[$0] < rowEnds[$1] }!
            rowEnds[row] = start + labelWidth
            let labelY = layout.labelRows[row]
            svg.raw("<g class=\"\(alert.level.rawValue)\" data-kind=\"\(label)\">\n<title>")
            svg.escaped(
                "\(alert.level.rawValue) \(label) at \(SVGText.format(alert.t - time.origin, decimals: 1)) s: "
                    + "\(SVGText.format(alert.value, decimals: 1)) passed \(SVGText.format(alert.limit, decimals: 1))")
            svg.raw("</title>\n")
            svg.line(x1: x, y1: labelY + 2, x2: x, y2: layout.bottom,
                attributes: "stroke=\"\(color)\" stroke-width=\"1.4\"" + (isAlert ? "" : " stroke-dasharray=\"4 3\""))
            svg.text(label, x: flipped ? x - 3 : x + 3, y: labelY,
                attributes: "fill=\"\(color)\"" + (flipped ? " text-anchor=\"end\"" : ""))
            svg.raw("</g>\n")
        }
        svg.raw("</g>\n")
    }

    /// "1:02:03" or "12:34".
    static func clock(_ seconds: Double) -> String {
        let total = Int(max(seconds, 0).rounded())
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(m):\(two(s))"
    }
}
