import FluentKit

struct M008_CreatePrograms: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Program.schema)
            .id()
            .field("company_id", .uuid, .required, .references(Company.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("slug", .string, .required)
            .field("description", .string, .required)
            .field("category", .string, .required)
            .field("currency", .string, .required)
            .field("default_destination", .string, .required)
            .field("allowed_domains", .string, .required)
            .field("cookie_window_days", .int, .required)
            .field("hold_days", .int, .required)
            .field("min_withdrawal", .int64, .required)
            .field("marketplace", .bool, .required)
            .field("auto_approve", .bool, .required)
            .field("feature_links", .bool, .required)
            .field("feature_custom_links", .bool, .required)
            .field("feature_leads", .bool, .required)
            .field("feature_deals", .bool, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "slug")
            .create()
        try await database.schema(ProgramGroup.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("is_default", .bool, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProgramGroup.schema).delete()
        try await database.schema(Program.schema).delete()
    }
}
