import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// What partners referred: customers, leads and deals, filterable; leads move through
/// new / qualified / unqualified / converted / lost and deals through open / won / lost
/// (`LeadsAndDeals`, as the API's PATCH), which earns the rules in the same transaction.
struct VendorReferralsPage: WebPages {
    let env: WebEnvironment
    static let pageSize = 50

    enum Kind: String { case customers, leads, deals }

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Row {
        let id: String
        let created: String
        let title: String
        let detail: String
        let partner: String
        let partnerURL: String?
        let program: String
        let amount: String?
        let state: String
        let moveAction: String?
        let moves: [Option]
    }

    struct Model {
        let shell: Shell
        let heading: String
        let kind: String
        let tabs: [Option]
        let programs: [Option]
        let states: [Option]
        let hasStates: Bool
        let search: String
        let rows: [Row]
        let hasRows: Bool
        let showAmount: Bool
        let showState: Bool
        let previousURL: String?
        let nextURL: String?
        let pageNumber: Int
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        for (kind, route) in [(Kind.customers, SiteRoute.vendorCustomers), (.leads, .vendorLeads), (.deals, .vendorDeals)] {
            router.get(route.routerPath) { request, context in
                let scope = try await VendorScope.load(context, store: store)
                let query = Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { _, last in last })
                let notice: Shell.Notice? = switch query["done"] {
                case "moved": .init(kind: "success", message: "Saved. Rewards the new status earns were made.")
                case "refused": .init(kind: "error", message: "That status is not one this list allows.")
                default: nil
                }
                return try await page(kind, scope, query, context, notice: notice)
            }
        }

        router.post(SiteRoute.pattern(SiteRoute.vendorLead, "id")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            try scope.require(.runPrograms)
            do {
                _ = try await LeadsAndDeals.setLeadStatus(leadID: try context.parameters.id("id"), companyID: scope.companyID, status: context.form["status"],
                                                          actor: .user(scope.identity.userID), now: now(), on: store.db)
            } catch let refusal as OperationError {
                if case .notFound = refusal { throw HTTPError(.notFound) }
                return Response.seeOther(.vendorLeads, query: "done=refused")
            }
            return Response.seeOther(.vendorLeads, query: "done=moved")
        }

        router.post(SiteRoute.pattern(SiteRoute.vendorDeal, "id")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            try scope.require(.runPrograms)
            do {
                _ = try await LeadsAndDeals.setDealStage(dealID: try context.parameters.id("id"), companyID: scope.companyID, stage: context.form["stage"],
                                                         actor: .user(scope.identity.userID), now: now(), on: store.db)
            } catch let refusal as OperationError {
                if case .notFound = refusal { throw HTTPError(.notFound) }
                return Response.seeOther(.vendorDeals, query: "done=refused")
            }
            return Response.seeOther(.vendorDeals, query: "done=moved")
        }
    }

    func page(_ kind: Kind, _ scope: VendorScope, _ query: [String: String], _ context: AppRequestContext, notice: Shell.Notice?) async throws -> Response {
        let program = scope.program(filter: query["program"])
        let programIDs = program.flatMap(\.id).map { [$0] } ?? scope.programs.compactMap(\.id)
        let search = String((query["q"] ?? "").trimmingCharacters(in: .whitespaces).prefix(100))
        let pageNumber = max(1, min(Int(query["page"] ?? "") ?? 1, 10_000))
        let offset = (pageNumber - 1) * Self.pageSize
        let canMove = scope.role.may(.runPrograms)
        let stateText = query["status"] ?? ""
        var states: [(String, String)] = []
        var rows: [Row] = []
        func partnerURL(_ id: UUID?) -> String? { id.map { SiteRoute.vendorPartner(id: $0).path } }
        switch kind {
        case .customers:
            rows = try await CompanyReferralReads.customers(programIDs: programIDs, search: search, limit: Self.pageSize + 1, offset: offset, on: store.sql).map {
                Row(id: $0.id.pathText, created: DateText.day($0.signed_up_at), title: $0.name ?? $0.email ?? $0.key,
                    detail: [$0.email, $0.key].compactMap { $0 }.joined(separator: " · "), partner: $0.partner_name ?? "Not referred",
                    partnerURL: partnerURL($0.partnership_id), program: $0.program_name, amount: nil, state: "", moveAction: nil, moves: [])
            }
        case .leads:
            states = Lead.Status.allCases.map { ($0.rawValue, $0.rawValue.capitalized) }
            let status = Lead.Status(rawValue: stateText)
            rows = try await CompanyReferralReads.leads(programIDs: programIDs, status: status, search: search, limit: Self.pageSize + 1, offset: offset, on: store.sql).map { lead in
                Row(id: lead.id.pathText, created: DateText.day(lead.created_at), title: lead.name,
                    detail: [lead.email, lead.company].compactMap { $0 }.joined(separator: " · "), partner: lead.partner_name,
                    partnerURL: partnerURL(lead.partnership_id), program: lead.program_name, amount: nil, state: lead.status.rawValue.capitalized,
                    moveAction: canMove ? SiteRoute.vendorLead(id: lead.id).path : nil,
                    moves: Lead.Status.allCases.map { Option(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == lead.status) })
            }
        case .deals:
            states = Deal.Stage.allCases.map { ($0.rawValue, $0.rawValue.capitalized) }
            let stage = Deal.Stage(rawValue: stateText)
            rows = try await CompanyReferralReads.deals(programIDs: programIDs, stage: stage, search: search, limit: Self.pageSize + 1, offset: offset, on: store.sql).map { deal in
                Row(id: deal.id.pathText, created: DateText.day(deal.created_at), title: deal.name, detail: "", partner: deal.partner_name,
                    partnerURL: partnerURL(deal.partnership_id), program: deal.program_name,
                    amount: Money(amount: deal.amount, currency: Currency(code: deal.currency) ?? .usd).formatted, state: deal.stage.rawValue.capitalized,
                    moveAction: canMove ? SiteRoute.vendorDeal(id: deal.id).path : nil,
                    moves: Deal.Stage.allCases.map { Option(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == deal.stage) })
            }
        }
        let hasNext = rows.count > Self.pageSize
        rows = Array(rows.prefix(Self.pageSize))
        let base = [Kind.customers: SiteRoute.vendorCustomers, .leads: .vendorLeads, .deals: .vendorDeals][kind]!.path
        let filters = [("program", program?.slug ?? ""), ("status", stateText), ("q", search)]
        func pageURL(_ n: Int) -> String { base + "?" + SiteRoute.query(filters + [("page", String(n))]) }
        let heading = ["customers": "Customers", "leads": "Leads", "deals": "Deals"][kind.rawValue]!
        return try renderer.html("vendor_referrals", Model(
            shell: scope.shell(heading, tab: .partners, context: context, renderer: renderer, notice: notice),
            heading: heading, kind: kind.rawValue,
            tabs: [("Customers", SiteRoute.vendorCustomers.path, Kind.customers), ("Leads", SiteRoute.vendorLeads.path, .leads), ("Deals", SiteRoute.vendorDeals.path, .deals)]
                .map { Option(value: $0.1, label: $0.0, selected: $0.2 == kind) },
            programs: [Option(value: "", label: "All programs", selected: program == nil)]
                + scope.programs.map { Option(value: $0.slug, label: $0.name, selected: $0.slug == program?.slug) },
            states: [Option(value: "", label: "Any", selected: stateText.isEmpty)] + states.map { Option(value: $0.0, label: $0.1, selected: $0.0 == stateText) },
            hasStates: !states.isEmpty, search: search, rows: rows, hasRows: !rows.isEmpty,
            showAmount: kind == .deals, showState: kind != .customers,
            previousURL: pageNumber > 1 ? pageURL(pageNumber - 1) : nil, nextURL: hasNext ? pageURL(pageNumber + 1) : nil, pageNumber: pageNumber
        ))
    }
}
