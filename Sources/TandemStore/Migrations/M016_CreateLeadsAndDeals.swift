import FluentKit

struct M016_CreateLeadsAndDeals: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Lead.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, "id", onDelete: .cascade))
            .field("partnership_id", .uuid, .required, .references(Partnership.schema, "id", onDelete: .cascade))
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("company", .string)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema(Deal.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, "id", onDelete: .cascade))
            .field("partnership_id", .uuid, .required, .references(Partnership.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("amount", .int64, .required)
            .field("currency", .string, .required)
            .field("stage", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Deal.schema).delete()
        try await database.schema(Lead.schema).delete()
    }
}
