import Foundation
import SQLKit
import TandemDomain

/// Reading stored clicks for attribution.
public enum ClickQueries {
    public struct StoredClick: Decodable, Sendable {
        public let id: String
        public let partnership_id: UUID
        public let program_id: UUID
        public let visitor: String
        public let clicked_at: Date
    }

    public static func click(id: String, on sql: any SQLDatabase) async throws -> StoredClick? {
        try await sql.raw("SELECT id, partnership_id, program_id, visitor, clicked_at FROM clicks WHERE id = \(bind: id)")
            .first(decoding: StoredClick.self)
    }

    /// The visitor's latest click in a program between two times: the winner of last-click
    /// attribution among the visitor's clicks there, or nil.
    ///
    /// Why one row, from a bounded scan: a visitor is whoever holds a `tdm_vid` cookie (or an IP
    /// and user agent), so one can have any number of clicks. Reading them all made a signup
    /// carrying such a visitor's click take 4.8 s and lift the server to 1.4 GB (811,069 clicks
    /// from one user agent, 2026-12-08); concurrent ones could exhaust memory. Now at most
    /// `scanLimit` of the visitor's latest clicks in the range are looked at, newest first, and
    /// the first in the program wins. A visitor with more than that many later clicks in other
    /// programs of the instance (a bot) is attributed by the click the signup carries, which the
    /// caller adds as a candidate.
    public static func lastVisitorClick(
        programID: UUID, visitor: String, from: Date, to: Date, scanLimit: Int = Self.attributionScanLimit, on sql: any SQLDatabase
    ) async throws -> Attribution.Click? {
        try await sql.raw(lastVisitorClickQuery(programID: programID, visitor: visitor, from: from, to: to, scanLimit: scanLimit))
            .first(decoding: CandidateRow.self)
            .map { Attribution.Click(partnershipID: $0.partnership_id, clickedAt: $0.clicked_at) }
    }

    /// How many of a visitor's latest clicks attribution looks through for one in the program.
    public static let attributionScanLimit = 10_000

    struct CandidateRow: Decodable {
        let partnership_id: UUID
        let clicked_at: Date
    }

    /// Found through the index on (visitor, clicked_at) (M042), read backwards; the program is
    /// checked on the rows, which the inner limit bounds.
    static func lastVisitorClickQuery(programID: UUID, visitor: String, from: Date, to: Date, scanLimit: Int) -> SQLQueryString {
        """
        SELECT partnership_id, clicked_at FROM (
          SELECT partnership_id, program_id, clicked_at FROM clicks
          WHERE visitor = \(bind: visitor) AND clicked_at >= \(bind: from) AND clicked_at <= \(bind: to)
          ORDER BY clicked_at DESC LIMIT \(unsafeRaw: String(max(1, scanLimit)))
        ) AS recent
        WHERE program_id = \(bind: programID)
        ORDER BY clicked_at DESC LIMIT 1
        """
    }

    /// Which of these click ids are stored (the spool's replay skips them).
    public static func existingIDs(_ ids: [String], on sql: any SQLDatabase) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        struct Row: Decodable { let id: String }
        let rows = try await sql.select().column("id").from("clicks").where("id", .in, ids).all(decoding: Row.self)
        return Set(rows.map(\.id))
    }
}
