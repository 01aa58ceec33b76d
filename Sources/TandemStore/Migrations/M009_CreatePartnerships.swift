import FluentKit

struct M009_CreatePartnerships: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Partnership.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, "id", onDelete: .cascade))
            .field("partner_account_id", .uuid, .required, .references(PartnerAccount.schema, "id", onDelete: .cascade))
            .field("group_id", .uuid, .required, .references(ProgramGroup.schema, "id"))
            .field("status", .string, .required)
            .field("partner_key", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "partner_key")
            .unique(on: "program_id", "partner_account_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Partnership.schema).delete()
    }
}
