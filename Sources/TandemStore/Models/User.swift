import FluentKit
import Foundation

/// A person who can log in: a partner team member, a vendor teammate, a platform operator, or several.
public final class User: Model, @unchecked Sendable {
    public static let schema = "users"

    @ID(key: .id) public var id: UUID?
    /// Always normalised (trimmed, lower-case); unique.
    @Field(key: "email") public var email: String
    @Field(key: "name") public var name: String
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "is_operator") public var isOperator: Bool
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(id: UUID? = nil, email: String, name: String, passwordHash: String, isOperator: Bool = false, createdAt: Date) {
        self.id = id
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
        self.isOperator = isOperator
        self.createdAt = createdAt
    }
}
