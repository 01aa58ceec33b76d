import Foundation
import Hummingbird
import TandemDomain
import TandemStore

/// The vendor's Reporting: the partner side's report (stats, charts, a table by period)
/// over the company's programs, narrowed to a program, a group or one partner, with a
/// breakdown by program, group or partner beside it. Both tables export as CSV. Every
/// number comes from the daily rollups, so the page reads a row per partnership and day
/// at most, and money stays per currency.
struct VendorReportingPage: WebPages {
    let env: WebEnvironment
    /// Lines the page shows of a breakdown; the CSV has them all.
    static let shownLines = 100

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Line {
        let label: String
        let detail: String?
        let url: String?
        let filterURL: String?
        let signups: String
        let paidCustomers: String
        let payments: String
        let net: String
        let rewards: String
    }

    struct Model {
        let shell: Shell
        let programs: [Option]
        let groups: [Option]
        let hasGroups: Bool
        let dimensions: [Option]
        let intervals: [Option]
        let from: String
        let to: String
        let partnerID: String
        let partnerName: String?
        let clearPartnerURL: String
        let exportPeriodsURL: String
        let exportBreakdownURL: String
        let errors: [String]
        let hasErrors: Bool
        let rangeText: String
        let stats: [ReportingPage.Stat]
        let charts: [ReportingPage.Chart]
        let countHeaders: [ReportingPage.Header]
        let moneyHeaders: [ReportingPage.Header]
        let rows: [ReportingPage.Row]
        let totals: ReportingPage.Row?
        let breakdownTitle: String
        let breakdownLower: String
        let lines: [Line]
        let hasLines: Bool
        let moreLines: String?
        let hasPrograms: Bool
    }

    /// The filters as read and checked: a bad value leaves an error, never a throw.
    struct Filters {
        var range = ReportFilters()
        var program: Program?
        var groups: [ProgramGroup] = []
        var groupID: UUID?
        var partnerID: UUID?
        var partnerName: String?
        var dimension: CompanyReportReads.Dimension = .program

        var errors: [String] { range.errors }

        func storeFilter(_ scope: VendorScope) -> CompanyReportReads.Filter {
            CompanyReportReads.Filter(
                programIDs: program.flatMap(\.id).map { [$0] } ?? scope.programs.compactMap(\.id), groupID: groupID, partnerAccountID: partnerID)
        }

        func items(dropping: String? = nil) -> [(String, String)] {
            let all = [
                ("program", program?.slug ?? ""), ("group", groupID?.pathText ?? ""), ("partner", partnerID?.pathText ?? ""),
                ("from", range.fromText), ("to", range.toText), ("interval", range.interval.rawValue), ("by", dimension.rawValue),
            ]
            return all.filter { $0.0 != dropping }
        }
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.vendorReporting.routerPath) { request, context in
            let scope = try await VendorScope.load(context, store: store)
            let filters = try await read(Self.query(request), scope)
            return try await page(scope, filters, context)
        }
        router.get(SiteRoute.vendorReportingExport.routerPath) { request, context in
            let scope = try await VendorScope.load(context, store: store)
            let query = Self.query(request)
            let filters = try await read(query, scope)
            guard filters.errors.isEmpty else { return try await page(scope, filters, context) }
            let name = "\(filters.range.fromText)-to-\(filters.range.toText)"
            if query["table"] == "breakdown" {
                let lines = try await breakdown(scope, filters)
                return CSV.response(Self.csv(lines, filters.dimension), filename: "tandem-by-\(filters.dimension.rawValue)-\(name).csv")
            }
            return CSV.response(ReportingPage.csv(try await report(scope, filters)), filename: "tandem-report-\(name).csv")
        }
    }

    static func query(_ request: Request) -> [String: String] {
        Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { _, last in last })
    }

    func read(_ query: [String: String], _ scope: VendorScope) async throws -> Filters {
        var filters = Filters()
        filters.range.readRange(query, now: now(), defaultRange: true)
        let programText = query["program"] ?? ""
        filters.program = scope.program(filter: programText)
        if !programText.isEmpty && filters.program == nil {
            filters.range.errors.append("That program is not one of the company's. Choose one from the list, or All programs.")
        }
        if let program = filters.program {
            filters.groups = try await ProgramReads.groups(programID: try program.requireID(), on: store.db)
        }
        if let text = query["group"], !text.isEmpty {
            if let id = UUID(uuidString: text), filters.groups.contains(where: { $0.id == id }) {
                filters.groupID = id
            } else {
                filters.range.errors.append("Choose a program first, then one of its groups.")
            }
        }
        if let text = query["partner"], !text.isEmpty {
            let ids = scope.programs.compactMap(\.id)
            if let id = UUID(uuidString: text), let name = try await CompanyReportReads.partnerName(id, programIDs: ids, on: store.sql) {
                filters.partnerID = id
                filters.partnerName = name
            } else {
                filters.range.errors.append("That partner is not a partner of the company.")
            }
        }
        if let text = query["by"], !text.isEmpty {
            if let dimension = CompanyReportReads.Dimension(rawValue: text) {
                filters.dimension = dimension
            } else {
                filters.range.errors.append("Break down by program, group or partner.")
            }
        }
        return filters
    }

    func report(_ scope: VendorScope, _ filters: Filters) async throws -> ReportingPage.Report {
        let buckets = filters.range.buckets
        let data = try await CompanyReportReads.overview(
            filters.storeFilter(scope), starts: buckets.map(\.start), end: buckets.last?.end ?? .distantPast, on: store.sql)
        let programCurrencies = (filters.program.map { [$0] } ?? scope.programs).map(\.currencyCode)
        return ReportingPage.Report(buckets: buckets, data: data, currencies: data.currencies.union(programCurrencies).sorted())
    }

    func breakdown(_ scope: VendorScope, _ filters: Filters) async throws -> [CompanyReportReads.Line] {
        guard let from = filters.range.from, let to = filters.range.toExclusive else { return [] }
        return try await CompanyReportReads.breakdown(
            filters.storeFilter(scope), by: filters.dimension, fromDay: ClickDay.string(from), toDay: ClickDay.string(to), on: store.sql)
    }

    func page(_ scope: VendorScope, _ filters: Filters, _ context: AppRequestContext) async throws -> Response {
        let shell = scope.shell("Reporting", tab: .reporting, context: context, renderer: renderer)
        let valid = filters.errors.isEmpty
        let links = (filters.program.map { [$0] } ?? scope.programs).contains { $0.featureLinks }
        let shown = valid ? try ReportingPage.figures(try await report(scope, filters), interval: filters.range.interval, showClicks: links, now: now()) : nil
        let lines = valid ? try await breakdown(scope, filters) : []
        let base = SiteRoute.vendorReporting.path + "?"
        let export = SiteRoute.vendorReportingExport.path + "?"
        let dimensionNames: [CompanyReportReads.Dimension: String] = [.program: "Program", .group: "Group", .partner: "Partner"]
        let model = Model(
            shell: shell,
            programs: [Option(value: "", label: "All programs", selected: filters.program == nil)]
                + scope.programs.map { Option(value: $0.slug, label: "\($0.name) (\($0.currencyCode))", selected: $0.slug == filters.program?.slug) },
            groups: [Option(value: "", label: "Every group", selected: filters.groupID == nil)]
                + filters.groups.compactMap { g in g.id.map { Option(value: $0.pathText, label: g.name, selected: $0 == filters.groupID) } },
            hasGroups: !filters.groups.isEmpty,
            dimensions: CompanyReportReads.Dimension.allCases.map { Option(value: $0.rawValue, label: dimensionNames[$0]!, selected: $0 == filters.dimension) },
            intervals: [Option(value: "month", label: "Month", selected: filters.range.interval == .month),
                        Option(value: "day", label: "Day", selected: filters.range.interval == .day)],
            from: filters.range.fromText, to: filters.range.toText,
            partnerID: filters.partnerID?.pathText ?? "", partnerName: filters.partnerName,
            clearPartnerURL: base + SiteRoute.query(filters.items(dropping: "partner")),
            exportPeriodsURL: export + SiteRoute.query(filters.items() + [("table", "periods")]),
            exportBreakdownURL: export + SiteRoute.query(filters.items() + [("table", "breakdown")]),
            errors: filters.errors, hasErrors: !valid,
            rangeText: "\(DateText.period(filters.range.fromText)) to \(DateText.period(filters.range.toText)), by \(filters.range.interval.rawValue)",
            stats: shown?.stats ?? [], charts: shown?.charts ?? [], countHeaders: shown?.countHeaders ?? [], moneyHeaders: shown?.moneyHeaders ?? [],
            rows: shown?.rows ?? [], totals: shown?.totals,
            breakdownTitle: "By \(filters.dimension.rawValue)", breakdownLower: "by \(filters.dimension.rawValue)",
            lines: lines.prefix(Self.shownLines).map { line in
                let money = { (amount: Int64) in ReportingPage.money(amount, line.currency) }
                let narrow: [(String, String)]? = switch filters.dimension {
                case .program: scope.programs.first { $0.id == line.id }.map { [("program", $0.slug)] }
                case .group: filters.program.map { [("program", $0.slug), ("group", line.id.pathText)] }
                case .partner: [("partner", line.id.pathText)]
                }
                return Line(
                    label: line.label, detail: line.detail.isEmpty ? nil : line.detail,
                    url: filters.dimension == .partner ? SiteRoute.vendorPartners.path + "?" + SiteRoute.query([("q", line.label)]) : nil,
                    filterURL: narrow.map { narrow in
                        let kept = filters.items().filter { item in !narrow.contains { $0.0 == item.0 } }
                        return base + SiteRoute.query(kept + narrow)
                    },
                    signups: Money.grouped(line.figures.signups), paidCustomers: Money.grouped(line.figures.payingCustomers),
                    payments: Money.grouped(line.figures.payments), net: money(line.figures.net), rewards: money(line.figures.rewardsEarned))
            },
            hasLines: !lines.isEmpty, moreLines: lines.count > Self.shownLines ? Money.grouped(Int64(lines.count - Self.shownLines)) : nil,
            hasPrograms: !scope.programs.isEmpty
        )
        return try renderer.html("vendor_reporting", model, status: valid ? .ok : .badRequest)
    }

    static func csv(_ lines: [CompanyReportReads.Line], _ dimension: CompanyReportReads.Dimension) -> String {
        let header = [dimension.rawValue, "\(dimension.rawValue)_id", "program", "currency", "signups", "paid_customers", "payments",
                      "sales_gross", "sales_net", "rewards"]
        let rows: [[CSV.Cell]] = lines.map { line in
            let f = line.figures
            return [
                .text(line.label), .text(line.id.pathText), .text(line.detail), .text(line.currency),
                .number(String(f.signups)), .number(String(f.payingCustomers)), .number(String(f.payments)),
                .number(CSV.decimal(f.gross, currencyCode: line.currency)), .number(CSV.decimal(f.net, currencyCode: line.currency)),
                .number(CSV.decimal(f.rewardsEarned, currencyCode: line.currency)),
            ]
        }
        return CSV.document(header: header, rows: rows)
    }
}
