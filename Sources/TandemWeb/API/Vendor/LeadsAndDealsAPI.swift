import FluentKit
import Foundation
import Hummingbird
import TandemDomain
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
        var status: String?
    }

    struct DealBody: Decodable {
        var program: String?
        var partnerKey: String?
        var name: String?
        var amount: Int64?
        var currency: String?
        var stage: String?
    }

    struct LeadDTO: Encodable {
        let id: UUID
        let object = "lead"
        let program: String
        let partnershipId: UUID
        let email: String
        let name: String
        @NullEncoded var company: String?
        let status: String
        let createdAt: Date
        let updatedAt: Date
    }

    struct DealDTO: Encodable {
        let id: UUID
        let object = "deal"
        let program: String
        let partnershipId: UUID
        let name: String
        let amount: Int64
        let currency: String
        let stage: String
        let createdAt: Date
        let updatedAt: Date
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("leads") { _, context in try await createLead(context) }
        api.patch("leads/:id") { _, context in try await updateLead(context) }
        api.post("deals") { _, context in try await createDeal(context) }
        api.patch("deals/:id") { _, context in try await updateDeal(context) }
    }

    func leadDTO(_ lead: Lead, program: Program) throws -> LeadDTO {
        LeadDTO(id: try lead.requireID(), program: program.slug, partnershipId: lead.$partnership.id, email: lead.email, name: lead.name,
                company: lead.company, status: lead.status.rawValue, createdAt: lead.createdAt, updatedAt: lead.updatedAt)
    }

    func dealDTO(_ deal: Deal, program: Program) throws -> DealDTO {
        DealDTO(id: try deal.requireID(), program: program.slug, partnershipId: deal.$partnership.id, name: deal.name, amount: deal.amount,
                currency: deal.currency, stage: deal.stage.rawValue, createdAt: deal.createdAt, updatedAt: deal.updatedAt)
    }

    /// The program (the vendor's) and the partnership named by `partner_key` in it.
    func programAndPartnership(_ programSlug: String?, _ partnerKey: String?, context: AppRequestContext) async throws -> (Program, Partnership) {
        let program = try await APILookups.program(slug: programSlug, companyID: context.vendorCompanyID(), on: env.store.db)
        guard let key = partnerKey.nonBlank else {
            throw APIError(status: .badRequest, code: "missing_field", message: "`partner_key` is required.", field: "partner_key")
        }
        guard let partnership = try await APILookups.partnership(key: key, program: program, on: env.store.db) else {
            throw APIError(status: .notFound, code: "partner_not_found", message: "No partner with that `partner_key` in \(program.slug).", field: "partner_key")
        }
        return (program, partnership)
    }

    func createLead(_ context: AppRequestContext) async throws -> Response {
        let body = try APIJSON.decode(LeadBody.self, from: context)
        let (program, partnership) = try await programAndPartnership(body.program, body.partnerKey, context: context)
        guard program.featureLeads else {
            throw APIError(status: .conflict, code: "leads_disabled", message: "Leads are not enabled for \(program.slug).")
        }
        var errors = FieldErrors()
        Validate.email(body.email ?? "", into: &errors)
        Validate.name(body.name ?? "", into: &errors)
        if let item = errors.items.first { throw APIError.invalid(item.field, "`\(item.field)`: \(item.message)") }
        guard (body.company?.count ?? 0) <= 200 else { throw APIError.invalid("company", "`company` must be at most 200 characters.") }
        let lead = Lead(
            programID: try program.requireID(), partnershipID: try partnership.requireID(), email: Validate.normalizedEmail(body.email ?? ""),
            name: body.name.nonBlank ?? "", company: body.company.nonBlank, now: env.now()
        )
        try await lead.create(on: env.store.db)
        return try APIJSON.response(try leadDTO(lead, program: program), status: .created)
    }

    func updateLead(_ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let lead = try await Lead.query(on: env.store.db).filter(\.$id == id).with(\.$program).first(),
              lead.program.$company.id == companyID else { throw APIError.notFound("lead") }
        let body = try APIJSON.decode(LeadBody.self, from: context)
        guard let raw = body.status, let status = Lead.Status(rawValue: raw) else {
            throw APIError.invalid("status", "`status` must be one of new, qualified, unqualified, converted, lost.")
        }
        lead.status = status
        lead.updatedAt = env.now()
        try await env.store.db.transaction { db in
            try await lead.save(on: db)
            if status == .qualified, let partnership = try await Partnership.find(lead.$partnership.id, on: db) {
                try await RewardLedger.award(.leadQualified, source: "lead:\(try lead.requireID().uuidString)", partnership: partnership,
                                             program: lead.program, actor: "vendor:\(companyID.uuidString)", now: env.now(), on: db)
            }
        }
        return try APIJSON.response(try leadDTO(lead, program: lead.program))
    }

    func createDeal(_ context: AppRequestContext) async throws -> Response {
        let body = try APIJSON.decode(DealBody.self, from: context)
        let (program, partnership) = try await programAndPartnership(body.program, body.partnerKey, context: context)
        guard program.featureDeals else {
            throw APIError(status: .conflict, code: "deals_disabled", message: "Deals are not enabled for \(program.slug).")
        }
        guard let name = body.name.nonBlank, name.count <= 200 else { throw APIError.invalid("name", "`name` is required, at most 200 characters.") }
        guard let amount = body.amount, amount >= 0 else { throw APIError.invalid("amount", "`amount` must be zero or more minor units.") }
        let currency = body.currency.nonBlank.flatMap { Currency(code: $0) } ?? program.currency
        guard currency == program.currency else {
            throw APIError.invalid("currency", "This program pays in \(program.currency.code); `currency` must be \(program.currency.code).")
        }
        let deal = Deal(programID: try program.requireID(), partnershipID: try partnership.requireID(), name: name, amount: amount, currency: currency.code, now: env.now())
        try await deal.create(on: env.store.db)
        return try APIJSON.response(try dealDTO(deal, program: program), status: .created)
    }

    func updateDeal(_ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let deal = try await Deal.query(on: env.store.db).filter(\.$id == id).with(\.$program).first(),
              deal.program.$company.id == companyID else { throw APIError.notFound("deal") }
        let body = try APIJSON.decode(DealBody.self, from: context)
        guard let raw = body.stage, let stage = Deal.Stage(rawValue: raw) else {
            throw APIError.invalid("stage", "`stage` must be one of open, won, lost.")
        }
        deal.stage = stage
        deal.updatedAt = env.now()
        try await env.store.db.transaction { db in
            try await deal.save(on: db)
            if stage == .won, let partnership = try await Partnership.find(deal.$partnership.id, on: db) {
                try await RewardLedger.award(.dealWon(amount: deal.amount), source: "deal:\(try deal.requireID().uuidString)", partnership: partnership,
                                             program: deal.program, actor: "vendor:\(companyID.uuidString)", now: env.now(), on: db)
            }
        }
        return try APIJSON.response(try dealDTO(deal, program: deal.program))
    }
}
