import Foundation
import Hummingbird
import TandemDomain
import TandemStore

/// Reporting → Rewards: every reward of the partner with program, customer, event,
/// amount, status and dates; filtered by program, status and the date it was earned.
/// Registered by ReportingPage.
struct RewardsReportPage: WebPages {
    let env: WebEnvironment

    /// The page shows at most this many rows; the CSV has every matching one.
    /// Rows per page: rendering is most of a page's time, so pages stay short; the CSV has every row.
    static let pageLimit = 100
    static let exportLimit = 100_000

    struct Row {
        let created: String
        let program: String
        let customer: String
        let event: String
        let description: String
        let amount: String
        let status: String
        let statusLabel: String
        let available: String
        let declineReason: String?
    }

    struct Total {
        let currency: String
        let count: String
        let earned: String
    }

    struct Model {
        let shell: Shell
        let form: ReportForm
        let errors: [String]
        let hasErrors: Bool
        let rows: [Row]
        let hasRows: Bool
        let totals: [Total]
        let hasTotals: Bool
        let pageLabel: String
        let previous: String?
        let next: String?
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.partnerReportingRewards.routerPath) { request, context in
            let scope = try await PartnerScope.load(context, store: store)
            let filters = ReportFilters.parse(ReportingPage(env: env).query(request), scope: scope, now: now(), defaultRange: false)
            let requested = request.uri.queryParameters["page"].flatMap { Int(String($0)) } ?? 1
            return try await page(scope, filters, context, requestedPage: requested)
        }
        router.get(SiteRoute.partnerReportingExport(kind: "rewards").routerPath) { request, context in
            let scope = try await PartnerScope.load(context, store: store)
            let filters = ReportFilters.parse(ReportingPage(env: env).query(request), scope: scope, now: now(), defaultRange: false)
            guard filters.isValid else { return try await page(scope, filters, context) }
            let rewards = try await ReportQueries.rewards(filters.rewardFilter, limit: Self.exportLimit, on: store.sql)
            let range = [filters.fromText, filters.toText].filter { !$0.isEmpty }.joined(separator: "-to-")
            return CSV.response(csv(rewards), filename: "tandem-rewards\(range.isEmpty ? "" : "-" + range).csv")
        }
    }

    func page(_ scope: PartnerScope, _ filters: ReportFilters, _ context: AppRequestContext, requestedPage: Int = 1) async throws -> Response {
        let shell = scope.shell("Reporting: Rewards", tab: .reporting, context: context, renderer: renderer)
        let form = ReportForm(filters, scope: scope, tab: .rewards)
        guard filters.isValid else {
            return try renderer.html("partner_reporting_rewards", Model(
                shell: shell, form: form, errors: filters.errors, hasErrors: true, rows: [], hasRows: false, totals: [], hasTotals: false,
                pageLabel: "", previous: nil, next: nil
            ), status: .badRequest)
        }
        let sums = try await ReportQueries.rewardTotals(filters.rewardFilter, currencies: scope.currencies, on: store.sql)
        let totals = sums.map {
            Total(currency: $0.currency, count: Money.grouped($0.count), earned: ReportingPage.money($0.earned, $0.currency))
        }
        let matching = Int(sums.reduce(0) { $0 + $1.count })
        let pages = max(1, (matching + Self.pageLimit - 1) / Self.pageLimit)
        let pageNumber = min(max(1, requestedPage), pages)
        let rewards = try await ReportQueries.rewards(filters.rewardFilter, limit: Self.pageLimit, offset: (pageNumber - 1) * Self.pageLimit, on: store.sql)
        func link(_ number: Int) -> String { SiteRoute.partnerReportingRewards.path + "?" + filters.queryString + "&page=\(number)" }
        let rows = rewards.map { reward in
            Row(
                created: DateText.day(reward.created_at),
                program: reward.program_name,
                customer: reward.customer,
                event: reward.event,
                description: reward.description,
                amount: ReportingPage.money(reward.amount, reward.currency),
                status: reward.state.badge,
                statusLabel: reward.state.label,
                available: reward.state.hasAvailableDate ? DateText.day(reward.available_at) : "—",
                declineReason: reward.decline_reason
            )
        }
        return try renderer.html("partner_reporting_rewards", Model(
            shell: shell, form: form, errors: [], hasErrors: false, rows: Array(rows), hasRows: !rows.isEmpty, totals: totals, hasTotals: !totals.isEmpty,
            pageLabel: "Page \(pageNumber) of \(Money.grouped(Int64(pages)))",
            previous: pageNumber > 1 ? link(pageNumber - 1) : nil, next: pageNumber < pages ? link(pageNumber + 1) : nil
        ))
    }

    func csv(_ rewards: [ReportQueries.RewardRow]) -> String {
        let header = ["reward_id", "created_at", "program", "customer", "customer_email", "event", "description", "amount", "currency",
                      "status", "available_at", "updated_at", "decline_reason"]
        let iso = Date.ISO8601FormatStyle()
        let rows: [[CSV.Cell]] = rewards.map { reward in
            [
                .text(reward.id.uuidString.lowercased()), .text(reward.created_at.formatted(iso)), .text(reward.program_name),
                .text(reward.customer_name ?? reward.customer_key ?? ""), .text(reward.customer_email ?? ""), .text(reward.event),
                .text(reward.description), .number(CSV.decimal(reward.amount, currencyCode: reward.currency)), .text(reward.currency),
                .text(reward.state.code), .text(reward.available_at.formatted(iso)), .text(reward.updated_at.formatted(iso)),
                .text(reward.decline_reason ?? ""),
            ]
        }
        return CSV.document(header: header, rows: rows)
    }
}
