import FluentKit

struct M007_CreateAPIKeys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(APIKey.schema)
            .id()
            .field("owner", .string, .required)
            .field("company_id", .uuid, .references(Company.schema, "id", onDelete: .cascade))
            .field("partner_account_id", .uuid, .references(PartnerAccount.schema, "id", onDelete: .cascade))
            .field("label", .string, .required)
            .field("prefix", .string, .required)
            .field("secret_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .unique(on: "secret_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(APIKey.schema).delete()
    }
}
