import FluentKit
import Foundation
import SQLKit

/// The per-partnership daily rollup pages read, the indexes its writers and the activity
/// feeds need, and a backfill from the events already stored.
struct M019_CreatePartnershipDaily: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let types = ColumnTypes(sql)
        var create = sql.create(table: PartnershipDaily.table)
            .column("partnership_id", type: types.uuid, .notNull)
            .column("day", type: .text, .notNull)
        for column in PartnershipDaily.Figures.columns {
            create = create.column(column, type: .bigint, .notNull)
        }
        try await create.primaryKey("partnership_id", "day").run()
        // A payment asks whether it is its customer's first.
        try await sql.create(index: "transactions_customer_time").on("transactions").column("customer_id").column("occurred_at").run()
        // The recent-activity feed reads a partnership's newest rewards.
        try await sql.create(index: "rewards_partnership_created").on("rewards").column("partnership_id").column("created_at").run()

        struct Row: Decodable { let id: UUID }
        for row in try await sql.raw("SELECT id FROM partnerships").all(decoding: Row.self) {
            try await PartnershipDaily.rebuild(partnershipID: row.id, on: database)
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "rewards_partnership_created").run()
        try await sql.drop(index: "transactions_customer_time").run()
        try await sql.drop(table: PartnershipDaily.table).run()
    }
}
