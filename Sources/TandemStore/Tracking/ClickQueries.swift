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

    /// The visitor's clicks in a program between two times: the candidates for last-click attribution.
    public static func visitorClicks(programID: UUID, visitor: String, from: Date, to: Date, on sql: any SQLDatabase) async throws -> [Attribution.Click] {
        try await sql.raw(visitorClicksQuery(programID: programID, visitor: visitor, from: from, to: to))
            .all(decoding: StoredClick.self).map { Attribution.Click(partnershipID: $0.partnership_id, clickedAt: $0.clicked_at) }
    }

    /// Found through the index on (visitor, clicked_at) (M042); the program is checked on the rows.
    static func visitorClicksQuery(programID: UUID, visitor: String, from: Date, to: Date) -> SQLQueryString {
        """
        SELECT id, partnership_id, program_id, visitor, clicked_at FROM clicks
        WHERE visitor = \(bind: visitor) AND clicked_at >= \(bind: from) AND clicked_at <= \(bind: to)
          AND program_id = \(bind: programID)
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
