import FluentKit

struct M006_CreateCompanies: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Company.schema)
            .id()
            .field("name", .string, .required)
            .field("slug", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "slug")
            .create()
        try await database.schema(CompanyMember.schema)
            .id()
            .field("company_id", .uuid, .required, .references(Company.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "company_id", "user_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CompanyMember.schema).delete()
        try await database.schema(Company.schema).delete()
    }
}
