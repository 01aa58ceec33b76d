import FluentKit
import SQLKit

/// Indexes for reading a busy partnership's rewards without visiting the table:
/// - by withdrawal: paying or failing a withdrawal updates its rewards, and the Rewards
///   page counts them;
/// - by (partnership, status) carrying the columns balances and report totals add up, so
///   those sums read the index alone. It replaces the (partnership, status) index of M018.
struct M020_UpdateRewardsAddIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.create(index: "rewards_withdrawal").on("rewards").column("withdrawal_id").run()
        try await sql.create(index: "rewards_partnership_status_sums").on("rewards")
            .column("partnership_id").column("status").column("created_at").column("currency").column("amount").column("withdrawal_id").run()
        try await sql.drop(index: "rewards_partnership_status").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.create(index: "rewards_partnership_status").on("rewards").column("partnership_id").column("status").run()
        try await sql.drop(index: "rewards_partnership_status_sums").run()
        try await sql.drop(index: "rewards_withdrawal").run()
    }
}
