import FluentKit
import Foundation

/// A prospect a partner submitted (or the vendor registered for a partner).
public final class Lead: Model, @unchecked Sendable {
    public static let schema = "leads"

    public enum Status: String, Codable, Sendable, CaseIterable {
        case new, qualified, unqualified, converted, lost
    }

    @ID(key: .id) public var id: UUID?
    @Parent(key: "program_id") public var program: Program
    @Parent(key: "partnership_id") public var partnership: Partnership
    @Field(key: "email") public var email: String
    @Field(key: "name") public var name: String
    @OptionalField(key: "company") public var company: String?
    @Enum(key: "status") public var status: Status
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public init(programID: UUID, partnershipID: UUID, email: String, name: String, company: String?, now: Date) {
        self.$program.id = programID
        self.$partnership.id = partnershipID
        self.email = email
        self.name = name
        self.company = company
        self.status = .new
        self.createdAt = now
        self.updatedAt = now
    }
}

/// A sales opportunity a partner registered; `won` can earn a reward.
public final class Deal: Model, @unchecked Sendable {
    public static let schema = "deals"

    public enum Stage: String, Codable, Sendable, CaseIterable {
        case open, won, lost
    }

    @ID(key: .id) public var id: UUID?
    @Parent(key: "program_id") public var program: Program
    @Parent(key: "partnership_id") public var partnership: Partnership
    @Field(key: "name") public var name: String
    @Field(key: "amount") public var amount: Int64
    @Field(key: "currency") public var currency: String
    @Enum(key: "stage") public var stage: Stage
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public init(programID: UUID, partnershipID: UUID, name: String, amount: Int64, currency: String, now: Date) {
        self.$program.id = programID
        self.$partnership.id = partnershipID
        self.name = name
        self.amount = amount
        self.currency = currency
        self.stage = .open
        self.createdAt = now
        self.updatedAt = now
    }
}
