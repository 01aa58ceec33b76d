import Foundation
import TandemDomain

/// A customer as the vendor's API answers it (and its `customer.created` webhook carries).
public struct CustomerObject: Encodable, Sendable {
    public let id: UUID
    public var object = "customer"
    public let program: String
    public let key: String
    @NullEncoded public var email: String?
    @NullEncoded public var name: String?
    @NullEncoded public var partnershipId: UUID?
    @NullEncoded public var clickId: String?
    /// Why the customer is not attributed, when it is not.
    @NullEncoded public var attributionNote: String?
    public let signedUpAt: Date
    public let createdAt: Date

    public init(
        id: UUID, program: String, key: String, email: String?, name: String?, partnershipId: UUID?, clickId: String?,
        attributionNote: String?, signedUpAt: Date, createdAt: Date
    ) {
        self.id = id
        self.program = program
        self.key = key
        self.email = email
        self.name = name
        self.partnershipId = partnershipId
        self.clickId = clickId
        self.attributionNote = attributionNote
        self.signedUpAt = signedUpAt
        self.createdAt = createdAt
    }

    public init(_ customer: Customer, programSlug: String) throws {
        self.init(
            id: try customer.requireID(), program: programSlug, key: customer.key, email: customer.email, name: customer.name,
            partnershipId: customer.$partnership.id, clickId: customer.clickID, attributionNote: customer.attributionNote,
            signedUpAt: customer.signedUpAt, createdAt: customer.createdAt
        )
    }
}

/// A referred customer as the partner's API answers it (and their postbacks carry): who they
/// referred, without the vendor's customer data in full.
public struct PartnerCustomerObject: Encodable, Sendable {
    public let id: UUID
    public var object = "customer"
    public let program: String
    @NullEncoded public var name: String?
    @NullEncoded public var email: String?
    public let signedUpAt: Date

    public init(id: UUID, program: String, name: String?, email: String?, signedUpAt: Date) {
        self.id = id
        self.program = program
        self.name = name
        self.email = email.map(EmailMask.mask)
        self.signedUpAt = signedUpAt
    }
}
