import FluentKit

/// Changing one's login address is confirmed from the new address (Settings → Profile).
struct M027_CreateEmailChanges: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(EmailChange.schema)
            .id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("new_email", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(EmailChange.schema).delete()
    }
}
