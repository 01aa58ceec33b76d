import FluentKit
import Foundation
import TandemDomain
import TandemStore

/// Prospects and opportunities a partner brings: submitted by the partner (the Referrals and
/// Deals tabs) or reported by the vendor (the API), qualified or won by the vendor, which
/// earns the `lead_qualified` and `deal_won` rules in the same transaction.
public enum LeadsAndDeals {
    public static let maxCompany = 200
    public static let maxDealName = 200

    /// Every problem with a lead's fields, for a form that shows them all.
    public static func leadErrors(name: String, email: String, company: String?) -> FieldErrors {
        var errors = FieldErrors()
        Validate.name(name, label: "their name", into: &errors)
        Validate.email(email, into: &errors)
        if (company?.count ?? 0) > maxCompany { errors.add("company", "Keep the company under \(maxCompany) characters.") }
        return errors
    }

    public static func submitLead(
        program: Program, partnership: Partnership, name: String, email: String, company: String?, now: Date,
        notifyVendorAt consoleURL: String? = nil, on db: any Database
    ) async throws -> Lead {
        guard program.featureLeads else { throw OperationError.conflict(code: "leads_disabled", message: "Leads are not enabled for \(program.slug).") }
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let company = company?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let first = leadErrors(name: name, email: email, company: company).items.first {
            throw OperationError.invalid(field: first.field, message: first.message)
        }
        let lead = Lead(
            programID: try program.requireID(), partnershipID: try partnership.requireID(), email: Validate.normalizedEmail(email),
            name: name, company: company?.isEmpty == false ? company : nil, now: now
        )
        try await db.transaction { db in
            // One lead per person per program: a second submission (by this partner or
            // another) would be a second chance at the same lead reward. Said to the partner,
            // without naming who has it.
            if let existing = try await Lead.query(on: db).filter(\.$program.$id == lead.$program.id).filter(\.$email == lead.email).first() {
                let mine = existing.$partnership.id == lead.$partnership.id
                throw OperationError.taken(field: "email", message: mine
                    ? "You already submitted \(lead.email) to this program; its status is in the list below."
                    : "\(lead.email) is already a lead in this program, so it cannot be submitted again.")
            }
            try await lead.create(on: db)
            try await EventOutbox.record(.leadCreated, companyID: program.$company.id, partnerAccountID: partnership.$partnerAccount.id,
                                         data: try LeadObject(lead, programSlug: program.slug), at: now, on: db)
            if let consoleURL {
                let from = company.flatMap { $0.isEmpty ? nil : " (\($0))" } ?? ""
                try await notifyVendor(program: program, partnership: partnership, subject: "New lead in \(program.name): \(name)",
                                       what: "a lead: \(name)\(from), \(lead.email)", consoleURL: consoleURL, now: now, on: db)
            }
        }
        return lead
    }

    /// The vendor moves a lead; `qualified` earns the program's `lead_qualified` rules once.
    public static func setLeadStatus(leadID: UUID, companyID: UUID, status raw: String?, actor: Actor, now: Date, on db: any Database) async throws -> Lead {
        guard let lead = try await Lead.query(on: db).filter(\.$id == leadID).with(\.$program).first(),
              lead.program.$company.id == companyID else { throw OperationError.notFound(what: "lead") }
        guard let raw, let status = Lead.Status(rawValue: raw) else {
            throw OperationError.invalid(field: "status", message: "`status` must be one of new, qualified, unqualified, converted, lost.")
        }
        lead.status = status
        lead.updatedAt = now
        try await save(lead, partnershipID: lead.$partnership.id, program: lead.program, earning: status == .qualified ? .leadQualified : nil,
                       source: "lead:\(try lead.requireID().uuidString)", event: (.leadUpdated, try LeadObject(lead, programSlug: lead.program.slug)),
                       actor: actor, now: now, on: db)
        return lead
    }

    public static func submitDeal(
        program: Program, partnership: Partnership, name: String, amount: Int64, currency code: String?, now: Date,
        notifyVendorAt consoleURL: String? = nil, on db: any Database
    ) async throws -> Deal {
        guard program.featureDeals else { throw OperationError.conflict(code: "deals_disabled", message: "Deals are not enabled for \(program.slug).") }
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= maxDealName else { throw OperationError.invalid(field: "name", message: "`name` is required, at most \(maxDealName) characters.") }
        guard amount >= 0 else { throw OperationError.invalid(field: "amount", message: "`amount` must be zero or more minor units.") }
        guard AmountLimit.contains(amount) else { throw OperationError.invalid(field: "amount", message: AmountLimit.message(field: "amount")) }
        let currency = code.flatMap { Currency(code: $0) } ?? program.currency
        guard currency == program.currency else {
            throw OperationError.invalid(field: "currency", message: "This program pays in \(program.currency.code); `currency` must be \(program.currency.code).")
        }
        let deal = Deal(programID: try program.requireID(), partnershipID: try partnership.requireID(), name: name, amount: amount, currency: currency.code, now: now)
        try await db.transaction { db in
            try await deal.create(on: db)
            try await EventOutbox.record(.dealCreated, companyID: program.$company.id, partnerAccountID: partnership.$partnerAccount.id,
                                         data: try DealObject(deal, programSlug: program.slug), at: now, on: db)
            if let consoleURL {
                try await notifyVendor(program: program, partnership: partnership, subject: "New deal in \(program.name): \(name)",
                                       what: "a deal: \(name), \(Money(amount: amount, currency: currency).formatted)", consoleURL: consoleURL, now: now, on: db)
            }
        }
        return deal
    }

    /// The vendor moves a deal; `won` earns the program's `deal_won` rules once.
    public static func setDealStage(dealID: UUID, companyID: UUID, stage raw: String?, actor: Actor, now: Date, on db: any Database) async throws -> Deal {
        guard let deal = try await Deal.query(on: db).filter(\.$id == dealID).with(\.$program).first(),
              deal.program.$company.id == companyID else { throw OperationError.notFound(what: "deal") }
        guard let raw, let stage = Deal.Stage(rawValue: raw) else {
            throw OperationError.invalid(field: "stage", message: "`stage` must be one of open, won, lost.")
        }
        deal.stage = stage
        deal.updatedAt = now
        try await save(deal, partnershipID: deal.$partnership.id, program: deal.program, earning: stage == .won ? .dealWon(amount: deal.amount) : nil,
                       source: "deal:\(try deal.requireID().uuidString)", event: (.dealUpdated, try DealObject(deal, programSlug: deal.program.slug)),
                       actor: actor, now: now, on: db)
        return deal
    }

    /// A partner's submission is mailed to the company's admins and managers (read-only
    /// teammates act on nothing, so they are not mailed), in the transaction that stores it.
    static func notifyVendor(
        program: Program, partnership: Partnership, subject: String, what: String, consoleURL: String, now: Date, on db: any Database
    ) async throws {
        let partner = try await PartnerAccount.find(partnership.$partnerAccount.id, on: db)?.name ?? "A partner"
        for email in try await AccountQueries.emails(companyID: program.$company.id, roles: [.admin, .manager], on: db) {
            try await Outbox.send(to: email, subject: subject, body: "\(partner) submitted \(what).\n\nReview it in the console:\n\(consoleURL)", now: now, on: db)
        }
    }

    /// A lead or deal moved by the vendor, saved with the rewards its new state earns (once:
    /// the ledger keys them by `source`) in one transaction.
    static func save(
        _ item: some Model, partnershipID: UUID, program: Program, earning event: RewardEngine.Event?, source: String,
        event change: (type: WebhookEventType, data: any Encodable & Sendable), actor: Actor, now: Date, on db: any Database
    ) async throws {
        try await db.transaction { db in
            try await item.save(on: db)
            try await EventOutbox.ofPartnership(partnershipID, change.type, companyID: program.$company.id, data: change.data, at: now, on: db)
            if let event, let partnership = try await Partnership.find(partnershipID, on: db) {
                try await RewardLedger.award(event, source: source, partnership: partnership, program: program, actor: actor.recorded, now: now, on: db)
            }
        }
    }
}
