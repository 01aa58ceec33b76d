import FluentKit
import SQLKit

/// `GET /api/v1/transactions` lists a program's payments newest first, a page at a time.
struct M026_UpdateTransactionsAddProgramIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.create(index: "transactions_program_occurred").on("transactions").column("program_id").column("occurred_at").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "transactions_program_occurred").run()
    }
}
