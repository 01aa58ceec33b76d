import FluentKit
import Foundation
import SQLKit

/// Which programs (and so which companies) a withdrawal pays, and how much of it each owes.
/// A failed withdrawal releases its rewards, so without this record the vendor console
/// could no longer find it to show the reason or retry it; it also lets a company's
/// withdrawals be listed from an index instead of scanning its paid-out rewards.
/// Backfilled from the rewards withdrawals still hold.
struct M022_CreateWithdrawalPrograms: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let types = ColumnTypes(sql)
        try await sql.create(table: WithdrawalShares.table)
            .column("withdrawal_id", type: types.uuid, .notNull)
            .column("program_id", type: types.uuid, .notNull)
            .column("company_id", type: types.uuid, .notNull)
            .column("amount", type: .bigint, .notNull)
            .column("rewards", type: .bigint, .notNull)
            .primaryKey("withdrawal_id", "program_id")
            .run()
        try await sql.create(index: "withdrawal_programs_company").on(WithdrawalShares.table).column("company_id").column("withdrawal_id").run()
        try await sql.raw("""
            INSERT INTO withdrawal_programs (withdrawal_id, program_id, company_id, amount, rewards)
            SELECT r.withdrawal_id, r.program_id, g.company_id, SUM(r.amount), COUNT(*) FROM rewards r JOIN programs g ON g.id = r.program_id
            WHERE r.withdrawal_id IS NOT NULL GROUP BY r.withdrawal_id, r.program_id, g.company_id
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(table: WithdrawalShares.table).run()
    }
}
