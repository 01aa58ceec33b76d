import Foundation

/// A lead a partner submitted, as the API answers it.
public struct LeadObject: Encodable, Sendable {
    public let id: UUID
    public var object = "lead"
    public let program: String
    public let partnershipId: UUID
    public let email: String
    public let name: String
    @NullEncoded public var company: String?
    public let status: String
    public let createdAt: Date
    public let updatedAt: Date

    public init(id: UUID, program: String, partnershipId: UUID, email: String, name: String, company: String?, status: String, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.program = program
        self.partnershipId = partnershipId
        self.email = email
        self.name = name
        self.company = company
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public init(_ lead: Lead, programSlug: String) throws {
        self.init(id: try lead.requireID(), program: programSlug, partnershipId: lead.$partnership.id, email: lead.email, name: lead.name,
                  company: lead.company, status: lead.status.rawValue, createdAt: lead.createdAt, updatedAt: lead.updatedAt)
    }
}

/// A deal a partner submitted, as the API answers it.
public struct DealObject: Encodable, Sendable {
    public let id: UUID
    public var object = "deal"
    public let program: String
    public let partnershipId: UUID
    public let name: String
    public let amount: Int64
    public let currency: String
    public let stage: String
    public let createdAt: Date
    public let updatedAt: Date

    public init(id: UUID, program: String, partnershipId: UUID, name: String, amount: Int64, currency: String, stage: String, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.program = program
        self.partnershipId = partnershipId
        self.name = name
        self.amount = amount
        self.currency = currency
        self.stage = stage
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public init(_ deal: Deal, programSlug: String) throws {
        self.init(id: try deal.requireID(), program: programSlug, partnershipId: deal.$partnership.id, name: deal.name, amount: deal.amount,
                  currency: deal.currency, stage: deal.stage.rawValue, createdAt: deal.createdAt, updatedAt: deal.updatedAt)
    }
}
