import Foundation
import Hummingbird
import TandemDomain
import TandemStore

/// A program's Performance tab: the last 12 months by month, or the last 30 days by day, of
/// unique clicks, customers referred, revenue sold, rewards paid and rewards pending — each
/// dated by when its event occurred (UTC), read live from the stored events.
struct ProgramPerformancePage: WebPages {
    let env: WebEnvironment

    enum Interval: String {
        case month, day
    }

    struct Model {
        let shell: Shell
        let name: String
        let company: String
        let tabs: [ProgramTab.Link]
        let byMonth: Bool
        let monthHref: String
        let dayHref: String
        let heading: String
        let stats: [ProgramSummaryPage.Stat]
        let countsChart: String
        let moneyChart: String
        let rows: [Row]
        let showClicks: Bool
    }

    struct Row {
        let label: String
        /// nil when the program has no links (nothing can be clicked).
        let clicks: String?
        let customers: String
        let revenue: String
        let paid: String
        let pending: String
    }

    /// The figures of one period; money in minor units of the program's currency.
    struct Bucket: Equatable {
        var clicks: Int64 = 0
        var customers: Int64 = 0
        var revenue: Int64 = 0
        var paid: Int64 = 0
        var pending: Int64 = 0
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.pattern(SiteRoute.partnerProgramPerformance, "program")) { request, context in
            let scope = try await PartnerScope.load(context, store: store)
            let membership = try scope.membership(id: context.parameters.id("program"))
            try ProgramTab.performance.require(membership)
            let interval = request.uri.queryParameters["interval"].flatMap { Interval(rawValue: String($0)) } ?? .month
            let program = membership.program
            let currency = program.currency
            let partnershipID = try membership.partnership.requireID()
            let (labels, start) = Self.periods(interval, endingAt: now())
            let buckets = try await figures(partnershipID: partnershipID, interval: interval, labels: labels, since: start)
            let id = partnershipID
            let path = SiteRoute.partnerProgramPerformance(id: id).path
            let money: @Sendable (Int64) -> String = { Money(amount: $0, currency: currency).formatted }
            let total = Bucket(
                clicks: try buckets.map(\.clicks).checkedSum(), customers: try buckets.map(\.customers).checkedSum(),
                revenue: try buckets.map(\.revenue).checkedSum(), paid: try buckets.map(\.paid).checkedSum(), pending: try buckets.map(\.pending).checkedSum()
            )
            // Without links there are no clicks: the program shows what it can count, not zeros.
            let showClicks = program.featureLinks
            // The last period is today or this month, still running: the charts and the table say so.
            let shown = labels.map(DateText.period)
            var countsChart = SVGChart(
                kind: .bar, title: (showClicks ? "Clicks and customers" : "Customers") + " referred by \(interval.rawValue)", labels: shown,
                series: (showClicks ? [ChartSeries(name: "Clicks", values: buckets.map(\.clicks))] : [])
                    + [ChartSeries(name: "Customers referred", values: buckets.map(\.customers))])
            countsChart.partialLast = true
            var moneyChart = SVGChart(kind: .line, title: "Revenue and rewards by \(interval.rawValue)", labels: shown, series: [
                ChartSeries(name: "Revenue sold", values: buckets.map(\.revenue)),
                ChartSeries(name: "Rewards paid", values: buckets.map(\.paid)),
                ChartSeries(name: "Rewards pending", values: buckets.map(\.pending)),
            ], formatValue: money)
            moneyChart.partialLast = true
            let rows = zip(shown.indices, buckets).map { index, bucket in
                Row(label: shown[index] + (index == shown.count - 1 ? " (so far)" : ""), clicks: showClicks ? Money.grouped(bucket.clicks) : nil, customers: Money.grouped(bucket.customers),
                    revenue: money(bucket.revenue), paid: money(bucket.paid), pending: money(bucket.pending))
            }
            return try renderer.html("partner_program_performance", Model(
                shell: scope.shell("Performance · \(program.name)", tab: .none, context: context, renderer: renderer),
                name: program.name, company: membership.companyName,
                tabs: ProgramTab.links(for: membership, active: .performance),
                byMonth: interval == .month, monthHref: path + "?interval=month", dayHref: path + "?interval=day",
                heading: interval == .month ? "Last 12 months, by month" : "Last 30 days, by day",
                stats: (showClicks ? [.init(label: "Clicks", value: Money.grouped(total.clicks), hint: "Unique visitors, one per day")] : []) + [
                    .init(label: "Referred", value: Money.grouped(total.customers), hint: "Customers who signed up"),
                    .init(label: "Sold", value: money(total.revenue), hint: "Their payments, less refunds"),
                    .init(label: "Rewards paid", value: money(total.paid), hint: "Cashed out to you"),
                    .init(label: "Rewards pending", value: money(total.pending), hint: "Not yet paid"),
                ],
                countsChart: countsChart.render(), moneyChart: moneyChart.render(),
                rows: rows.reversed(), showClicks: showClicks
            ))
        }
    }

    /// The labels of the periods shown, oldest first ("2025-12" … "2026-11", or
    /// "2026-10-24" … "2026-11-22"), and the instant the first one starts (UTC).
    static func periods(_ interval: Interval, endingAt now: Date) -> (labels: [String], start: Date) {
        let today = Int((now.timeIntervalSince1970 / 86_400).rounded(.down))
        switch interval {
        case .day:
            let days = (0..<30).reversed().map { today - $0 }
            return (days.map { ClickDay.string(Date(timeIntervalSince1970: Double($0) * 86_400)) },
                    Date(timeIntervalSince1970: Double(days[0]) * 86_400))
        case .month:
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let components = calendar.dateComponents([.year, .month], from: now)
            var labels: [String] = []
            var first = DateComponents()
            for back in (0..<12).reversed() {
                var year = components.year!
                var month = components.month! - back
                while month < 1 { month += 12; year -= 1 }
                labels.append(String(format: "%04d-%02d", year, month))
                if labels.count == 1 { first = DateComponents(year: year, month: month, day: 1) }
            }
            return (labels, calendar.date(from: first)!)
        }
    }

    /// Sums the daily rollups into the periods (`PartnerStatsQueries.series`, which the API's
    /// stats answer from too): at most a year of rows per partnership, however many events it has.
    func figures(partnershipID: UUID, interval: Interval, labels: [String], since start: Date) async throws -> [Bucket] {
        let byKey = try await PartnerStatsQueries.series(
            partnershipIDs: [partnershipID], fromDay: ClickDay.string(start), toDay: "9999", period: interval == .month ? .month : .day, on: store.sql
        )
        return labels.map { label in
            let totals = byKey[label] ?? PartnerStatsQueries.Totals()
            return Bucket(clicks: totals.clicks, customers: totals.referred, revenue: totals.sold, paid: totals.earned, pending: totals.pending)
        }
    }
}
