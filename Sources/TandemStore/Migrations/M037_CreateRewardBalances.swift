import FluentKit
import SQLKit

/// Rewards counted and summed per partnership and state (`RewardBalances`), so no page sums a
/// busy partnership's rewards; filled from the rewards already stored.
struct M037_CreateRewardBalances: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let types = ColumnTypes(sql)
        try await sql.create(table: RewardBalances.table)
            .column("partnership_id", type: types.uuid, .notNull)
            .column("state", type: .text, .notNull)
            .column("rewards", type: .bigint, .notNull)
            .column("amount", type: .bigint, .notNull)
            .primaryKey("partnership_id", "state")
            .run()
        for (partnershipID, states) in try await RewardBalances.recomputed(on: sql) {
            for (state, tally) in states {
                try await sql.insert(into: RewardBalances.table).columns("partnership_id", "state", "rewards", "amount")
                    .values(SQLBind(partnershipID), SQLBind(state.rawValue), SQLBind(tally.rewards), SQLBind(tally.amount)).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(table: RewardBalances.table).run()
    }
}
