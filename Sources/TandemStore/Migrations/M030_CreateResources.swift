import FluentKit
import SQLKit

/// Resources (files and links) for partners. Files live in the database, so every node
/// reads them; the README says how a larger installation would move them out.
struct M030_CreateResources: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Resource.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, "id"))
            .field("group_id", .uuid, .references(ProgramGroup.schema, "id"))
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("kind", .string, .required)
            .field("url", .string)
            .field("file_name", .string)
            .field("content_type", .string)
            .field("size_bytes", .int64, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "resources_program").on(Resource.schema).column("program_id").run()
        try await database.schema(ResourceFile.schema)
            .id()
            .field("resource_id", .uuid, .required, .references(Resource.schema, "id", onDelete: .cascade))
            .field("data", .data, .required)
            .unique(on: "resource_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ResourceFile.schema).delete()
        try await database.schema(Resource.schema).delete()
    }
}
