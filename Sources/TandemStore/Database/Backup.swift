import Foundation
import SQLKit

/// A copy of the database an operator can restore, taken while Tandem serves.
public enum Backup {
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// What the copy holds: every table and its row count.
    public struct Summary: Sendable, Equatable {
        public let path: String
        public let bytes: Int
        public let rows: [String: Int]
    }

    /// Writes a consistent copy of a SQLite database to `path` with `VACUUM INTO`: SQLite reads
    /// it in one read transaction, so writers go on (WAL mode) and the copy is the database as it
    /// was at one instant, compacted, every committed row in it. PostgreSQL has `pg_dump` for
    /// this (the README gives the recipe); a database in memory has nothing to keep.
    public static func write(_ store: Store, to path: String) async throws -> Summary {
        switch store.location {
        case .postgres:
            throw Refusal(description: "tandem backup copies a SQLite database; for PostgreSQL use pg_dump (the README's Backups section).")
        case .sqliteMemory:
            throw Refusal(description: "The database is in memory: there is nothing on disk to back up.")
        case .sqliteFile:
            break
        }
        let target = URL(fileURLWithPath: path).standardizedFileURL.path
        // VACUUM INTO refuses to overwrite; say so in words, before SQLite does.
        guard !FileManager.default.fileExists(atPath: target) else {
            throw Refusal(description: "\(target) already exists: back up to a new file.")
        }
        try await store.sql.raw("VACUUM INTO \(bind: target)").run()
        let bytes = (try? FileManager.default.attributesOfItem(atPath: target)[.size] as? Int) ?? 0
        let copy = try await Store.open(.sqliteFile(path: target), connectionsPerEventLoop: 1)
        do {
            let rows = try await rowCounts(copy.sql)
            await copy.shutdown()
            return Summary(path: target, bytes: bytes, rows: rows)
        } catch {
            await copy.shutdown()
            throw error
        }
    }

    /// Every table of a SQLite database with its number of rows.
    public static func rowCounts(_ sql: any SQLDatabase) async throws -> [String: Int] {
        struct Table: Decodable { let name: String }
        struct Count: Decodable { let n: Int }
        let tables = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .all(decoding: Table.self)
        var rows: [String: Int] = [:]
        for table in tables {
            let quoted = "\"" + table.name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            rows[table.name] = try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: quoted)").first(decoding: Count.self)?.n ?? 0
        }
        return rows
    }
}
