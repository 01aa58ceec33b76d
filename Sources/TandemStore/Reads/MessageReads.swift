import FluentKit
import Foundation
import SQLKit

/// Reads of the message threads: a thread, the unread counts the navigations show, and
/// the vendor's inbox. Every read is scoped by the caller's partnerships or company.
public enum MessageReads {
    /// The newest `limit` messages of a thread, oldest first (as a thread reads).
    public static func thread(partnershipID: UUID, limit: Int, on db: any Database) async throws -> [Message] {
        try await Message.query(on: db).filter(\.$partnership.$id == partnershipID)
            .sort(\.$createdAt, .descending).sort(\.$id, .descending).limit(limit).all().reversed()
    }

    struct Count: Decodable {
        let partnership_id: UUID
        let unread: Int64
    }

    /// Per partnership of the account, how many of the vendor's messages the partner has not opened.
    public static func unreadForAccount(_ accountID: UUID, on sql: any SQLDatabase) async throws -> [UUID: Int] {
        let rows = try await sql.raw("""
            SELECT m.partnership_id, CAST(COUNT(*) AS BIGINT) AS unread FROM messages m
            JOIN partnerships s ON s.id = m.partnership_id
            WHERE s.partner_account_id = \(bind: accountID) AND m.sender_side = 'vendor' AND m.read_at IS NULL
            GROUP BY m.partnership_id
            """).all(decoding: Count.self)
        return Dictionary(rows.map { ($0.partnership_id, Int($0.unread)) }, uniquingKeysWith: +)
    }

    /// How many partner messages of the company's programs nobody on the vendor's side has opened.
    public static func unreadForCompany(_ companyID: UUID, on sql: any SQLDatabase) async throws -> Int {
        struct Row: Decodable { let unread: Int64 }
        return Int(try await sql.raw("""
            SELECT CAST(COUNT(*) AS BIGINT) AS unread FROM messages m
            JOIN partnerships s ON s.id = m.partnership_id JOIN programs g ON g.id = s.program_id
            WHERE g.company_id = \(bind: companyID) AND m.sender_side = 'partner' AND m.read_at IS NULL
            """).first(decoding: Row.self)?.unread ?? 0)
    }

    /// Opening a thread reads what the other side sent.
    public static func markRead(partnershipID: UUID, sentBy side: Message.Side, now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update(Message.schema).set("read_at", to: now)
            .where("partnership_id", .equal, partnershipID).where("sender_side", .equal, side.rawValue)
            .where("read_at", .is, SQLLiteral.null).run()
    }

    public struct InboxThread: Decodable, Sendable {
        public let partnership_id: UUID
        public let partner_name: String
        public let program_name: String
        public let last_at: Date
        public let unread: Int64
        public let total: Int64
    }

    /// The company's threads (optionally one program's): unread first, then newest, a page at a time.
    public static func inbox(companyID: UUID, programID: UUID?, limit: Int, offset: Int, on sql: any SQLDatabase) async throws -> [InboxThread] {
        let program: SQLQueryString = programID.map { "AND g.id = \(bind: $0)" } ?? ""
        return try await sql.raw("""
            SELECT m.partnership_id, a.name AS partner_name, g.name AS program_name, MAX(m.created_at) AS last_at,
              CAST(SUM(CASE WHEN m.sender_side = 'partner' AND m.read_at IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS unread,
              CAST(COUNT(*) AS BIGINT) AS total
            FROM messages m JOIN partnerships s ON s.id = m.partnership_id JOIN programs g ON g.id = s.program_id
            JOIN partner_accounts a ON a.id = s.partner_account_id
            WHERE g.company_id = \(bind: companyID) \(program)
            GROUP BY m.partnership_id, a.name, g.name
            ORDER BY CASE WHEN SUM(CASE WHEN m.sender_side = 'partner' AND m.read_at IS NULL THEN 1 ELSE 0 END) > 0 THEN 0 ELSE 1 END,
              MAX(m.created_at) DESC, m.partnership_id
            LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all(decoding: InboxThread.self)
    }

    /// Claims the right to mail `side` about a thread: true at most once per `interval`, even
    /// when two messages race (one conditional UPDATE decides).
    public static func claimMail(partnershipID: UUID, to side: Message.Side, now: Date, interval: TimeInterval, on sql: any SQLDatabase) async throws -> Bool {
        let column = side == .partner ? "partner_mailed_at" : "vendor_mailed_at"
        let rows = try await sql.update(Partnership.schema).set(SQLIdentifier(column), to: SQLBind(now))
            .where("id", .equal, partnershipID)
            .where { $0.where(SQLIdentifier(column), .is, SQLLiteral.null).orWhere(SQLIdentifier(column), .lessThanOrEqual, SQLBind(now.addingTimeInterval(-interval))) }
            .returning("id").all()
        return rows.count == 1
    }
}
