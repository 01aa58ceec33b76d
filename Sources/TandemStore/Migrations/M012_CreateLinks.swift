import FluentKit

struct M012_CreateLinks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Link.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, "id", onDelete: .cascade))
            .field("partnership_id", .uuid, .required, .references(Partnership.schema, "id", onDelete: .cascade))
            .field("key", .string, .required)
            .field("slug", .string)
            .field("destination", .string, .required)
            .field("is_default", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("archived_at", .datetime)
            .unique(on: "key")
            .unique(on: "program_id", "slug")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Link.schema).delete()
    }
}
