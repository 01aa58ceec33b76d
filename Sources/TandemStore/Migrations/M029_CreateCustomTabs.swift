import FluentKit
import SQLKit

/// Custom partner tabs: a vendor's links and Markdown pages, per program and group.
struct M029_CreateCustomTabs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CustomTab.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, "id"))
            .field("group_id", .uuid, .references(ProgramGroup.schema, "id"))
            .field("title", .string, .required)
            .field("kind", .string, .required)
            .field("url", .string)
            .field("body", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "custom_tabs_program").on(CustomTab.schema).column("program_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CustomTab.schema).delete()
    }
}
