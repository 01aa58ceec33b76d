import FluentKit
import Foundation
import TandemDomain

/// A partner: one person or a team, with one account across all the programs it joins.
public final class PartnerAccount: Model, @unchecked Sendable {
    public static let schema = "partner_accounts"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(id: UUID? = nil, name: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }
}

public final class PartnerMember: Model, @unchecked Sendable {
    public static let schema = "partner_members"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "partner_account_id") public var account: PartnerAccount
    @Parent(key: "user_id") public var user: User
    @Enum(key: "role") public var role: PartnerRole
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(accountID: UUID, userID: UUID, role: PartnerRole, createdAt: Date) {
        self.$account.id = accountID
        self.$user.id = userID
        self.role = role
        self.createdAt = createdAt
    }
}
