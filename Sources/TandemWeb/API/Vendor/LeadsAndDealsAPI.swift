import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// `/api/v1/leads` and `/api/v1/deals`: prospects and opportunities a partner brought.
struct LeadsAndDealsAPI {
    let env: WebEnvironment

    struct LeadBody: Decodable {
        var program: String?
        var partnerKey: String?
        var email: String?
        var name: String?
        var company: String?
    }

    struct LeadStatusBody: Decodable {
        var status: String?
    }

    struct DealBody: Decodable {
        var program: String?
        var partnerKey: String?
        var name: String?
        var amount: Int64?
        var currency: String?
    }

    struct DealStageBody: Decodable {
        var stage: String?
    }

    static let leadContract = BodyContract(LeadBody.self, name: "LeadCreate", required: ["program", "partner_key", "email", "name"], notes: [
        "program": .programSlug,
        "partner_key": .text("The partner who brought the lead."),
        "email": .email(),
        "company": .text(max: 200),
    ])
    static let leadStatusContract = BodyContract(LeadStatusBody.self, name: "LeadUpdate", required: ["status"], notes: [
        "status": .oneOf(Lead.Status.allCases.map(\.rawValue)),
    ])
    static let dealContract = BodyContract(DealBody.self, name: "DealCreate", required: ["program", "partner_key", "name", "amount"], notes: [
        "program": .programSlug,
        "partner_key": .text("The partner who brought the deal."),
        "name": .text(max: 200),
        "amount": .integer("Minor units, 0 or more.", min: 0),
        "currency": .currency,
    ])
    static let dealStageContract = BodyContract(DealStageBody.self, name: "DealUpdate", required: ["stage"], notes: [
        "stage": .oneOf(Deal.Stage.allCases.map(\.rawValue)),
    ])

    typealias LeadDTO = LeadObject
    typealias DealDTO = DealObject

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("leads") { _, context in try await createLead(context) }
        api.patch("leads/:id") { _, context in try await updateLead(context) }
        api.post("deals") { _, context in try await createDeal(context) }
        api.patch("deals/:id") { _, context in try await updateDeal(context) }
        api.get("leads") { request, context in try await listLeads(request, context) }
        api.get("deals") { request, context in try await listDeals(request, context) }
    }

    func leadDTO(_ lead: Lead, program: Program) throws -> LeadDTO {
        try LeadDTO(lead, programSlug: program.slug)
    }

    func dealDTO(_ deal: Deal, program: Program) throws -> DealDTO {
        try DealDTO(deal, programSlug: program.slug)
    }

    /// The program (the vendor's) and the partnership named by `partner_key` in it.
    func programAndPartnership(_ programSlug: String?, _ partnerKey: String?, context: AppRequestContext) async throws -> (Program, Partnership) {
        let program = try await APILookups.program(slug: programSlug, companyID: context.vendorCompanyID(), on: env.store)
        guard let key = partnerKey.nonBlank else {
            throw APIError(status: .badRequest, code: "missing_field", message: "`partner_key` is required.", field: "partner_key")
        }
        guard let partnership = try await APILookups.partnership(key: key, program: program, on: env.store) else {
            throw APIError(status: .notFound, code: "partner_not_found", message: "No partner with that `partner_key` in \(program.slug).", field: "partner_key")
        }
        return (program, partnership)
    }

    func createLead(_ context: AppRequestContext) async throws -> Response {
        let body = try APIJSON.decode(Self.leadContract, from: context)
        let (program, partnership) = try await programAndPartnership(body.program, body.partnerKey, context: context)
        let lead = try await LeadsAndDeals.submitLead(
            program: program, partnership: partnership, name: body.name ?? "", email: body.email ?? "", company: body.company, now: env.now(), on: env.store.db
        )
        return try APIJSON.response(try leadDTO(lead, program: program), status: .created)
    }

    func updateLead(_ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("lead") }
        let body = try APIJSON.decode(Self.leadStatusContract, from: context)
        let lead = try await LeadsAndDeals.setLeadStatus(
            leadID: id, companyID: companyID, status: body.status, actor: .vendor(companyID: companyID), now: env.now(), on: env.store.db
        )
        return try APIJSON.response(try leadDTO(lead, program: lead.program))
    }

    func createDeal(_ context: AppRequestContext) async throws -> Response {
        let body = try APIJSON.decode(Self.dealContract, from: context)
        let (program, partnership) = try await programAndPartnership(body.program, body.partnerKey, context: context)
        guard let amount = body.amount else { throw APIError.invalid("amount", "`amount` must be zero or more minor units.") }
        let deal = try await LeadsAndDeals.submitDeal(
            program: program, partnership: partnership, name: body.name ?? "", amount: amount, currency: body.currency.nonBlank, now: env.now(), on: env.store.db
        )
        return try APIJSON.response(try dealDTO(deal, program: program), status: .created)
    }

    func updateDeal(_ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("deal") }
        let body = try APIJSON.decode(Self.dealStageContract, from: context)
        let deal = try await LeadsAndDeals.setDealStage(
            dealID: id, companyID: companyID, stage: body.stage, actor: .vendor(companyID: companyID), now: env.now(), on: env.store.db
        )
        return try APIJSON.response(try dealDTO(deal, program: deal.program))
    }

    static let leadStatusFilter = QueryParameter.oneOf("status", Lead.Status.self, "Only this status.")
    static let dealStageFilter = QueryParameter.oneOf("stage", Deal.Stage.self, "Only this stage.")

    /// `program`, `partnership`, `status`; newest first.
    func listLeads(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let page = try await APILookups.listPage(request, companyID: context.vendorCompanyID(), on: env.store)
        let status = try Self.leadStatusFilter.read(request)
        let (rows, hasMore) = try await APILookups.listed { try await CompanyListReads.leads(page, status: status, on: env.store.sql) }
        return try APIJSON.response(ListPage(data: rows.map {
            LeadDTO(id: $0.id, program: $0.program, partnershipId: $0.partnership_id, email: $0.email, name: $0.name, company: $0.company,
                    status: $0.status.rawValue, createdAt: $0.created_at, updatedAt: $0.updated_at)
        }, hasMore: hasMore))
    }

    /// `program`, `partnership`, `stage`; newest first.
    func listDeals(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let page = try await APILookups.listPage(request, companyID: context.vendorCompanyID(), on: env.store)
        let stage = try Self.dealStageFilter.read(request)
        let (rows, hasMore) = try await APILookups.listed { try await CompanyListReads.deals(page, stage: stage, on: env.store.sql) }
        return try APIJSON.response(ListPage(data: rows.map {
            DealDTO(id: $0.id, program: $0.program, partnershipId: $0.partnership_id, name: $0.name, amount: $0.amount, currency: $0.currency,
                    stage: $0.stage.rawValue, createdAt: $0.created_at, updatedAt: $0.updated_at)
        }, hasMore: hasMore))
    }
}

// The answers (`ResponseContract`).
extension LeadsAndDealsAPI {
    static let leadResponse = ResponseContract(LeadObject.example, name: "Lead", notes: [
        "program": .programSlug,
        "status": .oneOf(["new", "qualified", "unqualified", "converted", "lost"]),
    ])

    static let dealResponse = ResponseContract(DealObject.example, name: "Deal", notes: [
        "program": .programSlug,
        "currency": .currency,
        "stage": .oneOf(["open", "won", "lost"]),
    ])
}
