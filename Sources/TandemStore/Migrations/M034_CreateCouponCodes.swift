import FluentKit
import SQLKit

/// Coupon codes: a vendor gives a partnership codes its audience types at checkout, and a
/// signup that names one is attributed to that partnership when no click says otherwise (or
/// always, with the program's `coupon_wins`). A code is unique in its program whatever its case:
/// `normalized` is the lower-cased code, and the unique index is on it.
struct M034_CreateCouponCodes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CouponCode.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, "id"))
            .field("partnership_id", .uuid, .required, .references(Partnership.schema, "id"))
            .field("code", .string, .required)
            .field("normalized", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "program_id", "normalized")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "coupon_codes_partnership").on(CouponCode.schema).column("partnership_id").run()
        try await sql.alter(table: Program.schema).column("coupon_wins", type: ColumnTypes(sql).bool, .default(SQLLiteral.boolean(false)), .notNull).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).alter(table: Program.schema).dropColumn("coupon_wins").run()
        try await database.schema(CouponCode.schema).delete()
    }
}
