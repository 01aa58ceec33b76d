import FluentKit
import SQLKit

/// On PostgreSQL, `clicks.id` and `clicks.visitor` compare as bytes (`COLLATE "C"`), as every
/// text column already does on SQLite.
///
/// Why: both are hex strings whose order means nothing, and every click inserts one entry
/// into each of their indexes (the primary key and `clicks_visitor`). Under the database's
/// own collation each B-tree comparison there goes through the C library's `strcoll`, and an
/// index ordered by a libc collation goes wrong when an OS upgrade changes that collation
/// (PostgreSQL's documented glibc 2.28 hazard); under "C" it is `memcmp`, which never changes.
/// Measured with redirect-ab on PostgreSQL, 100,000 visitors, 12 pairs x 4 s: on a `C.UTF-8`
/// database 1.053 and 1/0.935 the throughput (both orders), one visitor 1.031; on an
/// `en_US.UTF-8` database 1.008 and 1/1.029, which is noise (the same build on both sides read
/// 0.972 there). So the speed gain is small where it shows at all; the fixed order is the reason.
///
/// The change rebuilds those two indexes, not the table: `tandem migrate` on a 1,000,000-click
/// database took 1.4 s. Equality, which is all Tandem asks of these columns, means the same
/// under either collation.
struct M043_ByteOrderClickKeys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await collate(database, as: "C")
    }

    func revert(on database: any Database) async throws {
        try await collate(database, as: "default")
    }

    private func collate(_ database: any Database, as collation: String) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("""
            ALTER TABLE clicks
                ALTER COLUMN id TYPE text COLLATE \(ident: collation),
                ALTER COLUMN visitor TYPE text COLLATE \(ident: collation)
            """).run()
    }
}
