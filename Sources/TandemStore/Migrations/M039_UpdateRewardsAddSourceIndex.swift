import FluentKit
import SQLKit

/// Earning a reward first asks which rules already paid its source (a payment, a signup, a deal),
/// so an event reported twice pays once. The unique (rule_id, source) index cannot answer "by
/// source" alone, so every payment scanned all rewards: at 100,000 rewards the seed recorded
/// about 100 payments a second, and `POST /transactions` slowed the same way.
struct M039_UpdateRewardsAddSourceIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).create(index: "rewards_source").on("rewards").column("source").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "rewards_source").run()
    }
}
