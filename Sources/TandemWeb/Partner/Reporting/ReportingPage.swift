import Foundation
import Hummingbird
import TandemDomain
import TandemStore

/// Reporting across all the partner's programs. Overview: signups, paid customers,
/// payments, sales and rewards by day or month, as charts and a table; the Rewards tab
/// lives in RewardsReportPage. Both export the filtered rows as CSV. Numbers are read
/// live from the stored events; money stays per currency.
struct ReportingPage: WebPages {
    let env: WebEnvironment

    struct Header {
        let label: String
    }

    struct Row {
        let label: String
        /// Clicks (when shown), signups, paid customers, payments: as `countHeaders` names them.
        let counts: [String]
        let money: [String]
    }

    struct Stat {
        let label: String
        let value: String
        let hint: String?
    }

    struct Chart {
        let title: String
        let svg: String
    }

    struct Model {
        let shell: Shell
        let form: ReportForm
        let errors: [String]
        let hasErrors: Bool
        let rangeText: String
        let stats: [Stat]
        let charts: [Chart]
        let countHeaders: [Header]
        let moneyHeaders: [Header]
        let rows: [Row]
        let totals: Row?
        let hasPrograms: Bool
    }

    /// One report computed from the filters: what the page and the CSV both show.
    struct Report {
        let buckets: [ReportFilters.Bucket]
        let data: ReportQueries.Overview
        /// Sorted currency codes: each gets its own columns.
        let currencies: [String]

        func series(_ values: [String: [Int64]], _ code: String) -> [Int64] {
            values[code] ?? Array(repeating: 0, count: buckets.count)
        }
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.partnerReporting.routerPath) { request, context in
            let scope = try await PartnerScope.load(context, store: store)
            let filters = ReportFilters.parse(query(request), scope: scope, now: now(), defaultRange: true)
            return try await page(scope, filters, context)
        }
        RewardsReportPage(env: env).addRoutes(to: router)
        router.get(SiteRoute.partnerReportingExport(kind: "overview").routerPath) { request, context in
            let scope = try await PartnerScope.load(context, store: store)
            let filters = ReportFilters.parse(query(request), scope: scope, now: now(), defaultRange: true)
            guard filters.isValid else { return try await page(scope, filters, context) }
            let report = try await report(scope, filters)
            return CSV.response(Self.csv(report), filename: "tandem-overview-\(filters.fromText)-to-\(filters.toText).csv")
        }
    }

    func query(_ request: Request) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { result[String(key)] = String(value) }
        return result
    }

    func report(_ scope: PartnerScope, _ filters: ReportFilters) async throws -> Report {
        let buckets = filters.buckets
        let allowed = Set(filters.partnershipIDs)
        let currencies = scope.currencies.filter { allowed.contains($0.key) }
        let data = try await ReportQueries.overview(currencies: currencies, starts: buckets.map(\.start), end: buckets.last?.end ?? .distantPast, on: store.sql)
        let programCurrencies = (filters.membership.map { [$0] } ?? scope.memberships).map(\.program.currencyCode)
        return Report(buckets: buckets, data: data, currencies: data.currencies.union(programCurrencies).sorted())
    }

    static func money(_ amount: Int64, _ code: String) -> String {
        guard let currency = Currency(code: code) else { return "\(amount) \(code)" }
        return Money(amount: amount, currency: currency).formatted
    }

    func page(_ scope: PartnerScope, _ filters: ReportFilters, _ context: AppRequestContext) async throws -> Response {
        let shell = scope.shell("Reporting", tab: .reporting, context: context, renderer: renderer)
        let form = ReportForm(filters, scope: scope, tab: .overview)
        guard filters.isValid else {
            return try renderer.html("partner_reporting", Model(
                shell: shell, form: form, errors: filters.errors, hasErrors: true, rangeText: "", stats: [], charts: [],
                countHeaders: [], moneyHeaders: [], rows: [], totals: nil, hasPrograms: !scope.memberships.isEmpty
            ), status: .badRequest)
        }
        let report = try await report(scope, filters)
        let links = (filters.membership.map { [$0] } ?? scope.memberships).contains { $0.program.featureLinks }
        let shown = try Self.figures(report, interval: filters.interval, showClicks: links, now: now())
        return try renderer.html("partner_reporting", Model(
            shell: shell, form: form, errors: [], hasErrors: false,
            rangeText: "\(DateText.period(filters.fromText)) to \(DateText.period(filters.toText)), by \(filters.interval.rawValue)",
            stats: shown.stats, charts: shown.charts, countHeaders: shown.countHeaders, moneyHeaders: shown.moneyHeaders,
            rows: shown.rows, totals: shown.totals,
            hasPrograms: !scope.memberships.isEmpty
        ))
    }

    /// What the series shows — stats, charts and the table by period — shared with the
    /// vendor's Reporting.
    struct Figures {
        let stats: [Stat]
        let charts: [Chart]
        let countHeaders: [Header]
        let moneyHeaders: [Header]
        let rows: [Row]
        let totals: Row
    }

    /// `showClicks`: false when no program in the report has links (its clicks would be a
    /// number that cannot be anything but zero).
    static func figures(_ report: Report, interval: ReportFilters.Interval, showClicks: Bool = true, now: Date) throws -> Figures {
        let data = report.data
        let buckets = report.buckets
        // A range that reaches today ends in a period still running: said so, not shown as a drop.
        let partialLast = buckets.last.map { $0.end > now } ?? false
        func periodLabel(_ index: Int) -> String {
            DateText.period(buckets[index].label) + (partialLast && index == buckets.count - 1 ? " (so far)" : "")
        }

        var headers: [Header] = []
        for code in report.currencies {
            headers += [Header(label: "Sales, gross (\(code))"), Header(label: "Sales, net of refunds (\(code))"),
                        Header(label: "Rewards paid (\(code))"), Header(label: "Rewards pending (\(code))")]
        }
        let countSeries = (showClicks ? [data.clicks] : []) + [data.signups, data.paidCustomers, data.payments]
        let countHeaders = ((showClicks ? ["Clicks"] : []) + ["Signups", "Paid customers", "Payments"]).map { Header(label: $0) }
        func moneySeries(_ code: String) -> [[Int64]] {
            [report.series(data.gross, code), report.series(data.net, code), report.series(data.rewardsPaid, code), report.series(data.rewardsPending, code)]
        }
        let rows = buckets.indices.map { index in
            Row(
                label: periodLabel(index),
                counts: countSeries.map { Money.grouped($0[index]) },
                money: report.currencies.flatMap { code in moneySeries(code).map { money($0[index], code) } }
            )
        }
        let counts = try countSeries.map { try $0.checkedSum() }
        let totals = Row(
            label: "Total", counts: counts.map { Money.grouped($0) },
            money: try report.currencies.flatMap { code in try moneySeries(code).map { money(try $0.checkedSum(), code) } }
        )
        let signups = try data.signups.checkedSum()
        let paidCustomers = try data.paidCustomers.checkedSum()

        var stats = showClicks ? [Stat(label: "Clicks", value: Money.grouped(try data.clicks.checkedSum()), hint: "Unique, on your links")] : []
        stats += [
            Stat(label: "Signups", value: Money.grouped(signups), hint: "Referred customers who signed up"),
            Stat(label: "Paid customers", value: Money.grouped(paidCustomers), hint: "First payment in the range"),
        ]
        for code in report.currencies {
            stats.append(Stat(label: "Sales, net (\(code))", value: money(try report.series(data.net, code).checkedSum(), code), hint: "Net of refunds"))
            stats.append(Stat(label: "Rewards paid (\(code))", value: money(try report.series(data.rewardsPaid, code).checkedSum(), code), hint: "Cashed out"))
            stats.append(Stat(label: "Rewards pending (\(code))", value: money(try report.series(data.rewardsPending, code).checkedSum(), code),
                              hint: "Earned, not yet paid"))
        }

        let unit = interval == .day ? "day" : "month"
        let labels = buckets.map { DateText.period($0.label) }
        var countChart = SVGChart(kind: .bar, title: "Signups and paid customers by \(unit)", labels: labels, series: [
            ChartSeries(name: "Signups", values: data.signups),
            ChartSeries(name: "Paid customers", values: data.paidCustomers),
        ])
        countChart.width = 1040
        countChart.partialLast = partialLast
        var charts = [Chart(title: "Signups and paid customers by \(unit)", svg: countChart.render())]
        for code in report.currencies {
            let title = "Sales (net of refunds) and rewards in \(code) by \(unit)"
            var chart = SVGChart(kind: .line, title: title, labels: labels, series: [
                ChartSeries(name: "Sales, net", values: report.series(data.net, code)),
                ChartSeries(name: "Rewards", values: report.series(data.rewards, code)),
            ], formatValue: { money($0, code) })
            chart.width = 1040
            chart.partialLast = partialLast
            charts.append(Chart(title: title, svg: chart.render()))
        }

        return Figures(stats: stats, charts: charts, countHeaders: countHeaders, moneyHeaders: headers, rows: rows, totals: totals)
    }

    static func csv(_ report: Report) -> String {
        var header = ["period", "period_start", "clicks", "signups", "paid_customers", "payments"]
        for code in report.currencies {
            header += ["sales_gross_\(code)", "sales_net_\(code)", "rewards_\(code)", "rewards_paid_\(code)", "rewards_pending_\(code)"]
        }
        let data = report.data
        let rows: [[CSV.Cell]] = report.buckets.indices.map { index in
            var row: [CSV.Cell] = [
                .text(report.buckets[index].label), .text(ReportFilters.text(report.buckets[index].start)),
                .number(String(data.clicks[index])), .number(String(data.signups[index])), .number(String(data.paidCustomers[index])),
                .number(String(data.payments[index])),
            ]
            for code in report.currencies {
                for values in [data.gross, data.net, data.rewards, data.rewardsPaid, data.rewardsPending] {
                    row.append(.number(CSV.decimal(report.series(values, code)[index], currencyCode: code)))
                }
            }
            return row
        }
        return CSV.document(header: header, rows: rows)
    }
}

/// The filter form and tab links both reporting tabs share.
struct ReportForm {
    enum Tab { case overview, rewards }

    let programs: [ReportFilters.ProgramOption]
    let intervals: [ReportFilters.Option]
    let statuses: [ReportFilters.Option]
    let from: String
    let to: String
    let overviewURL: String
    let rewardsURL: String
    let exportURL: String
    let resetURL: String
    let isOverview: Bool
    let isRewards: Bool

    init(_ filters: ReportFilters, scope: PartnerScope, tab: Tab) {
        programs = filters.programOptions(scope)
        intervals = filters.intervalOptions
        statuses = filters.statusOptions
        from = filters.fromText
        to = filters.toText
        // Carry the program across tabs; dates default differently per tab, so only carry typed ones.
        var carry = ReportFilters()
        carry.programText = filters.isValid ? filters.programText : ""
        carry.interval = filters.interval
        let carried = carry.queryString
        overviewURL = SiteRoute.partnerReporting.path + "?" + carried
        rewardsURL = SiteRoute.partnerReportingRewards.path + "?" + carried
        let kind = tab == .overview ? "overview" : "rewards"
        exportURL = SiteRoute.partnerReportingExport(kind: kind).path + "?" + filters.queryString
        resetURL = tab == .overview ? SiteRoute.partnerReporting.path : SiteRoute.partnerReportingRewards.path
        isOverview = tab == .overview
        isRewards = tab == .rewards
    }
}
