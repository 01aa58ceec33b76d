import FluentKit
import SQLKit

/// The vendor's Rewards filtered by status ("Pending", the to-do box's link) picks its page from
/// the program's rewards in that status, newest first: without the status in the index it walked
/// every reward of the program looking for the few pending ones.
struct M038_UpdateRewardsAddProgramStatusIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).create(index: "rewards_program_status_created")
            .on("rewards").column("program_id").column("status").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "rewards_program_status_created").run()
    }
}
