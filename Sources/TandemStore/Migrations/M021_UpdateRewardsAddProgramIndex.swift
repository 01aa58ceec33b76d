import FluentKit
import SQLKit

/// The vendor console lists a company's rewards newest first, by program: an index on
/// (program, created_at) picks a page of them without sorting every reward of the company.
struct M021_UpdateRewardsAddProgramIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.create(index: "rewards_program_created").on("rewards").column("program_id").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "rewards_program_created").run()
    }
}
