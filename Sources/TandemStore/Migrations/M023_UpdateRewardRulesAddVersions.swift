import FluentKit
import SQLKit

/// Reward rules are edited as new versions and archived, never changed in place: a reward
/// keeps pointing at the rule it came from. `version_of` names a rule's first version, so an
/// event already paid under an older version is not paid again under the new one.
/// Also the console's indexes: clicks summed per program, customers listed per program.
struct M023_UpdateRewardRulesAddVersions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let types = ColumnTypes(sql)
        // One column per ALTER: SQLite adds one at a time.
        try await sql.alter(table: RewardRuleRecord.schema).column("archived_at", type: types.timestamp).run()
        try await sql.alter(table: RewardRuleRecord.schema).column("version_of", type: types.uuid).run()
        try await sql.create(index: "click_daily_program").on("click_daily").column("program_id").column("day").column("unique_clicks").run()
        try await sql.create(index: "customers_program_signed_up").on("customers").column("program_id").column("signed_up_at").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "customers_program_signed_up").run()
        try await sql.drop(index: "click_daily_program").run()
        try await sql.alter(table: RewardRuleRecord.schema).dropColumn("version_of").run()
        try await sql.alter(table: RewardRuleRecord.schema).dropColumn("archived_at").run()
    }
}
