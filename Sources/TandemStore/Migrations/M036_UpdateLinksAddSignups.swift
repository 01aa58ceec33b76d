import FluentKit
import SQLKit

/// Each link's signups as a counter beside it, so the Links page of a partnership with a
/// million customers reads its links instead of joining every customer to its click. The
/// signup's own transaction adds to it (`PartnershipDaily.customerSignedUp`); this fills it
/// from the customers already there, and indexes links by partnership, which every page of a
/// partnership's links reads by.
struct M036_UpdateLinksAddSignups: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("ALTER TABLE links ADD COLUMN signups BIGINT NOT NULL DEFAULT 0").run()
        try await sql.create(index: "links_partnership").on("links").column("partnership_id").run()
        for (linkID, signups) in try await LinkSignups.recomputed(on: sql) {
            try await sql.raw("UPDATE links SET signups = \(bind: signups) WHERE id = \(bind: linkID)").run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "links_partnership").run()
        try await sql.raw("ALTER TABLE links DROP COLUMN signups").run()
    }
}
