import FluentKit
import SQLKit

struct M015_CreateTransactions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SaleTransaction.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, "id", onDelete: .cascade))
            .field("customer_id", .uuid, .required, .references(Customer.schema, "id", onDelete: .cascade))
            .field("partnership_id", .uuid, .references(Partnership.schema, "id"))
            .field("external_id", .string, .required)
            .field("amount", .int64, .required)
            .field("currency", .string, .required)
            .field("refunded_amount", .int64, .required)
            .field("description", .string)
            .field("occurred_at", .datetime, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "program_id", "external_id")
            .create()
        try await (database as! any SQLDatabase).create(index: "transactions_partnership_time")
            .on(SaleTransaction.schema).column("partnership_id").column("occurred_at").run()
        try await database.schema(Refund.schema)
            .id()
            .field("transaction_id", .uuid, .required, .references(SaleTransaction.schema, "id", onDelete: .cascade))
            .field("amount", .int64, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Refund.schema).delete()
        try await database.schema(SaleTransaction.schema).delete()
    }
}
