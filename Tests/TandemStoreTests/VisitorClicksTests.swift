import Foundation
import SQLKit
import TandemDomain
@testable import TandemStore
import TandemTestSupport
import Testing

/// Last-click attribution's candidate: one visitor's latest click in one program and time range,
/// found through the (visitor, clicked_at) index rather than by reading the clicks table.
@Suite struct VisitorClicksTests {
    static let day = Date(timeIntervalSince1970: 1_795_305_600)  // 2026-11-22 00:00 UTC
    static let programA = UUID(), programB = UUID()
    static let partnerA = UUID(), partnerB = UUID()

    static func click(_ n: Int, program: UUID, partnership: UUID, visitor: String, hours: Double) -> RecordedClick {
        RecordedClick(
            id: String(format: "%032x", n), linkID: UUID(), partnershipID: partnership, programID: program,
            visitor: visitor, at: day.addingTimeInterval(hours * 3600))
    }

    @Test func theLatestOfTheVisitorsClicksInTheProgramAndRangeIsTheCandidate() async throws {
        try await TestDatabase.withStore { store in
            let recorder = ClickRecorder(store: store)
            try await recorder.writeWithSQLKit([
                Self.click(1, program: Self.programA, partnership: Self.partnerB, visitor: "v1", hours: 1),
                Self.click(2, program: Self.programA, partnership: Self.partnerA, visitor: "v1", hours: 5),
                // The same visitor in another program, later, inside the range.
                Self.click(3, program: Self.programB, partnership: Self.partnerB, visitor: "v1", hours: 7),
                // Another visitor in the program, later.
                Self.click(4, program: Self.programA, partnership: Self.partnerB, visitor: "v2", hours: 8),
                // Before and after the range.
                Self.click(5, program: Self.programA, partnership: Self.partnerB, visitor: "v1", hours: -30),
                Self.click(6, program: Self.programA, partnership: Self.partnerB, visitor: "v1", hours: 30),
            ])
            let found = try await ClickQueries.lastVisitorClick(
                programID: Self.programA, visitor: "v1", from: Self.day, to: Self.day.addingTimeInterval(86_400), on: store.sql)
            #expect(found == Attribution.Click(partnershipID: Self.partnerA, clickedAt: Self.day.addingTimeInterval(5 * 3600)))
            let none = try await ClickQueries.lastVisitorClick(
                programID: Self.programA, visitor: "v3", from: Self.day, to: Self.day.addingTimeInterval(86_400), on: store.sql)
            #expect(none == nil)
        }
    }

    /// A visitor can have any number of clicks (it is whoever holds a cookie): attribution looks
    /// through a bounded number of the latest, so a signup never reads them all.
    @Test func theScanStopsAfterTheLimitOfTheVisitorsLatestClicks() async throws {
        try await TestDatabase.withStore { store in
            let recorder = ClickRecorder(store: store)
            try await recorder.writeWithSQLKit([
                Self.click(1, program: Self.programA, partnership: Self.partnerA, visitor: "v1", hours: 1),
                Self.click(2, program: Self.programB, partnership: Self.partnerB, visitor: "v1", hours: 2),
                Self.click(3, program: Self.programB, partnership: Self.partnerB, visitor: "v1", hours: 3),
                Self.click(4, program: Self.programB, partnership: Self.partnerB, visitor: "v1", hours: 4),
            ])
            let range = (from: Self.day, to: Self.day.addingTimeInterval(86_400))
            let within = try await ClickQueries.lastVisitorClick(
                programID: Self.programA, visitor: "v1", from: range.from, to: range.to, scanLimit: 4, on: store.sql)
            #expect(within?.partnershipID == Self.partnerA)
            let beyond = try await ClickQueries.lastVisitorClick(
                programID: Self.programA, visitor: "v1", from: range.from, to: range.to, scanLimit: 3, on: store.sql)
            #expect(beyond == nil)
        }
    }

    @Test func theCandidatesAreFoundThroughTheVisitorIndex() async throws {
        try await TestDatabase.withStore { store in
            let query = ClickQueries.lastVisitorClickQuery(
                programID: Self.programA, visitor: "v1", from: Self.day, to: Self.day.addingTimeInterval(86_400), scanLimit: 10_000)
            if store.isPostgres {
                // An empty table would be read whole whatever the indexes: forbid that, on one
                // connection. (Not `pg_indexes`: its `pg_get_indexdef` can fail while another
                // test's schema is being dropped.)
                struct Plan: Decodable {
                    let line: String
                    enum CodingKeys: String, CodingKey { case line = "QUERY PLAN" }
                }
                let plan = try await store.db.transaction { db in
                    let sql = db as! any SQLDatabase
                    try await sql.raw("SET LOCAL enable_seqscan = off").run()
                    return try await sql.raw("EXPLAIN \(query)").all(decoding: Plan.self).map(\.line).joined(separator: "; ")
                }
                #expect(plan.contains("using clicks_visitor"), "\(plan)")
            } else {
                struct Plan: Decodable { let detail: String }
                let plan = try await store.sql.raw("EXPLAIN QUERY PLAN \(query)").all(decoding: Plan.self).map(\.detail).joined(separator: "; ")
                #expect(plan.contains("USING INDEX clicks_visitor (visitor=? AND clicked_at>? AND clicked_at<?)"), "\(plan)")
            }
        }
    }

    /// Click ids and visitors compare as bytes on both databases (M043 on PostgreSQL; SQLite's
    /// default), so their indexes never call the C library's collation.
    @Test func clickKeysCompareAsBytes() async throws {
        try await TestDatabase.withStore { store in
            try await ClickRecorder(store: store).writeWithSQLKit([
                Self.click(1, program: Self.programA, partnership: Self.partnerA, visitor: "a1", hours: 1),
                Self.click(2, program: Self.programA, partnership: Self.partnerA, visitor: "B1", hours: 2),
            ])
            struct Visitor: Decodable { let visitor: String }
            let order = try await store.sql.raw("SELECT visitor FROM clicks ORDER BY visitor").all(decoding: Visitor.self).map(\.visitor)
            #expect(order == ["B1", "a1"])
            if store.isPostgres {
                struct Column: Decodable { let column_name: String; let collation_name: String? }
                let columns = try await store.sql.raw("""
                    SELECT column_name, collation_name FROM information_schema.columns
                    WHERE table_schema = current_schema() AND table_name = 'clicks' AND column_name IN ('id', 'visitor')
                    ORDER BY column_name
                    """).all(decoding: Column.self)
                #expect(columns.map(\.column_name) == ["id", "visitor"])
                #expect(columns.map(\.collation_name) == ["C", "C"])
            }
        }
    }
}
