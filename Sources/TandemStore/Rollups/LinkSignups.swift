import Foundation
import SQLKit

/// How many customers signed up through each link: `links.signups`, counted when a customer of
/// the link's own partnership names one of its clicks (a customer a click of someone else's link
/// brought, or none, counts on no link). Written in the signup's transaction; read by the Links
/// page; checked by `tandem check-rollups`.
public enum LinkSignups {
    /// The customer's click (if any) counts one signup for its link, when that link is the customer's partnership's.
    static func add(clickID: String, partnershipID: UUID, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE links SET signups = signups + 1
            WHERE id = (SELECT link_id FROM clicks WHERE id = \(bind: clickID) AND partnership_id = \(bind: partnershipID))
            """).run()
    }

    /// The counters as the customers and clicks give them: only links with signups.
    public static func recomputed(on sql: any SQLDatabase) async throws -> [UUID: Int64] {
        struct Row: Decodable { let link_id: UUID; let total: Int64 }
        let rows = try await sql.raw("""
            SELECT k.link_id, CAST(COUNT(*) AS BIGINT) AS total FROM customers c
            JOIN clicks k ON k.id = c.click_id AND k.partnership_id = c.partnership_id
            GROUP BY k.link_id
            """).all(decoding: Row.self)
        return Dictionary(rows.map { ($0.link_id, $0.total) }, uniquingKeysWith: { a, _ in a })
    }

    /// The counters as stored: only links with signups.
    public static func stored(on sql: any SQLDatabase) async throws -> [UUID: Int64] {
        struct Row: Decodable { let id: UUID; let signups: Int64 }
        let rows = try await sql.raw("SELECT id, signups FROM links WHERE signups <> 0").all(decoding: Row.self)
        return Dictionary(rows.map { ($0.id, $0.signups) }, uniquingKeysWith: { a, _ in a })
    }
}
