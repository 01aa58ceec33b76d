import Foundation
import SQLKit
import TandemDomain

/// What partners referred to a company, as the console lists it: customers, leads and deals,
/// newest first, a page at a time, scoped by the company's program ids.
public enum CompanyReferralReads {
    public struct LeadRow: Decodable, Sendable {
        public let id: UUID
        public let created_at: Date
        public let name: String
        public let email: String
        public let company: String?
        public let status: Lead.Status
        public let partner_name: String
        public let partnership_id: UUID
        public let program_name: String
    }

    public struct DealRow: Decodable, Sendable {
        public let id: UUID
        public let created_at: Date
        public let name: String
        public let amount: Int64
        public let currency: String
        public let stage: Deal.Stage
        public let partner_name: String
        public let partnership_id: UUID
        public let program_name: String
    }

    public struct CustomerRow: Decodable, Sendable {
        public let id: UUID
        public let signed_up_at: Date
        public let key: String
        public let name: String?
        public let email: String?
        public let partner_name: String?
        public let partnership_id: UUID?
        public let program_name: String
    }

    static func inPrograms(_ column: String, _ programIDs: [UUID]) -> SQLQueryString {
        let ids: [any Encodable & Sendable] = programIDs
        return "\(unsafeRaw: column) IN (\(binds: ids))"
    }

    static func matching(_ search: String, columns: [String]) -> SQLQueryString {
        guard !search.isEmpty else { return "" }
        let pattern = ReferralReads.likePattern(search)
        var sql: SQLQueryString = " AND ("
        for (index, column) in columns.enumerated() {
            if index > 0 { sql += " OR " }
            sql += "LOWER(COALESCE(\(unsafeRaw: column), '')) LIKE \(bind: pattern) ESCAPE '!'"
        }
        return sql + ")"
    }

    public static func leads(programIDs: [UUID], status: Lead.Status?, search: String, limit: Int, offset: Int, on sql: any SQLDatabase) async throws -> [LeadRow] {
        guard !programIDs.isEmpty else { return [] }
        var condition = inPrograms("l.program_id", programIDs)
        if let status { condition += " AND l.status = \(bind: status.rawValue)" }
        condition += matching(search, columns: ["l.name", "l.email", "l.company"])
        return try await sql.raw("""
            SELECT l.id, l.created_at, l.name, l.email, l.company, l.status, a.name AS partner_name, l.partnership_id, g.name AS program_name
            FROM leads l JOIN partnerships s ON s.id = l.partnership_id JOIN partner_accounts a ON a.id = s.partner_account_id
            JOIN programs g ON g.id = l.program_id
            WHERE \(condition) ORDER BY l.created_at DESC, l.id LIMIT \(literal: limit) OFFSET \(literal: offset)
            """).all(decoding: LeadRow.self)
    }

    public static func deals(programIDs: [UUID], stage: Deal.Stage?, search: String, limit: Int, offset: Int, on sql: any SQLDatabase) async throws -> [DealRow] {
        guard !programIDs.isEmpty else { return [] }
        var condition = inPrograms("d.program_id", programIDs)
        if let stage { condition += " AND d.stage = \(bind: stage.rawValue)" }
        condition += matching(search, columns: ["d.name"])
        return try await sql.raw("""
            SELECT d.id, d.created_at, d.name, d.amount, d.currency, d.stage, a.name AS partner_name, d.partnership_id, g.name AS program_name
            FROM deals d JOIN partnerships s ON s.id = d.partnership_id JOIN partner_accounts a ON a.id = s.partner_account_id
            JOIN programs g ON g.id = d.program_id
            WHERE \(condition) ORDER BY d.created_at DESC, d.id LIMIT \(literal: limit) OFFSET \(literal: offset)
            """).all(decoding: DealRow.self)
    }

    /// Customers of the programs, attributed or not (an unattributed one has no partner).
    public static func customers(programIDs: [UUID], search: String, limit: Int, offset: Int, on sql: any SQLDatabase) async throws -> [CustomerRow] {
        guard !programIDs.isEmpty else { return [] }
        let plan = try await CustomerSearch.plan(search, in: [.name, .email, .key], on: sql)
        let condition = inPrograms(CustomerSearch.scope("c.program_id", plan: plan), programIDs)
            + CustomerSearch.condition(search, in: [.name, .email, .key], table: "c", plan: plan)
        return try await sql.raw("""
            SELECT c.id, c.signed_up_at, c."key", c.name, c.email, a.name AS partner_name, c.partnership_id, g.name AS program_name
            FROM (SELECT c.id FROM customers c WHERE \(condition) ORDER BY c.signed_up_at DESC, c.id LIMIT \(literal: limit) OFFSET \(literal: offset)) picked
            JOIN customers c ON c.id = picked.id
            LEFT JOIN partnerships s ON s.id = c.partnership_id LEFT JOIN partner_accounts a ON a.id = s.partner_account_id
            JOIN programs g ON g.id = c.program_id
            ORDER BY c.signed_up_at DESC, c.id
            """).all(decoding: CustomerRow.self)
    }
}
