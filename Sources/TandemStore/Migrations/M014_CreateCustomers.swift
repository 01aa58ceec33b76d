import FluentKit
import SQLKit

struct M014_CreateCustomers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Customer.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, "id", onDelete: .cascade))
            .field("key", .string, .required)
            .field("email", .string)
            .field("name", .string)
            .field("partnership_id", .uuid, .references(Partnership.schema, "id"))
            .field("click_id", .string)
            .field("attribution_note", .string)
            .field("signed_up_at", .datetime, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "program_id", "key")
            .create()
        try await (database as! any SQLDatabase).create(index: "customers_partnership_signup")
            .on(Customer.schema).column("partnership_id").column("signed_up_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Customer.schema).delete()
    }
}
