// A server-rendered SVG chart (line or grouped bar) for the
// dashboard pages. The output is a complete, deterministic <svg> element that
// the stylesheet (.chart__* classes in styles.css) colours; no JavaScript.
//
// Data stay Int64 (counts, or money in minor units). Double appears only when
// a value becomes a pixel coordinate. Numbers are grouped as money amounts are
// (TandemDomain's Money.grouped), so a chart and its table read the same.

import TandemDomain

public struct ChartSeries: Sendable, Equatable {
    public var name: String
    /// Integer data: counts, or money in minor units.
    public var values: [Int64]

    public init(name: String, values: [Int64]) {
        self.name = name
        self.values = values
    }
}

public struct SVGChart: Sendable {
    public enum Kind: Sendable { case line, bar }

    public var kind: Kind
    /// X-axis labels, one per value ("2026-01", "Nov 3").
    public var labels: [String]
    /// One or more series; bar charts draw them as grouped bars. A series
    /// shorter than `labels` counts its missing values as 0; extra values
    /// beyond `labels` are ignored.
    public var series: [ChartSeries]
    public var width: Int = 720, height: Int = 260
    /// Formats y-axis tick labels and tooltip values, e.g. money "$1.2k".
    public var formatValue: @Sendable (Int64) -> String
    /// Accessible title (the SVG's <title>).
    public var title: String
    /// The last period is not over (this month, today): it is shaded, its line segment is
    /// dashed and its tooltip says "so far", so a low value does not read as a drop.
    public var partialLast = false

    public init(
        kind: Kind,
        title: String,
        labels: [String],
        series: [ChartSeries],
        formatValue: @escaping @Sendable (Int64) -> String = SVGChart.defaultFormat
    ) {
        self.kind = kind
        self.title = title
        self.labels = labels
        self.series = series
        self.formatValue = formatValue
    }

    /// Plain integer with thousands separators: 1234567 → "1,234,567".
    public static let defaultFormat: @Sendable (Int64) -> String = { Money.grouped($0) }

    /// The y-axis tick values the chart would draw for data spanning
    /// `minValue...maxValue`: 4–6 "nice" steps (1, 2, 5 × 10^n) from 0,
    /// extended below 0 for negative data.
    public static func ticks(minValue: Int64, maxValue: Int64) -> [Int64] {
        ChartScale.ticks(minValue: minValue, maxValue: maxValue)
    }

    /// Renders the chart as a complete `<svg>` element string.
    public func render() -> String {
        ChartRenderer(chart: self).render()
    }
}

/// Series colours cycle through the stylesheet's six classes.
let chartPaletteSize = 6

private struct ChartRenderer {
    let chart: SVGChart
    let width: Double
    let height: Double
    let id: String

    // Text metrics: the stylesheet sets chart text to 12px; 6.5px is a safe
    // average advance for digits and lower-case letters in a sans-serif.
    let fontSize = 12.0
    let charWidth = 6.5

    init(chart: SVGChart) {
        self.chart = chart
        self.width = Double(max(chart.width, 160))
        self.height = Double(max(chart.height, 120))
        self.id = "chart-" + ChartRenderer.stableHash(chart)
    }

    func render() -> String {
        var svg = SVGBuilder()
        let W = Int(width), H = Int(height)
        let hasData = !chart.labels.isEmpty && !chart.series.isEmpty
        let kindName = chart.kind == .line ? "line" : "bar"
        // Many points in little width: the stylesheet hides the points until hovered.
        let dense = hasData && chart.kind == .line && width / Double(chart.labels.count) < 14
        svg.open(
            "<svg class=\"chart__svg chart__svg--\(kindName)\(dense ? " chart__svg--dense" : "")\" xmlns=\"http://www.w3.org/2000/svg\" "
                + "viewBox=\"0 0 \(W) \(H)\" width=\"\(W)\" height=\"\(H)\" "
                + "role=\"img\" aria-labelledby=\"\(id)-title\" aria-describedby=\"\(id)-desc\">")
        svg.line("<title id=\"\(id)-title\">\(ChartScale.escape(chart.title))</title>")
        svg.line("<desc id=\"\(id)-desc\">\(ChartScale.escape(description(hasData: hasData)))</desc>")

        if hasData {
            drawChart(into: &svg)
        } else {
            let midY = height / 2
            svg.line(
                "<line class=\"chart__axis\" x1=\"\(c(16))\" y1=\"\(c(height - 28))\" "
                    + "x2=\"\(c(width - 16))\" y2=\"\(c(height - 28))\"/>")
            svg.line(
                "<text class=\"chart__label chart__empty\" x=\"\(c(width / 2))\" y=\"\(c(midY))\" "
                    + "text-anchor=\"middle\" dy=\"0.32em\">No data</text>")
        }
        svg.close("</svg>")
        return svg.output
    }

    // MARK: - Layout and drawing

    private func drawChart(into svg: inout SVGBuilder) {
        let count = chart.labels.count
        let seriesCount = chart.series.count
        // Normalised data: exactly one value per label, missing values are 0.
        let data: [[Int64]] = chart.series.map { s in
            (0..<count).map { $0 < s.values.count ? s.values[$0] : 0 }
        }
        let allValues = data.flatMap { $0 }
        let ticks = ChartScale.ticks(minValue: allValues.min() ?? 0, maxValue: allValues.max() ?? 0)
        let tickLabels = ticks.map { ChartScale.escape(chart.formatValue($0)) }
        let lowValue = Double(ticks.first ?? 0)
        let highValue = Double(ticks.last ?? 1)
        let span = highValue - lowValue > 0 ? highValue - lowValue : 1

        // Legend rows (only with more than one series) sit above the plot.
        let legend = seriesCount > 1 ? legendLayout() : []
        let legendRows = (legend.map(\.row).max() ?? -1) + 1

        let longestTick = tickLabels.map { displayLength($0) }.max() ?? 1
        let plotLeft = max(36, Double(longestTick) * charWidth + 14)
        let plotRight = width - 16
        let plotTop = 12 + Double(legendRows) * 20
        let plotBottom = height - 28
        let plotWidth = max(plotRight - plotLeft, 1)
        let plotHeight = max(plotBottom - plotTop, 1)
        let band = plotWidth / Double(count)

        func y(_ value: Int64) -> Double {
            plotBottom - (Double(value) - lowValue) / span * plotHeight
        }
        func xCentre(_ index: Int) -> Double { plotLeft + (Double(index) + 0.5) * band }

        // Legend.
        if !legend.isEmpty {
            svg.open("<g class=\"chart__legend\">")
            for item in legend {
                let top = 8 + Double(item.row) * 20
                svg.line(
                    "<g class=\"chart__legend-item chart__series-\(item.index % chartPaletteSize)\">"
                        + "<path class=\"chart__swatch\" d=\"M\(c(plotLeft + item.x)) \(c(top))h10v10h-10z\"/>"
                        + "<text class=\"chart__label\" x=\"\(c(plotLeft + item.x + 14))\" y=\"\(c(top + 5))\" "
                        + "dy=\"0.32em\">\(item.name)</text></g>")
            }
            svg.close("</g>")
        }

        // The period still running: a shaded band behind its values.
        if chart.partialLast {
            svg.line(
                "<rect class=\"chart__partial\" x=\"\(c(plotLeft + Double(count - 1) * band))\" y=\"\(c(plotTop))\" "
                    + "width=\"\(c(band))\" height=\"\(c(plotHeight))\"><title>\(ChartScale.escape(chart.labels[count - 1])): so far</title></rect>")
        }

        // Y axis: gridlines and tick labels; the zero line is the axis.
        svg.open("<g class=\"chart__y\">")
        for (tick, label) in zip(ticks, tickLabels) {
            let ty = y(tick)
            let cls = tick == 0 ? "chart__axis" : "chart__grid"
            svg.line(
                "<line class=\"\(cls)\" x1=\"\(c(plotLeft))\" y1=\"\(c(ty))\" x2=\"\(c(plotRight))\" y2=\"\(c(ty))\"/>")
            svg.line(
                "<text class=\"chart__label\" x=\"\(c(plotLeft - 8))\" y=\"\(c(ty))\" "
                    + "text-anchor=\"end\" dy=\"0.32em\">\(label)</text>")
        }
        svg.close("</g>")

        // X axis labels, thinned so they never overlap.
        let shortLabels = chart.labels.map { Self.shorten($0) }
        let escapedShort = shortLabels.map { ChartScale.escape($0) }
        let longestLabel = shortLabels.map { $0.count }.max() ?? 1
        let shown = ChartScale.visibleLabelIndices(
            count: count, longestLabel: longestLabel, plotWidth: plotWidth, charWidth: charWidth)
        svg.open("<g class=\"chart__x\">")
        for index in shown {
            let half = Double(shortLabels[index].count) * charWidth / 2
            let x = min(max(xCentre(index), half + 2), width - half - 2)
            svg.line(
                "<text class=\"chart__label\" x=\"\(c(x))\" y=\"\(c(plotBottom + 18))\" "
                    + "text-anchor=\"middle\">\(escapedShort[index])</text>")
        }
        svg.close("</g>")

        // Series.
        let escapedLabels = chart.labels.map { ChartScale.escape($0) }
        let escapedNames = chart.series.map { ChartScale.escape($0.name) }
        func tooltip(_ s: Int, _ i: Int) -> String {
            let value = ChartScale.escape(chart.formatValue(data[s][i]))
            let prefix = seriesCount > 1 ? "\(escapedNames[s]) · " : ""
            let soFar = chart.partialLast && i == count - 1 ? " so far" : ""
            return "\(prefix)\(escapedLabels[i]): \(value)\(soFar)"
        }

        switch chart.kind {
        case .line:
            let radius = max(1.5, min(3.5, band * 0.3))
            for s in 0..<seriesCount {
                svg.open(
                    "<g class=\"chart__series chart__series-\(s % chartPaletteSize)\" "
                        + "data-series=\"\(escapedNames[s])\">")
                let points = (0..<count).map { "\(c(xCentre($0))),\(c(y(data[s][$0])))" }
                // A running period's segment is dashed: its value is still growing.
                let solid = chart.partialLast && count > 1 ? Array(points.dropLast()) : points
                svg.line(
                    "<polyline class=\"chart__line\" fill=\"none\" points=\"\(solid.joined(separator: " "))\"/>")
                if chart.partialLast && count > 1 {
                    svg.line(
                        "<polyline class=\"chart__line chart__line--partial\" fill=\"none\" points=\"\(points.suffix(2).joined(separator: " "))\"/>")
                }
                for i in 0..<count {
                    svg.line(
                        "<circle class=\"chart__point\" cx=\"\(c(xCentre(i)))\" cy=\"\(c(y(data[s][i])))\" "
                            + "r=\"\(c(radius))\"><title>\(tooltip(s, i))</title></circle>")
                }
                svg.close("</g>")
            }
        case .bar:
            let group = band * (seriesCount > 1 ? 0.8 : 0.7)
            let slot = group / Double(seriesCount)
            let gap = seriesCount > 1 ? min(2, slot * 0.15) : 0
            let barWidth = max(slot - gap, 0.5)
            let zeroY = y(0)
            for s in 0..<seriesCount {
                svg.open(
                    "<g class=\"chart__series chart__series-\(s % chartPaletteSize)\" "
                        + "data-series=\"\(escapedNames[s])\">")
                for i in 0..<count {
                    let left = xCentre(i) - group / 2 + Double(s) * slot + gap / 2
                    let valueY = y(data[s][i])
                    let top = min(valueY, zeroY)
                    let barHeight = abs(zeroY - valueY)
                    svg.line(
                        "<rect class=\"chart__bar\" x=\"\(c(left))\" y=\"\(c(top))\" "
                            + "width=\"\(c(barWidth))\" height=\"\(c(barHeight))\">"
                            + "<title>\(tooltip(s, i))</title></rect>")
                }
                svg.close("</g>")
            }
        }
    }

    private struct LegendItem {
        var index: Int
        var name: String  // escaped
        var x: Double  // offset from the plot's left edge
        var row: Int
    }

    /// Lays legend items left to right, wrapping onto new rows as needed.
    private func legendLayout() -> [LegendItem] {
        var items: [LegendItem] = []
        var x = 0.0
        var row = 0
        let available = width - 60
        for (index, s) in chart.series.enumerated() {
            let name = Self.shorten(s.name, limit: 28)
            let itemWidth = 14 + Double(name.count) * charWidth + 18
            if x > 0 && x + itemWidth > available {
                row += 1
                x = 0
            }
            items.append(LegendItem(index: index, name: ChartScale.escape(name), x: x, row: row))
            x += itemWidth
        }
        return items
    }

    private func description(hasData: Bool) -> String {
        guard hasData else { return "No data." }
        let kindName = chart.kind == .line ? "Line" : "Bar"
        let names = chart.series.map(\.name).joined(separator: ", ")
        var text = "\(kindName) chart of \(names) over \(chart.labels.count) "
        text += chart.labels.count == 1 ? "period" : "periods"
        if let first = chart.labels.first, let last = chart.labels.last {
            text += chart.labels.count == 1 ? " (\(first))." : " (\(first) to \(last))."
        }
        if chart.partialLast, let last = chart.labels.last { text += " \(last) is not over yet." }
        return text
    }

    // MARK: - Helpers

    private func c(_ value: Double) -> String { ChartScale.coordinate(value) }

    /// Length of already-escaped text as displayed (entities count as one).
    private func displayLength(_ escaped: String) -> Int {
        var length = 0
        var inEntity = false
        for ch in escaped {
            if inEntity {
                if ch == ";" { inEntity = false }
            } else if ch == "&" {
                inEntity = true
                length += 1
            } else {
                length += 1
            }
        }
        return length
    }

    /// Axis labels longer than `limit` are cut with an ellipsis; the tooltip
    /// keeps the full text.
    static func shorten(_ text: String, limit: Int = 16) -> String {
        text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }

    /// FNV-1a over the chart's content, so ids are deterministic yet differ
    /// between the charts on one page.
    static func stableHash(_ chart: SVGChart) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ text: String) {
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
            hash ^= 0xff
            hash = hash &* 0x0000_0100_0000_01b3
        }
        mix(chart.kind == .line ? "line" : "bar")
        mix(chart.title)
        if chart.partialLast { mix("partial") }
        chart.labels.forEach(mix)
        for s in chart.series {
            mix(s.name)
            s.values.forEach { mix(String($0)) }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: max(0, 16 - hex.count)) + hex
    }
}

/// Collects indented SVG lines.
private struct SVGBuilder {
    private(set) var output = ""
    private var depth = 0

    mutating func line(_ text: String) {
        output += String(repeating: "  ", count: depth) + text + "\n"
    }

    mutating func open(_ text: String) {
        line(text)
        depth += 1
    }

    mutating func close(_ text: String) {
        depth = max(depth - 1, 0)
        output += String(repeating: "  ", count: depth) + text
        if depth > 0 { output += "\n" }
    }
}
