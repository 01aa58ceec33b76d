import FluentKit
import Foundation
import SQLKit

/// The uniqueness ledger becomes one 64-bit key per (link, day, visitor) triple
/// (`ClickRecorder.UniqueKey.ledgerKey`, which says why): `click_unique_keys`, whose key is
/// SQLite's rowid itself and PostgreSQL's primary key. The triples already in `click_uniques`
/// are copied over as their keys, so a visitor counted today is not counted again after the upgrade.
struct M041_ReplaceClickUniquesWithKeys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let keyType = sql.dialect.name == "sqlite" ? "INTEGER" : "BIGINT"
        try await sql.raw("CREATE TABLE click_unique_keys (key \(unsafeRaw: keyType) PRIMARY KEY NOT NULL)").run()
        try await copyTriples(sql)
        try await sql.drop(table: "click_uniques").run()
    }

    /// Pages through the old ledger in its primary key's order, a few thousand triples a statement.
    private func copyTriples(_ sql: any SQLDatabase) async throws {
        var after: OldRow?
        while true {
            let page: [OldRow]
            if let after {
                page = try await sql.raw("""
                    SELECT link_id, day, visitor FROM click_uniques
                    WHERE (link_id, day, visitor) > (\(bind: after.link_id), \(bind: after.day), \(bind: after.visitor))
                    ORDER BY link_id, day, visitor LIMIT \(unsafeRaw: String(Self.pageSize))
                    """).all(decoding: OldRow.self)
            } else {
                page = try await sql.raw("SELECT link_id, day, visitor FROM click_uniques ORDER BY link_id, day, visitor LIMIT \(unsafeRaw: String(Self.pageSize))")
                    .all(decoding: OldRow.self)
            }
            guard let last = page.last else { return }
            let insert = sql.insert(into: "click_unique_keys").columns("key")
            for row in page { insert.values(ClickRecorder.UniqueKey(linkID: row.link_id, day: row.day, visitor: row.visitor).ledgerKey) }
            try await insert.ignoringConflicts(with: ["key"]).run()
            after = last
        }
    }

    /// A row of the ledger before this migration.
    struct OldRow: Decodable {
        let link_id: UUID
        let day: String
        let visitor: String
    }

    /// Under SQLite's 32,766 bound parameters, and few statements for a large ledger.
    static let pageSize = 5_000

    /// The old ledger comes back empty: a key cannot be turned back into its triple.
    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await M013_CreateClicks.createClickUniques(sql, types: ColumnTypes(sql))
        try await sql.drop(table: "click_unique_keys").run()
    }
}
