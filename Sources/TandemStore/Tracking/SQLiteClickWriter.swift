import FluentSQLiteDriver
import Foundation
import NIOCore
import NIOPosix
import VaporCSQLite

/// The click writer for SQLite: prepared statements stepped through the C API (clicks
/// 32 rows a step), on the connection FluentKit already holds.
///
/// Why not SQLKit as on PostgreSQL: the redirect benchmark put the SQLKit flush at about
/// 20 % of the server's throughput at 40k clicks a second, most of it building and
/// parsing 500-row statements and encoding each value through `Encodable`. SQLite's own
/// B-tree work is a small part of that. The rows written are exactly what FluentKit and
/// SQLKit write (upper-case UUID text, `REAL` seconds since 1970, 0/1 booleans); the tests
/// run both writers over the same clicks and compare the tables.
///
/// SQLiteNIO does not expose its `sqlite3*` handle, so it is read by reflection. When a
/// future SQLiteNIO renames it, `handle(of:)` returns nil and the recorder falls back to
/// the SQLKit writer (a test asserts the fast path is taken, so that cannot go unnoticed).
enum SQLiteClickWriter {
    /// Nil, having written nothing, when the database is not SQLite or its handle cannot be found.
    /// Otherwise the (link, day, visitor) triples the ledger holds now that the batch has
    /// committed. `known` are triples the ledger is known to hold already (rows there are
    /// never deleted): their clicks are not unique, and the ledger is not asked again.
    static func write(_ batch: [RecordedClick], known: Set<ClickRecorder.UniqueKey> = [], on database: any Database) async throws -> Set<ClickRecorder.UniqueKey>? {
        guard let sqlite = database as? any SQLiteDatabase else { return nil }
        return try await sqlite.withConnection { connection -> EventLoopFuture<Set<ClickRecorder.UniqueKey>?> in
            guard let handle = handle(of: connection) else { return connection.eventLoop.makeSucceededFuture(nil) }
            // Holding the pooled connection keeps every other FluentKit user off the handle
            // until the transaction below has ended.
            return NIOThreadPool.singleton.runIfActive(eventLoop: connection.eventLoop) {
                try Transaction(db: handle).write(batch, known: known)
            }
        }.get()
    }

    static func handle(of connection: SQLiteConnection) -> OpaquePointer? {
        Mirror(reflecting: connection).descendant("handle", "raw") as? OpaquePointer
    }

    struct SQLiteFailure: Error, CustomStringConvertible {
        let code: Int32
        let message: String
        var description: String { "SQLite error \(code) writing clicks: \(message)" }
    }

    /// One flush: BEGIN IMMEDIATE, the rows, COMMIT; ROLLBACK on any failure.
    struct Transaction {
        let db: OpaquePointer

        func write(_ batch: [RecordedClick], known: Set<ClickRecorder.UniqueKey>) throws -> Set<ClickRecorder.UniqueKey> {
            try exec("BEGIN IMMEDIATE")
            do {
                let asked = try writeRows(batch, known: known)
                try exec("COMMIT")
                return asked
            } catch {
                try? exec("ROLLBACK")
                throw error
            }
        }

        /// Returns the triples it asked the ledger about (all in it once this commits).
        private func writeRows(_ batch: [RecordedClick], known: Set<ClickRecorder.UniqueKey>) throws -> Set<ClickRecorder.UniqueKey> {
            let uniques = try Statement(db, "INSERT INTO click_unique_keys (key) VALUES (?1) ON CONFLICT DO NOTHING")
            defer { uniques.finalize() }
            let clicks = try Statement(db, Self.insertClicks(rows: 1))
            defer { clicks.finalize() }
            let clickGroups = try Statement(db, Self.insertClicks(rows: Self.rowsPerStep))
            defer { clickGroups.finalize() }
            let daily = try Statement(db, """
                INSERT INTO click_daily (link_id, partnership_id, program_id, day, clicks, unique_clicks)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                ON CONFLICT (link_id, day) DO UPDATE SET
                    clicks = click_daily.clicks + excluded.clicks,
                    unique_clicks = click_daily.unique_clicks + excluded.unique_clicks
                """)
            defer { daily.finalize() }
            // The same without touching `unique_clicks`, for a link whose clicks this batch were all
            // repeats (most of them): setting a column that `click_daily_program` indexes makes
            // SQLite rewrite that index entry even when the value stays.
            let dailyRepeats = try Statement(db, """
                INSERT INTO click_daily (link_id, partnership_id, program_id, day, clicks, unique_clicks)
                VALUES (?1, ?2, ?3, ?4, ?5, 0)
                ON CONFLICT (link_id, day) DO UPDATE SET clicks = click_daily.clicks + excluded.clicks
                """)
            defer { dailyRepeats.finalize() }

            // Most clicks of a batch repeat a (link, day, visitor) triple: ask the ledger once per triple.
            var asked = Set<ClickRecorder.UniqueKey>()
            var rows: [(RecordedClick, Bool)] = []
            rows.reserveCapacity(batch.count)
            var days = ClickDay.Memo()
            for click in batch {
                let key = ClickRecorder.UniqueKey(linkID: click.linkID, day: days.string(click.at), visitor: click.visitor)
                guard !known.contains(key), asked.insert(key).inserted else {
                    rows.append((click, false))
                    continue
                }
                try uniques.bind(1, key.ledgerKey)
                try uniques.run()
                rows.append((click, sqlite_nio_sqlite3_changes(db) > 0))
            }
            for chunk in rows.chunked(Self.rowsPerStep) {
                if chunk.count == Self.rowsPerStep {
                    try Self.insert(chunk, with: clickGroups)
                } else {
                    for row in chunk { try Self.insert([row], with: clicks) }
                }
            }
            for (key, value) in ClickRecorder.dailyTotals(rows) {
                let statement = value.unique == 0 ? dailyRepeats : daily
                try statement.bind(1, key.linkID)
                try statement.bind(2, value.partnershipID)
                try statement.bind(3, value.programID)
                try statement.bind(4, key.day)
                try statement.bind(5, value.clicks)
                if value.unique != 0 { try statement.bind(6, value.unique) }
                try statement.run()
            }
            return asked
        }

        /// Rows per step of the multi-row INSERT: each step costs SQLite a fixed overhead
        /// that one row a step paid 40,000 times a second.
        static let rowsPerStep = 32

        static func insertClicks(rows: Int) -> String {
            let groups = (0..<rows).map { row in
                "(" + (1...7).map { "?\(row * 7 + $0)" }.joined(separator: ", ") + ")"
            }
            return "INSERT INTO clicks (id, link_id, partnership_id, program_id, visitor, clicked_at, is_unique) VALUES "
                + groups.joined(separator: ", ")
        }

        static func insert(_ rows: some Collection<(RecordedClick, Bool)>, with statement: Statement) throws {
            for (row, (click, isUnique)) in rows.enumerated() {
                let base = Int32(row * 7)
                try statement.bind(base + 1, click.id)
                try statement.bind(base + 2, click.linkID)
                try statement.bind(base + 3, click.partnershipID)
                try statement.bind(base + 4, click.programID)
                try statement.bind(base + 5, click.visitor)
                try statement.bind(base + 6, click.at.timeIntervalSince1970)
                try statement.bind(base + 7, Int64(isUnique ? 1 : 0))
            }
            try statement.run()
        }

        private func exec(_ sql: String) throws {
            let code = sqlite_nio_sqlite3_exec(db, sql, nil, nil, nil)
            guard code == SQLITE_OK else { throw SQLiteFailure(code: code, message: errorMessage(db)) }
        }
    }

    /// A prepared statement; `run` steps it once and resets it for the next row.
    struct Statement {
        let db: OpaquePointer
        let handle: OpaquePointer
        /// SQLite copies bound values (`SQLITE_TRANSIENT`), so the buffers may be reused at once.
        /// Held here: a global is checked for its one-time initialisation on every read, which a
        /// profile found at 0.3 % of the machine in binds alone.
        private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        init(_ db: OpaquePointer, _ sql: String) throws {
            var statement: OpaquePointer?
            let code = sqlite_nio_sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
            guard code == SQLITE_OK, let statement else { throw SQLiteFailure(code: code, message: errorMessage(db)) }
            self.db = db
            self.handle = statement
        }

        func bind(_ index: Int32, _ value: String) throws {
            var value = value
            try check(value.withUTF8 { sqlite_nio_sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), transient) })
        }

        /// FluentKit's text form of a UUID, formatted without allocating a String.
        func bind(_ index: Int32, _ value: UUID) throws {
            try check(UUIDText.withUpperCase(value) { sqlite_nio_sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), transient) })
        }

        func bind(_ index: Int32, _ value: Double) throws {
            try check(sqlite_nio_sqlite3_bind_double(handle, index, value))
        }

        func bind(_ index: Int32, _ value: Int64) throws {
            try check(sqlite_nio_sqlite3_bind_int64(handle, index, value))
        }

        func run() throws {
            let code = sqlite_nio_sqlite3_step(handle)
            sqlite_nio_sqlite3_reset(handle)
            guard code == SQLITE_DONE else { throw SQLiteFailure(code: code, message: errorMessage(db)) }
        }

        func finalize() {
            sqlite_nio_sqlite3_finalize(handle)
        }

        private func check(_ code: Int32) throws {
            guard code == SQLITE_OK else { throw SQLiteFailure(code: code, message: errorMessage(db)) }
        }
    }

}

private func errorMessage(_ db: OpaquePointer) -> String {
    sqlite_nio_sqlite3_errmsg(db).map { String(cString: $0) } ?? "unknown"
}

/// "8184D9F1-9F26-421B-BF5B-6EDE816A86C9", as `UUID.uuidString` spells it.
enum UUIDText {
    static func withUpperCase<R>(_ uuid: UUID, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeBytes(of: uuid.uuid) { bytes in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { out in
                var o = 0
                for (i, byte) in bytes.enumerated() {
                    if i == 4 || i == 6 || i == 8 || i == 10 {
                        out[o] = UInt8(ascii: "-")
                        o += 1
                    }
                    out[o] = hex(byte >> 4)
                    out[o + 1] = hex(byte & 0x0F)
                    o += 2
                }
                return body(UnsafeBufferPointer(start: out.baseAddress, count: 36))
            }
        }
    }

    /// An upper-case hex digit by arithmetic: a table would be a global, looked up behind a
    /// one-time-initialisation check per call.
    @inline(__always)
    static func hex(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x37 + nibble
    }
}
