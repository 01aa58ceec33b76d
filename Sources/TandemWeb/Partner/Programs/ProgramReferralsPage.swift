import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// A program's Referrals tab (every referred customer, searchable, 25 a page; the
/// "Submit a Referral" lead form when leads are on) and its Deals tab (when deals are on).
struct ProgramReferralsPage: WebPages {
    let env: WebEnvironment
    static let pageSize = 25

    struct Model {
        let shell: Shell
        let name: String
        let company: String
        let tabs: [ProgramTab.Link]
        let query: String
        /// A search was made (an empty string would still open a Mustache section).
        let searched: Bool
        let customers: [CustomerRow]
        let hasCustomers: Bool
        let total: String
        let previous: String?
        let next: String?
        let pageLabel: String
        let searchAction: String
        let leadsEnabled: Bool
        let leadAction: String
        let lead: FormState
        let leads: [LeadRow]
        let hasLeads: Bool
    }

    struct CustomerRow {
        let name: String
        let signedUp: String
        let paying: Bool
        let revenue: String
    }

    struct LeadRow {
        let name: String
        let email: String
        let company: String?
        let status: String
        let submitted: String
    }

    struct DealsModel {
        let shell: Shell
        let name: String
        let company: String
        let tabs: [ProgramTab.Link]
        let action: String
        let currency: String
        let deal: FormState
        let deals: [DealRow]
        let hasDeals: Bool
    }

    struct DealRow {
        let name: String
        let value: String
        let stage: String
        let badge: String
        let registered: String
    }

    struct IDRow: Decodable { let id: UUID }
    struct CountRow: Decodable { let total: Int64 }
    struct Revenue: Decodable {
        let customer_id: UUID
        let total: Int64?
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.pattern(SiteRoute.partnerProgramReferrals, "program")) { request, context in
            let scope = try await PartnerScope.load(context, store: store)
            let membership = try scope.membership(id: context.parameters.id("program"))
            try ProgramTab.referrals.require(membership)
            let notice: Shell.Notice? = request.uri.queryParameters["submitted"] == "1"
                ? .init(kind: "success", message: "Thank you! Your referral was sent to \(membership.companyName).") : nil
            return try await page(scope, membership, request, context, notice: notice)
        }

        router.post(SiteRoute.pattern(SiteRoute.partnerProgramLeads, "program")) { request, context in
            let scope = try await PartnerScope.load(context, store: store)
            let membership = try scope.membership(id: context.parameters.id("program"))
            guard membership.program.featureLeads else { throw HTTPError(.notFound) }
            let name = context.form.string("name").trimmingCharacters(in: .whitespacesAndNewlines)
            let email = Validate.normalizedEmail(context.form.string("email"))
            let company = context.form.string("company").trimmingCharacters(in: .whitespacesAndNewlines)
            let errors = LeadsAndDeals.leadErrors(name: name, email: email, company: company)
            guard errors.isEmpty else {
                let typed = FormState(values: ["name": name, "email": context.form.string("email"), "company": company], errors: errors)
                return try await page(scope, membership, request, context, lead: typed, status: .unprocessableContent)
            }
            do {
                _ = try await LeadsAndDeals.submitLead(
                    program: membership.program, partnership: membership.partnership, name: name, email: email, company: company, now: now(),
                    notifyVendorAt: config.baseURL + SiteRoute.vendorLeads.path + "?status=new", on: store.db
                )
            } catch let refusal as OperationError {
                let typed = FormState(values: ["name": name, "email": email, "company": company], refusal: refusal)
                return try await page(scope, membership, request, context, lead: typed, status: HTTPResponse.Status(refusal: refusal))
            }
            return Response.seeOther(.partnerProgramReferrals(id: membership.id), query: "submitted=1")
        }

        router.get(SiteRoute.pattern(SiteRoute.partnerProgramDeals, "program")) { request, context in
            let scope = try await PartnerScope.load(context, store: store)
            let membership = try scope.membership(id: context.parameters.id("program"))
            try ProgramTab.deals.require(membership)
            let notice: Shell.Notice? = request.uri.queryParameters["registered"] == "1"
                ? .init(kind: "success", message: "Your deal was registered.") : nil
            return try await dealsPage(scope, membership, context, notice: notice)
        }

        router.post(SiteRoute.pattern(SiteRoute.partnerProgramDeals, "program")) { _, context in
            let scope = try await PartnerScope.load(context, store: store)
            let membership = try scope.membership(id: context.parameters.id("program"))
            try ProgramTab.deals.require(membership)
            let program = membership.program
            let name = context.form.string("name").trimmingCharacters(in: .whitespacesAndNewlines)
            let amountText = context.form.string("amount").trimmingCharacters(in: .whitespacesAndNewlines)
            var errors = FieldErrors()
            Validate.name(name, label: "the deal's name", into: &errors)
            let amount = Money.parse(amountText, currency: program.currency)
            if amountText.isEmpty {
                errors.add("amount", "Enter the deal's value.")
            } else if amount == nil {
                errors.add("amount", "Enter an amount like 1,250.00.")
            } else if let amount, amount.amount <= 0 {
                errors.add("amount", "Enter an amount above zero.")
            } else if let amount, !AmountLimit.contains(amount.amount) {
                errors.add("amount", "Enter at most \(Money(amount: AmountLimit.maximum, currency: program.currency).formatted).")
            }
            guard errors.isEmpty, let amount else {
                return try await dealsPage(scope, membership, context, deal: FormState(values: ["name": name, "amount": amountText], errors: errors),
                                           status: .unprocessableContent)
            }
            _ = try await LeadsAndDeals.submitDeal(
                program: program, partnership: membership.partnership, name: name, amount: amount.amount, currency: nil, now: now(),
                notifyVendorAt: config.baseURL + SiteRoute.vendorDeals.path + "?status=open", on: store.db
            )
            return Response.seeOther(.partnerProgramDeals(id: membership.id), query: "registered=1")
        }
    }


    func page(
        _ scope: PartnerScope, _ membership: PartnerScope.Membership, _ request: Request, _ context: AppRequestContext,
        lead: FormState = FormState(), notice: Shell.Notice? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let program = membership.program
        let partnershipID = try membership.partnership.requireID()
        let id = membership.id
        let query = String((request.uri.queryParameters["q"].map(String.init) ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(100))
        let requested = request.uri.queryParameters["page"].flatMap { Int(String($0)) } ?? 1
        let found = try await ReferralReads.customers(
            partnershipID: partnershipID, search: query, page: requested, pageSize: Self.pageSize, on: store.db
        )
        let (total, pages, pageNumber, revenue) = (found.total, found.pages, found.pageNumber, found.revenue)
        let currency = program.currency
        let rows = found.customers.map { customer in
            let label = customer.name.nonBlank ?? customer.email.map(EmailMask.mask) ?? "Customer"
            return CustomerRow(
                name: label, signedUp: DateText.day(customer.signedUpAt),
                paying: customer.id.map { revenue[$0] != nil } ?? false,
                revenue: Money(amount: customer.id.flatMap { revenue[$0] } ?? 0, currency: currency).formatted
            )
        }
        func link(_ number: Int) -> String {
            var items: [String] = []
            if !query.isEmpty { items.append("q=" + (query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")) }
            items.append("page=\(number)")
            return SiteRoute.partnerProgramReferrals(id: id).path + "?" + items.joined(separator: "&")
        }
        var leadRows: [LeadRow] = []
        if program.featureLeads {
            leadRows = try await ReferralReads.leads(partnershipID: partnershipID, limit: 100, on: store.db)
                .map { LeadRow(name: $0.name, email: $0.email, company: $0.company, status: $0.status.rawValue.capitalized, submitted: DateText.day($0.createdAt)) }
        }
        return try renderer.html("partner_program_referrals", Model(
            shell: scope.shell("Referrals · \(program.name)", tab: .none, context: context, renderer: renderer, notice: notice),
            name: program.name, company: membership.companyName,
            tabs: ProgramTab.links(for: membership, active: .referrals),
            query: query, searched: !query.isEmpty, customers: rows, hasCustomers: !rows.isEmpty,
            total: Money.grouped(total),
            previous: pageNumber > 1 ? link(pageNumber - 1) : nil,
            next: pageNumber < pages ? link(pageNumber + 1) : nil,
            pageLabel: "Page \(pageNumber) of \(pages)",
            searchAction: SiteRoute.partnerProgramReferrals(id: id).path,
            leadsEnabled: program.featureLeads,
            leadAction: SiteRoute.partnerProgramLeads(id: id).path,
            lead: lead, leads: leadRows, hasLeads: !leadRows.isEmpty
        ), status: status)
    }

    func dealsPage(
        _ scope: PartnerScope, _ membership: PartnerScope.Membership, _ context: AppRequestContext,
        deal: FormState = FormState(), notice: Shell.Notice? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let program = membership.program
        let deals = try await ReferralReads.deals(partnershipID: membership.partnership.requireID(), limit: 100, on: store.db)
        let rows = deals.map { deal in
            let badge = switch deal.stage { case .open: "pending"; case .won: "paid"; case .lost: "declined" }
            return DealRow(
                name: deal.name,
                value: Money(amount: deal.amount, currency: Currency(code: deal.currency) ?? program.currency).formatted,
                stage: deal.stage.rawValue.capitalized,
                badge: badge,
                registered: DateText.day(deal.createdAt)
            )
        }
        return try renderer.html("partner_program_deals", DealsModel(
            shell: scope.shell("Deals · \(program.name)", tab: .none, context: context, renderer: renderer, notice: notice),
            name: program.name, company: membership.companyName,
            tabs: ProgramTab.links(for: membership, active: .deals),
            action: SiteRoute.partnerProgramDeals(id: membership.id).path,
            currency: program.currencyCode, deal: deal, deals: rows, hasDeals: !rows.isEmpty
        ), status: status)
    }
}
