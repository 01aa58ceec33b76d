import FluentKit
import Foundation

/// A bearer key for the HTTP API. The secret is shown once; only its hash is stored.
public final class APIKey: Model, @unchecked Sendable {
    public static let schema = "api_keys"

    public enum Owner: String, Codable, Sendable {
        case vendor, partner
    }

    @ID(key: .id) public var id: UUID?
    @Enum(key: "owner") public var owner: Owner
    @OptionalParent(key: "company_id") public var company: Company?
    @OptionalParent(key: "partner_account_id") public var partnerAccount: PartnerAccount?
    @Field(key: "label") public var label: String
    /// The first characters of the secret, so people can tell their keys apart.
    @Field(key: "prefix") public var prefix: String
    @Field(key: "secret_hash") public var secretHash: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "revoked_at") public var revokedAt: Date?
    @OptionalField(key: "last_used_at") public var lastUsedAt: Date?

    public init() {}

    public init(owner: Owner, companyID: UUID?, partnerAccountID: UUID?, label: String, prefix: String, secretHash: String, createdAt: Date) {
        self.owner = owner
        self.$company.id = companyID
        self.$partnerAccount.id = partnerAccountID
        self.label = label
        self.prefix = prefix
        self.secretHash = secretHash
        self.createdAt = createdAt
    }
}
