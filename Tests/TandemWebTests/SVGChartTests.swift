import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

import TandemWeb

@Suite("SVGChart")
struct SVGChartTests {

    // MARK: helpers

    /// Counts non-overlapping occurrences of `needle` in `haystack`.
    private func count(_ needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }

    /// Parses the SVG with XMLParser, returning element names in document
    /// order and the text content of each <text> element, or nil when the
    /// document is not well-formed.
    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [String] = []
        var texts: [String] = []
        var titles: [String] = []
        private var current: String?
        private var buffer = ""

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            elements.append(elementName)
            if elementName == "text" || elementName == "title" {
                current = elementName
                buffer = ""
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if current != nil { buffer += string }
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?
        ) {
            if elementName == current {
                if elementName == "text" { texts.append(buffer) } else { titles.append(buffer) }
                current = nil
            }
        }
    }

    private func parse(_ svg: String) -> Collector? {
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        return parser.parse() ? collector : nil
    }

    private let months = ["Jan", "Feb", "Mar"]

    // MARK: escaping

    @Test func escapesMaliciousTitleLabelsSeriesNamesAndValues() throws {
        let evil = "<script>alert(\"x\")</script>&'"
        let chart = SVGChart(
            kind: .line, title: "Revenue " + evil, labels: [evil, "b"],
            series: [ChartSeries(name: evil, values: [1, 2]), ChartSeries(name: "ok", values: [3, 4])],
            formatValue: { "<\($0)>" })
        let svg = chart.render()

        #expect(!svg.contains("<script>"))
        #expect(!svg.contains("\"x\""))
        #expect(!svg.contains("'"))
        #expect(!svg.contains("<1>"))
        #expect(svg.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"))
        #expect(svg.contains("&lt;1&gt;"))

        // Parsed back, the texts are exactly the originals.
        let parsed = try #require(parse(svg))
        #expect(parsed.titles.first == "Revenue " + evil)
        #expect(parsed.titles.contains("\(evil) · \(evil): <1>"))
        #expect(parsed.texts.contains(evil.count > 16 ? String(evil.prefix(15)) + "…" : evil))
        #expect(parsed.texts.contains("<0>"))
        #expect(!parsed.elements.contains("script"))
    }

    // MARK: the period still running

    @Test func aRunningLastPeriodIsShadedDashedAndSaidSoFar() throws {
        var chart = SVGChart(kind: .line, title: "Sales", labels: months, series: [ChartSeries(name: "Sales", values: [5, 9, 1])])
        let whole = chart.render()
        #expect(!whole.contains("chart__partial") && !whole.contains("so far"))
        chart.partialLast = true
        let svg = chart.render()
        let parsed = try #require(parse(svg))
        #expect(count("chart__partial\"", in: svg) == 1, "one shaded band")
        #expect(count("chart__line--partial", in: svg) == 1, "the last segment dashed")
        #expect(parsed.titles.contains("Mar: 1 so far"))
        #expect(parsed.titles.contains("Feb: 9"), "earlier periods are whole")
        #expect(svg.contains("Mar is not over yet."))

        var bars = SVGChart(kind: .bar, title: "Signups", labels: months, series: [ChartSeries(name: "Signups", values: [1, 2, 3])])
        bars.partialLast = true
        let barSVG = bars.render()
        #expect(count("chart__partial\"", in: barSVG) == 1 && !barSVG.contains("chart__line--partial"))
    }

    @Test func dropsControlCharactersThatWouldBreakXML() throws {
        let chart = SVGChart(
            kind: .bar, title: "bad\u{0}\u{1B}title", labels: ["a\u{7}"],
            series: [ChartSeries(name: "s\u{1}", values: [1])])
        let parsed = try #require(parse(chart.render()))
        #expect(parsed.titles.first == "badtitle")
    }

    // MARK: ticks

    @Test(arguments: [
        (Int64(0), Int64(0), [Int64(0), 1, 2, 3]),
        (0, 7, [0, 2, 4, 6, 8]),
        (0, 95, [0, 20, 40, 60, 80, 100]),
        (0, 1234, [0, 500, 1000, 1500]),
        (0, 10, [0, 2, 4, 6, 8, 10]),
        (0, 1, [0, 1, 2, 3]),
        (-300, 1000, [-500, 0, 500, 1000]),
        (-50, 0, [-50, -40, -30, -20, -10, 0]),
        (-7, -1, [-8, -6, -4, -2, 0]),
        (-1, 1, [-1, 0, 1, 2]),
        (250_000, 250_000, [0, 50_000, 100_000, 150_000, 200_000, 250_000]),
        (0, 101, [0, 50, 100, 150]),
    ])
    func niceTicks(min: Int64, max: Int64, expected: [Int64]) {
        #expect(SVGChart.ticks(minValue: min, maxValue: max) == expected)
    }

    @Test(arguments: [Int64(0), 1, 3, 7, 12, 95, 99, 101, 1234, 99_999, 123_456_789, -5, -1234])
    func ticksAreNiceAndCoverTheData(value: Int64) {
        let ticks = SVGChart.ticks(minValue: Swift.min(value, 0), maxValue: Swift.max(value, 0))
        #expect((4...6).contains(ticks.count))
        #expect(ticks.contains(0))
        #expect(ticks.first! <= Swift.min(value, 0))
        #expect(ticks.last! >= Swift.max(value, 0))
        let step = ticks[1] - ticks[0]
        var mantissa = step
        while mantissa >= 10 && mantissa % 10 == 0 { mantissa /= 10 }
        #expect([1, 2, 5].contains(mantissa))
        #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $1 - $0 == step })
    }

    @Test func hugeValuesDoNotOverflow() throws {
        let ticks = SVGChart.ticks(minValue: .min, maxValue: .max)
        #expect(ticks.first == .min)
        #expect(ticks.last == .max)
        #expect(ticks.contains(0))

        let chart = SVGChart(
            kind: .bar, title: "Huge", labels: ["a", "b", "c"],
            series: [ChartSeries(name: "x", values: [.max, .min, .max - 1])])
        let svg = chart.render()
        #expect(count("<rect", in: svg) == 3)
        #expect(svg.contains("9,223,372,036,854,775,807"))
        #expect(!svg.contains("nan") && !svg.contains("inf"))
        _ = try #require(parse(svg))

        let line = SVGChart(
            kind: .line, title: "Huge", labels: ["a", "b"],
            series: [ChartSeries(name: "x", values: [.max, .max])])
        _ = try #require(parse(line.render()))
    }

    @Test func negativeValuesExtendTheAxisBelowZero() throws {
        let chart = SVGChart(
            kind: .bar, title: "Net", labels: ["a", "b"],
            series: [ChartSeries(name: "n", values: [400, -120])])
        let parsed = try #require(parse(chart.render()))
        #expect(parsed.texts.contains("-200"))
        #expect(parsed.texts.contains("0"))
        #expect(parsed.texts.contains("400"))
    }

    // MARK: shapes

    @Test func groupedBarChartDrawsOneRectPerValuePerSeries() throws {
        let chart = SVGChart(
            kind: .bar, title: "Signups", labels: months,
            series: [ChartSeries(name: "Leads", values: [3, 5, 8]), ChartSeries(name: "Sales", values: [1, 2, 4])])
        let parsed = try #require(parse(chart.render()))
        #expect(parsed.elements.filter { $0 == "rect" }.count == 6)
        // Each bar has a tooltip naming its series, label and value.
        #expect(parsed.titles.contains("Sales · Mar: 4"))
        // A legend, with both names, because there are two series.
        let svg = chart.render()
        #expect(svg.contains("chart__legend"))
        #expect(svg.contains("chart__series-0") && svg.contains("chart__series-1"))
    }

    @Test func lineChartDrawsOnePolylinePerSeriesAndOneCirclePerPoint() throws {
        let chart = SVGChart(
            kind: .line, title: "Clicks", labels: months,
            series: [
                ChartSeries(name: "Clicks", values: [10, 20, 15]),
                ChartSeries(name: "Visits", values: [30, 25, 40]),
            ])
        let parsed = try #require(parse(chart.render()))
        #expect(parsed.elements.filter { $0 == "polyline" }.count == 2)
        #expect(parsed.elements.filter { $0 == "circle" }.count == 6)
        #expect(parsed.titles.contains("Visits · Mar: 40"))
    }

    @Test func singleSeriesHasNoLegendAndPlainTooltips() throws {
        let chart = SVGChart(
            kind: .line, title: "Clicks", labels: months,
            series: [ChartSeries(name: "Clicks", values: [1_200, 20, 15])])
        let svg = chart.render()
        #expect(!svg.contains("chart__legend"))
        let parsed = try #require(parse(svg))
        #expect(parsed.titles.contains("Jan: 1,200"))
        #expect(parsed.elements.filter { $0 == "circle" }.count == 3)
    }

    @Test func shortSeriesCountsMissingValuesAsZero() throws {
        let chart = SVGChart(
            kind: .bar, title: "Short", labels: ["a", "b", "c", "d"],
            series: [ChartSeries(name: "x", values: [5]), ChartSeries(name: "y", values: [1, 2, 3, 4, 99])])
        let parsed = try #require(parse(chart.render()))
        #expect(parsed.elements.filter { $0 == "rect" }.count == 8)
        #expect(parsed.titles.contains("x · d: 0"))
        // The extra value beyond the labels is ignored (axis tops at 5-ish, not 99).
        #expect(!parsed.titles.contains { $0.contains("99") })
        #expect(!parsed.texts.contains("100"))
    }

    // MARK: labels

    @Test func thinsOutXLabelsForAYearOfDays() throws {
        let labels = (1...365).map { "Day \($0)" }
        for kind in [SVGChart.Kind.line, .bar] {
            let chart = SVGChart(
                kind: kind, title: "Daily", labels: labels,
                series: [ChartSeries(name: "v", values: labels.indices.map { Int64($0 % 17) })])
            let parsed = try #require(parse(chart.render()))
            let shownX = parsed.texts.filter { $0.hasPrefix("Day ") }
            #expect(shownX.count >= 2)
            #expect(shownX.count <= 12)
            #expect(shownX.first == "Day 1")
        }
        // Short labels: the 12-label cap, not the width, is what limits them.
        let short = (1...365).map { "d\($0)" }
        let chart = SVGChart(
            kind: .bar, title: "Daily", labels: short,
            series: [ChartSeries(name: "v", values: short.indices.map { Int64($0) })])
        let parsed = try #require(parse(chart.render()))
        let shownX = parsed.texts.filter { $0.hasPrefix("d") }
        #expect((6...12).contains(shownX.count))
    }

    @Test func twelveMonthsAllFit() throws {
        let labels = (1...12).map { String(format: "2026-%02d", $0) }
        let chart = SVGChart(
            kind: .line, title: "Monthly", labels: labels,
            series: [ChartSeries(name: "v", values: Array(repeating: 5, count: 12))])
        let parsed = try #require(parse(chart.render()))
        #expect(parsed.texts.filter { $0.hasPrefix("2026-") }.count == 12)
    }

    @Test(arguments: [1, 2, 11, 12, 13, 24, 31, 100, 365, 1000])
    func xLabelsNeverExceedTheLimit(count n: Int) throws {
        let labels = (0..<n).map { "L\($0)" }
        let chart = SVGChart(
            kind: .line, title: "n", labels: labels,
            series: [ChartSeries(name: "v", values: labels.indices.map { Int64($0) })])
        let parsed = try #require(parse(chart.render()))
        let shown = parsed.texts.filter { $0.hasPrefix("L") }
        #expect(!shown.isEmpty)
        #expect(shown.count <= 12)
        #expect(shown.count == Swift.min(n, 12) || n > 12)
        #expect(shown.first == "L0")
        #expect(parsed.elements.filter { $0 == "circle" }.count == n)
    }

    // MARK: empty and degenerate

    @Test func emptyLabelsRenderNoData() throws {
        for kind in [SVGChart.Kind.line, .bar] {
            let chart = SVGChart(kind: kind, title: "Nothing yet", labels: [], series: [ChartSeries(name: "x", values: [])])
            let parsed = try #require(parse(chart.render()))
            #expect(parsed.texts == ["No data"])
            #expect(!parsed.elements.contains("rect"))
            #expect(!parsed.elements.contains("polyline"))
        }
        let noSeries = SVGChart(kind: .bar, title: "None", labels: ["a"], series: [])
        #expect(try #require(parse(noSeries.render())).texts == ["No data"])
    }

    @Test func allZeroDataHasASmallAxis() throws {
        let chart = SVGChart(
            kind: .bar, title: "Zeros", labels: months,
            series: [ChartSeries(name: "x", values: [0, 0, 0])])
        let parsed = try #require(parse(chart.render()))
        #expect(parsed.texts.prefix(4) == ["0", "1", "2", "3"])
        #expect(parsed.elements.filter { $0 == "rect" }.count == 3)
    }

    @Test func tinyOrNegativeDimensionsStillRender() throws {
        var chart = SVGChart(kind: .line, title: "t", labels: ["a"], series: [ChartSeries(name: "x", values: [1])])
        chart.width = -5
        chart.height = 0
        let svg = chart.render()
        _ = try #require(parse(svg))
        #expect(!svg.contains("viewBox=\"0 0 -5"))
    }

    // MARK: document

    @Test func outputIsAWellFormedAccessibleSVG() throws {
        let chart = SVGChart(
            kind: .line, title: "Commissions", labels: months,
            series: [ChartSeries(name: "Earned", values: [120_00, 98_50, 310_25])],
            formatValue: { "$\($0 / 100)" })
        let svg = chart.render()
        #expect(svg.hasPrefix("<svg class=\"chart__svg"))
        #expect(svg.hasSuffix("</svg>"))
        #expect(svg.contains("viewBox=\"0 0 720 260\""))
        #expect(svg.contains("role=\"img\""))
        let parsed = try #require(parse(svg))
        #expect(parsed.elements.first == "svg")
        #expect(parsed.elements.dropFirst().first == "title")
        #expect(parsed.titles.first == "Commissions")
        #expect(parsed.texts.contains("$100"))
        // aria-labelledby points at the title's id.
        let idRange = try #require(svg.range(of: "aria-labelledby=\""))
        let id = svg[idRange.upperBound...].prefix { $0 != "\"" }
        #expect(svg.contains("<title id=\"\(id)\">"))
    }

    @Test func renderingIsDeterministicAndCoordinatesHaveOneDecimal() throws {
        let make = {
            SVGChart(
                kind: .bar, title: "D", labels: ["a", "b", "c", "d", "e", "f", "g"],
                series: [ChartSeries(name: "x", values: [1, 3, 7, 2, 9, 4, 6]), ChartSeries(name: "y", values: [2])])
        }
        let first = make().render()
        #expect(first == make().render())
        // No number in the output has more than one decimal.
        let regex = try Regex("[0-9]\\.[0-9]{2}")
        #expect(first.replacingOccurrences(of: "dy=\"0.32em\"", with: "").firstMatch(of: regex) == nil)
    }

    @Test func differentChartsGetDifferentIds() {
        let a = SVGChart(kind: .line, title: "A", labels: ["x"], series: [ChartSeries(name: "s", values: [1])])
        let b = SVGChart(kind: .bar, title: "B", labels: ["x"], series: [ChartSeries(name: "s", values: [1])])
        func id(_ svg: String) -> Substring? {
            guard let r = svg.range(of: "aria-labelledby=\"") else { return nil }
            return svg[r.upperBound...].prefix { $0 != "\"" }
        }
        #expect(id(a.render()) != nil)
        #expect(id(a.render()) != id(b.render()))
    }

    @Test func defaultFormatGroupsThousands() {
        #expect(SVGChart.defaultFormat(0) == "0")
        #expect(SVGChart.defaultFormat(999) == "999")
        #expect(SVGChart.defaultFormat(1000) == "1,000")
        #expect(SVGChart.defaultFormat(1_234_567) == "1,234,567")
        #expect(SVGChart.defaultFormat(-1200) == "-1,200")
        #expect(SVGChart.defaultFormat(.min) == "-9,223,372,036,854,775,808")
    }
}
