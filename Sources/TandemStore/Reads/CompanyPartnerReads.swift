import Foundation
import SQLKit
import TandemDomain

/// A company's partnerships as the vendor console lists them: plain rows, a page at a time,
/// scoped by the company's program ids.
public enum CompanyPartnerReads {
    public struct Filter: Sendable {
        public var programIDs: [UUID]
        public var groupID: UUID?
        public var status: PartnershipStatus?
        /// Part of the partner's name (any case).
        public var search: String

        public init(programIDs: [UUID], groupID: UUID? = nil, status: PartnershipStatus? = nil, search: String = "") {
            self.programIDs = programIDs
            self.groupID = groupID
            self.status = status
            self.search = search
        }
    }

    public struct Row: Decodable, Sendable {
        public let id: UUID
        public let created_at: Date
        public let status: PartnershipStatus
        public let partner_account_id: UUID
        public let partner_name: String
        public let program_id: UUID
        public let program_name: String
        public let group_id: UUID
        public let group_name: String
    }

    static func conditions(_ filter: Filter) -> SQLQueryString {
        let ids: [any Encodable & Sendable] = filter.programIDs
        var sql: SQLQueryString = "s.program_id IN (\(binds: ids))"
        if let group = filter.groupID { sql += " AND s.group_id = \(bind: group)" }
        if let status = filter.status { sql += " AND s.status = \(bind: status.rawValue)" }
        if !filter.search.isEmpty {
            sql += " AND LOWER(a.name) LIKE \(bind: ReferralReads.likePattern(filter.search)) ESCAPE '!'"
        }
        return sql
    }

    /// Newest first.
    public static func page(_ filter: Filter, limit: Int, offset: Int, on sql: any SQLDatabase) async throws -> [Row] {
        guard !filter.programIDs.isEmpty else { return [] }
        return try await sql.raw("""
            SELECT s.id, s.created_at, s.status, s.partner_account_id, a.name AS partner_name, s.program_id, g.name AS program_name,
                   s.group_id, pg.name AS group_name
            FROM partnerships s JOIN partner_accounts a ON a.id = s.partner_account_id JOIN programs g ON g.id = s.program_id
            JOIN program_groups pg ON pg.id = s.group_id
            WHERE \(conditions(filter)) ORDER BY s.created_at DESC, s.id LIMIT \(literal: limit) OFFSET \(literal: offset)
            """).all(decoding: Row.self)
    }

    /// One partnership of these programs, or nil (another company's).
    public static func find(id: UUID, programIDs: [UUID], on sql: any SQLDatabase) async throws -> Row? {
        guard !programIDs.isEmpty else { return nil }
        let ids: [any Encodable & Sendable] = programIDs
        return try await sql.raw("""
            SELECT s.id, s.created_at, s.status, s.partner_account_id, a.name AS partner_name, s.program_id, g.name AS program_name,
                   s.group_id, pg.name AS group_name
            FROM partnerships s JOIN partner_accounts a ON a.id = s.partner_account_id JOIN programs g ON g.id = s.program_id
            JOIN program_groups pg ON pg.id = s.group_id
            WHERE s.id = \(bind: id) AND s.program_id IN (\(binds: ids))
            """).first(decoding: Row.self)
    }
}
