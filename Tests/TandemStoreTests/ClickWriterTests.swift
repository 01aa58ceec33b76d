import Crypto
import Foundation
import Logging
import SQLKit
@testable import TandemStore
import TandemTestSupport
import Testing

/// Each database's fast click writer (SQLite's C API, PostgreSQL's arrays) must leave exactly
/// the rows the portable SQLKit writer leaves, because pages and attribution read them the SQLKit way.
@Suite struct ClickWriterTests {
    static let day1 = Date(timeIntervalSince1970: 1_795_305_600.25)  // 2026-11-22 00:00:00.25 UTC
    static let day2 = day1.addingTimeInterval(86_400)
    static let linkA = UUID(uuidString: "8184D9F1-9F26-421B-BF5B-6EDE816A86C9")!
    static let linkB = UUID(uuidString: "0a7d136a-ea31-4bab-bbf8-de05c6fb1ffe")!
    static let partnership = UUID()
    static let program = UUID()

    static func click(_ n: Int, _ link: UUID, _ visitor: String, _ at: Date) -> RecordedClick {
        RecordedClick(id: String(format: "%032x", n), linkID: link, partnershipID: partnership, programID: program, visitor: visitor, at: at)
    }

    /// Repeats inside a batch, a repeat of an earlier batch, two links, two days.
    static let batches: [[RecordedClick]] = [
        [
            click(1, linkA, "v1", day1), click(2, linkA, "v1", day1.addingTimeInterval(5)), click(3, linkA, "v2", day1),
            click(4, linkB, "v1", day1), click(5, linkA, "v1", day2),
        ],
        [click(6, linkA, "v1", day1.addingTimeInterval(60)), click(7, linkB, "v3", day2), click(8, linkB, "v3", day2)],
        // More than one multi-row step, plus a remainder.
        (9..<80).map { click($0, linkB, "w\($0 % 5)", day1) },
    ]

    struct ClickRow: Decodable, Equatable {
        let id: String
        let link_id: UUID
        let partnership_id: UUID
        let program_id: UUID
        let visitor: String
        let clicked_at: Date
        let is_unique: Bool
    }

    struct KeyRow: Decodable, Equatable {
        let key: Int64
    }

    /// The ledger's key for a click's triple.
    static func ledgerKey(_ link: UUID, _ visitor: String, _ at: Date) -> Int64 {
        ClickRecorder.UniqueKey(linkID: link, day: ClickDay.string(at), visitor: visitor).ledgerKey
    }

    struct DailyRow: Decodable, Equatable {
        let link_id: UUID
        let partnership_id: UUID
        let program_id: UUID
        let day: String
        let clicks: Int64
        let unique_clicks: Int64
    }

    struct Tables: Equatable {
        let clicks: [ClickRow]
        let uniques: [Int64]
        let daily: [DailyRow]
        /// The stored types, so that text-versus-blob differences cannot hide behind decoding.
        let types: [String]
    }

    static func tables(_ store: Store) async throws -> Tables {
        let sql = store.sql
        let types: [String]
        if store.isPostgres {
            types = []
        } else {
            struct TypeRow: Decodable { let t: String }
            types = try await sql.raw("""
                SELECT typeof(id) || typeof(link_id) || typeof(partnership_id) || typeof(program_id) || typeof(visitor)
                    || typeof(clicked_at) || typeof(is_unique) AS t FROM clicks ORDER BY id
                """).all(decoding: TypeRow.self).map(\.t)
        }
        return Tables(
            clicks: try await sql.raw("SELECT * FROM clicks ORDER BY id").all(decoding: ClickRow.self),
            uniques: try await sql.raw("SELECT key FROM click_unique_keys ORDER BY key").all(decoding: KeyRow.self).map(\.key),
            daily: try await sql.raw("SELECT * FROM click_daily ORDER BY link_id, day").all(decoding: DailyRow.self),
            types: types
        )
    }

    @Test func theFastWriterLeavesWhatTheSQLKitWriterLeaves() async throws {
        let viaSQLKit = try await TestDatabase.withStore { store in
            let recorder = ClickRecorder(store: store)
            for batch in Self.batches { try await recorder.writeWithSQLKit(batch) }
            return try await Self.tables(store)
        }
        let viaRecorder = try await TestDatabase.withStore { store in
            for batch in Self.batches {
                let sqlite = try await SQLiteClickWriter.write(batch, on: store.db) != nil
                let postgres = sqlite ? false : try await PostgresClickWriter.write(batch, on: store.db, logger: Logger(label: "test")) != nil
                #expect(sqlite == !store.isPostgres, "SQLite must take the C-API writer")
                #expect(postgres == store.isPostgres, "PostgreSQL must take the array writer")
            }
            return try await Self.tables(store)
        }
        #expect(viaRecorder == viaSQLKit)
        #expect(viaRecorder.clicks.prefix(8).map(\.is_unique) == [true, false, true, true, true, false, true, false])
        #expect(viaRecorder.clicks.count == 79)
        // Ordered by link (B's id sorts first), then day; the third batch adds 71 clicks of 5 visitors to B's first day.
        #expect(viaRecorder.daily.map(\.clicks) == [72, 2, 4, 1])
        #expect(viaRecorder.daily.map(\.unique_clicks) == [6, 1, 2, 1])
    }

    @Test func aVisitorsRepeatClickIsNotUniqueWithoutAskingTheLedgerAgain() async throws {
        try await TestDatabase.withStore { store in
            let recorder = ClickRecorder(store: store)
            recorder.record(Self.click(1, Self.linkA, "v1", Self.day1))
            try await recorder.flush()
            #expect(try await Self.tables(store).uniques.count == 1)
            // Emptied behind the recorder's back: the writer remembers the triple it committed
            // and does not ask again (on either database).
            try await store.sql.raw("DELETE FROM click_unique_keys").run()
            recorder.record(Self.click(2, Self.linkA, "v1", Self.day1))
            recorder.record(Self.click(3, Self.linkA, "v2", Self.day1))
            try await recorder.flush()
            var tables = try await Self.tables(store)
            #expect(tables.clicks.map(\.is_unique) == [true, false, true])
            #expect(tables.uniques == [Self.ledgerKey(Self.linkA, "v2", Self.day1)])
            #expect(tables.daily.map(\.unique_clicks) == [2])
            // A flush whose every triple is known asks the ledger nothing and still writes its clicks.
            recorder.record(Self.click(4, Self.linkA, "v1", Self.day1))
            recorder.record(Self.click(5, Self.linkA, "v2", Self.day1))
            try await recorder.flush()
            tables = try await Self.tables(store)
            #expect(tables.clicks.map(\.is_unique) == [true, false, true, false, false])
            #expect(tables.uniques == [Self.ledgerKey(Self.linkA, "v2", Self.day1)])
            #expect(tables.daily.map(\.clicks) == [5])
            #expect(tables.daily.map(\.unique_clicks) == [2])
        }
    }

    @Test func aFailedFlushWritesNothingAndKeepsTheClicks() async throws {
        try await TestDatabase.withStore { store in
            let recorder = ClickRecorder(store: store)
            let first = Self.click(1, Self.linkA, "v1", Self.day1)
            recorder.record(first)
            try await recorder.flush()
            // The same click id again violates the primary key halfway through the batch.
            recorder.record(Self.click(2, Self.linkB, "v9", Self.day1))
            recorder.record(first)
            await #expect(throws: (any Error).self) { try await recorder.flush() }
            #expect(recorder.pendingCount == 2)
            let tables = try await Self.tables(store)
            #expect(tables.clicks.map(\.id) == [first.id], "the failed batch rolled back as a whole")
            #expect(tables.daily.reduce(0) { $0 + $1.clicks } == 1)
        }
    }

    /// The key is stored: a change to it would count every visitor of the day again after an upgrade.
    @Test func theLedgerKeyIsTheFirstEightBytesOfSHA256OfTheTriple() {
        var bytes = withUnsafeBytes(of: Self.linkA.uuid) { Data($0) }
        bytes.append(contentsOf: Array("2026-11-22\nv1".utf8))
        let expected = SHA256.hash(data: bytes).prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(Self.ledgerKey(Self.linkA, "v1", Self.day1) == Int64(bitPattern: expected))
        #expect(Self.ledgerKey(Self.linkA, "v1", Self.day1) != Self.ledgerKey(Self.linkA, "v1", Self.day2))
        #expect(Self.ledgerKey(Self.linkA, "v1", Self.day1) != Self.ledgerKey(Self.linkB, "v1", Self.day1))
    }

    /// M041 copies the triples of the old ledger as keys (more than one page of them): a visitor
    /// counted before the upgrade is a repeat after it, and a new one is still unique.
    @Test func theMigrationCarriesTheOldLedgerOver() async throws {
        try await TestDatabase.withStore { store in
            let migration = M041_ReplaceClickUniquesWithKeys()
            try await migration.revert(on: store.db)
            let triples = (0..<(M041_ReplaceClickUniquesWithKeys.pageSize + 3)).map { n in
                (n % 2 == 0 ? Self.linkA : Self.linkB, ClickDay.string(Self.day1), "old\(n)")
            }
            for chunk in triples.chunked(1_000) {
                let insert = store.sql.insert(into: "click_uniques").columns("link_id", "day", "visitor")
                for (link, day, visitor) in chunk { insert.values(link, day, visitor) }
                try await insert.run()
            }
            try await migration.prepare(on: store.db)

            let keys = Set(try await Self.tables(store).uniques)
            #expect(keys == Set(triples.map { Self.ledgerKey($0.0, $0.2, Self.day1) }))
            let recorder = ClickRecorder(store: store)
            recorder.record(Self.click(1, Self.linkA, "old0", Self.day1.addingTimeInterval(30)))
            recorder.record(Self.click(2, Self.linkA, "old1", Self.day1.addingTimeInterval(30)))  // old1 was on link B
            recorder.record(Self.click(3, Self.linkA, "new", Self.day1.addingTimeInterval(30)))
            try await recorder.flush()
            #expect(try await Self.tables(store).clicks.map(\.is_unique) == [false, true, true])
        }
    }
}
