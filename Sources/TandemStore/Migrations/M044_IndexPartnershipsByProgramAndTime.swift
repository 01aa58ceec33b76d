import FluentKit
import SQLKit

/// `partnerships` gets an index on (program_id, created_at): the API's list of a company's
/// partnerships reads each program's newest first, a page at a time (`KeysetPaging`), which
/// without it sorted all of a program's partnerships for every page. Anyone may apply to a
/// marketplace program, so that count is not the vendor's to bound.
struct M044_IndexPartnershipsByProgramAndTime: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.create(index: "partnerships_program_created").on("partnerships").column("program_id").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "partnerships_program_created").run()
    }
}
