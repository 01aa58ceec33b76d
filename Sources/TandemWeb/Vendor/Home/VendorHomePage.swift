import Foundation
import Hummingbird
import TandemDomain
import TandemStore

/// The vendor's Overview: what waits for them (with links to each list), each program's
/// numbers, and the last 12 months by month.
struct VendorHomePage: WebPages {
    let env: WebEnvironment

    struct ToDo {
        let label: String
        let count: String
        let href: String
        let urgent: Bool
    }

    struct Row {
        let name: String
        let slug: String
        let settingsURL: String
        let partnersURL: String
        let currency: String
        let listed: Bool
        let clicks: String
        let signups: String
        let payingCustomers: String
        let revenue: String
        let rewardsPending: String
        let rewardsAvailable: String
        let rewardsPaid: String
        let activePartners: String
        let applications: String
    }

    struct Chart {
        let title: String
        let svg: String
    }

    struct Model {
        let shell: Shell
        let company: String
        let role: String
        let todo: [ToDo]
        let programs: [Row]
        let hasPrograms: Bool
        let canCreate: Bool
        let charts: [Chart]
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.vendorHome.routerPath) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            let programIDs = scope.programs.compactMap(\.id)
            let figures = try await CompanyOverviewReads.programFigures(programIDs: programIDs, on: store.sql)
            let partners = try await PartnershipReads.statusCounts(companyID: scope.companyID, on: store.sql)
            let todo = try await CompanyOverviewReads.toDo(companyID: scope.companyID, programIDs: programIDs, on: store.sql)
            let rows = scope.programs.map { program in
                let numbers = program.id.flatMap { figures[$0] } ?? .init()
                let counts = program.id.flatMap { partners[$0] } ?? [:]
                func money(_ amount: Int64) -> String { Money(amount: amount, currency: program.currency).formatted }
                return Row(
                    name: program.name, slug: program.slug, settingsURL: SiteRoute.vendorProgramSettings(slug: program.slug).path,
                    partnersURL: SiteRoute.vendorPartners.path + "?" + SiteRoute.query([("program", program.slug)]),
                    currency: program.currencyCode, listed: program.marketplace,
                    clicks: Money.grouped(numbers.clicks), signups: Money.grouped(numbers.signups),
                    payingCustomers: Money.grouped(numbers.payingCustomers), revenue: money(numbers.net),
                    rewardsPending: money(numbers.rewardsPending), rewardsAvailable: money(numbers.rewardsAvailable), rewardsPaid: money(numbers.rewardsPaid),
                    activePartners: Money.grouped(Int64(counts[.active] ?? 0)), applications: Money.grouped(Int64(counts[.applied] ?? 0))
                )
            }
            let items: [(String, Int64, String)] = [
                ("Applications to review", todo.applications, SiteRoute.vendorPartners.path + "?status=applied"),
                ("Rewards pending review", todo.rewardsPending, SiteRoute.vendorRewards.path + "?status=pending"),
                ("Rewards held", todo.rewardsHeld, SiteRoute.vendorRewards.path + "?status=held"),
                ("Withdrawals to pay", todo.withdrawalsToPay, SiteRoute.vendorPayouts.path + "?status=requested"),
                ("New leads", todo.newLeads, SiteRoute.vendorLeads.path + "?status=new"),
                ("Open deals", todo.openDeals, SiteRoute.vendorDeals.path + "?status=open"),
            ]
            return try renderer.html("vendor_home", Model(
                shell: scope.shell("Overview", tab: .overview, context: context, renderer: renderer),
                company: scope.companyName, role: scope.role.label,
                todo: items.map { ToDo(label: $0.0, count: Money.grouped($0.1), href: $0.2, urgent: $0.1 > 0) },
                programs: rows, hasPrograms: !rows.isEmpty, canCreate: scope.role.may(.runPrograms),
                charts: try await charts(programIDs: programIDs)
            ))
        }
    }

    /// The last 12 months, to the end of this one: counts in bars, money per currency in lines.
    func charts(programIDs: [UUID]) async throws -> [Chart] {
        guard !programIDs.isEmpty else { return [] }
        let utc = ReportFilters.utc
        let thisMonth = utc.date(from: utc.dateComponents([.year, .month], from: now()))!
        let starts = (0..<12).reversed().map { utc.date(byAdding: .month, value: -$0, to: thisMonth)! }
        let end = utc.date(byAdding: .month, value: 1, to: thisMonth)!
        let data = try await CompanyOverviewReads.overview(programIDs: programIDs, starts: starts, end: end, on: store.sql)
        let labels = starts.map { DateText.period(String(ClickDay.string($0).prefix(7))) }
        var counts = SVGChart(kind: .bar, title: "Signups and paying customers by month", labels: labels, series: [
            ChartSeries(name: "Signups", values: data.signups), ChartSeries(name: "Paying customers", values: data.paidCustomers),
        ])
        counts.width = 1040
        counts.partialLast = true  // the last bar is this month, still running
        var charts = [Chart(title: "Signups and paying customers by month", svg: counts.render())]
        for code in data.currencies.sorted() {
            let currency = Currency(code: code) ?? .usd
            let zero = Array(repeating: Int64(0), count: starts.count)
            let title = "Revenue (net of refunds) and rewards in \(code) by month"
            var chart = SVGChart(kind: .line, title: title, labels: labels, series: [
                ChartSeries(name: "Revenue, net", values: data.net[code] ?? zero), ChartSeries(name: "Rewards", values: data.rewards[code] ?? zero),
            ], formatValue: { Money(amount: $0, currency: currency).formatted })
            chart.width = 1040
            chart.partialLast = true
            charts.append(Chart(title: title, svg: chart.render()))
        }
        return charts
    }
}
