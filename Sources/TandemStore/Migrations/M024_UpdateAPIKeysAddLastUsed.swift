import FluentKit
import SQLKit

/// When a key was last used, so the console's list tells a live key from a forgotten one.
/// Written at most once a minute per key (a conditional UPDATE), not on every request.
struct M024_UpdateAPIKeysAddLastUsed: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.alter(table: APIKey.schema).column("last_used_at", type: ColumnTypes(sql).timestamp).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).alter(table: APIKey.schema).dropColumn("last_used_at").run()
    }
}
