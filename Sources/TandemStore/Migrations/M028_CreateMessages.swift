import FluentKit
import SQLKit

/// Messages between a partner and the vendor, one thread per partnership, and when each
/// side was last mailed about its thread (at most one mail per thread per 10 minutes).
struct M028_CreateMessages: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Message.schema)
            .id()
            .field("partnership_id", .uuid, .required, .references(Partnership.schema, "id"))
            .field("sender_side", .string, .required)
            .field("sender_user_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("sender_name", .string, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        // The thread in order, and the unread counts (sender side and read_at per thread).
        try await sql.create(index: "messages_partnership_created").on(Message.schema).column("partnership_id").column("created_at").run()
        try await sql.create(index: "messages_partnership_unread").on(Message.schema).column("partnership_id").column("sender_side").column("read_at").run()
        let types = ColumnTypes(sql)
        try await sql.alter(table: Partnership.schema).column("partner_mailed_at", type: types.timestamp).run()
        try await sql.alter(table: Partnership.schema).column("vendor_mailed_at", type: types.timestamp).run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.alter(table: Partnership.schema).dropColumn("vendor_mailed_at").run()
        try await sql.alter(table: Partnership.schema).dropColumn("partner_mailed_at").run()
        try await database.schema(Message.schema).delete()
    }
}
