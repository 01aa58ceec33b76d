import FluentKit
import Foundation

/// A login address waiting for its owner to confirm it: the link goes to the new address,
/// single use, expiring, stored hashed. The old address stays the login until then.
public final class EmailChange: Model, @unchecked Sendable {
    public static let schema = "email_changes"

    @ID(key: .id) public var id: UUID?
    @Field(key: "token_hash") public var tokenHash: String
    @Parent(key: "user_id") public var user: User
    @Field(key: "new_email") public var newEmail: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "used_at") public var usedAt: Date?

    public init() {}

    public init(tokenHash: String, userID: UUID, newEmail: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.$user.id = userID
        self.newEmail = newEmail
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
