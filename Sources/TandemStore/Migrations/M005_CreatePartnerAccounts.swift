import FluentKit

struct M005_CreatePartnerAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PartnerAccount.schema)
            .id()
            .field("name", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(PartnerMember.schema)
            .id()
            .field("partner_account_id", .uuid, .required, .references(PartnerAccount.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "partner_account_id", "user_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PartnerMember.schema).delete()
        try await database.schema(PartnerAccount.schema).delete()
    }
}
