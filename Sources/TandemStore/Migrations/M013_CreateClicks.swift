import FluentKit
import SQLKit

/// Raw clicks, the per-day uniqueness ledger, and the daily rollups pages read.
/// Written with SQLKit because the click writer uses raw batched SQL on them.
struct M013_CreateClicks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let types = ColumnTypes(sql)
        try await sql.create(table: "clicks")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("link_id", type: types.uuid, .notNull)
            .column("partnership_id", type: types.uuid, .notNull)
            .column("program_id", type: types.uuid, .notNull)
            .column("visitor", type: .text, .notNull)
            .column("clicked_at", type: types.timestamp, .notNull)
            .column("is_unique", type: types.bool, .notNull)
            .run()
        // Last-click attribution looks up a visitor's recent clicks in a program.
        try await sql.create(index: "clicks_program_visitor").on("clicks").column("program_id").column("visitor").column("clicked_at").run()
        // Nothing else: every index is written on every click, and pages read the rollups.

        try await Self.createClickUniques(sql, types: types)

        try await sql.create(table: "click_daily")
            .column("link_id", type: types.uuid, .notNull)
            .column("partnership_id", type: types.uuid, .notNull)
            .column("program_id", type: types.uuid, .notNull)
            .column("day", type: .text, .notNull)
            .column("clicks", type: .bigint, .notNull)
            .column("unique_clicks", type: .bigint, .notNull)
            .primaryKey("link_id", "day")
            .run()
        try await sql.create(index: "click_daily_partnership_day").on("click_daily").column("partnership_id").column("day").run()
    }

    /// The uniqueness ledger as M013 made it (M041 replaced it, and makes it again on revert).
    static func createClickUniques(_ sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.create(table: "click_uniques")
            .column("link_id", type: types.uuid, .notNull)
            .column("day", type: .text, .notNull)
            .column("visitor", type: .text, .notNull)
            .primaryKey("link_id", "day", "visitor")
            .run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(table: "click_daily").run()
        try await sql.drop(table: "click_uniques").run()
        try await sql.drop(table: "clicks").run()
    }
}

/// Column types as FluentKit stores the same Swift values, so raw SQL and models agree.
struct ColumnTypes {
    let uuid: SQLDataType
    let timestamp: SQLDataType
    let bool: SQLDataType

    init(_ sql: any SQLDatabase) {
        let postgres = sql.dialect.name == "postgresql"
        uuid = .custom(SQLRaw(postgres ? "UUID" : "BLOB"))
        timestamp = .custom(SQLRaw(postgres ? "TIMESTAMPTZ" : "REAL"))
        bool = .custom(SQLRaw(postgres ? "BOOLEAN" : "INTEGER"))
    }
}
