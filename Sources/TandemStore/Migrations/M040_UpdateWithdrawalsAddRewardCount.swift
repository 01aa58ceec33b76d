import FluentKit
import SQLKit

/// How many rewards a withdrawal holds, beside it: the partner's Rewards & Withdrawals page
/// counted them per withdrawal on every view, 30 ms at 200,000 rewards. The count is fixed when
/// the withdrawal claims its rewards (`WithdrawalLedger.request`) and falls to 0 when a failure
/// returns them; this fills it for the withdrawals already there. `tandem check-rollups` checks it.
struct M040_UpdateWithdrawalsAddRewardCount: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("ALTER TABLE withdrawals ADD COLUMN reward_count BIGINT NOT NULL DEFAULT 0").run()
        try await sql.raw("""
            UPDATE withdrawals SET reward_count = (SELECT COUNT(*) FROM rewards WHERE rewards.withdrawal_id = withdrawals.id)
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE withdrawals DROP COLUMN reward_count").run()
    }
}
