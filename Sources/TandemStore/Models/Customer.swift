import FluentKit
import Foundation

/// A vendor's customer, referred (attributed to a partnership) or not. Attribution is for life.
public final class Customer: Model, @unchecked Sendable {
    public static let schema = "customers"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "program_id") public var program: Program
    /// The vendor's own id for this customer; unique within the program.
    @Field(key: "key") public var key: String
    @OptionalField(key: "email") public var email: String?
    @OptionalField(key: "name") public var name: String?
    @OptionalParent(key: "partnership_id") public var partnership: Partnership?
    @OptionalField(key: "click_id") public var clickID: String?
    /// Why the customer is not attributed (`self_referral`, `click_outside_window`, …).
    @OptionalField(key: "attribution_note") public var attributionNote: String?
    @Field(key: "signed_up_at") public var signedUpAt: Date
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(programID: UUID, key: String, email: String?, name: String?, partnershipID: UUID?, clickID: String?,
                attributionNote: String?, signedUpAt: Date, createdAt: Date) {
        self.$program.id = programID
        self.key = key
        self.email = email
        self.name = name
        self.$partnership.id = partnershipID
        self.clickID = clickID
        self.attributionNote = attributionNote
        self.signedUpAt = signedUpAt
        self.createdAt = createdAt
    }
}
