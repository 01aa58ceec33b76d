import FluentKit
import Foundation
import TandemDomain

/// A vendor: the company that runs partner programs.
public final class Company: Model, @unchecked Sendable {
    public static let schema = "companies"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "slug") public var slug: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(id: UUID? = nil, name: String, slug: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.slug = slug
        self.createdAt = createdAt
    }
}

public final class CompanyMember: Model, @unchecked Sendable {
    public static let schema = "company_members"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "company_id") public var company: Company
    @Parent(key: "user_id") public var user: User
    @Enum(key: "role") public var role: VendorRole
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(companyID: UUID, userID: UUID, role: VendorRole, createdAt: Date) {
        self.$company.id = companyID
        self.$user.id = userID
        self.role = role
        self.createdAt = createdAt
    }
}
