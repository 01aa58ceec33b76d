import Foundation
import SQLKit
import TandemDomain

/// The vendor's Reporting: the company's rollups (`partnership_daily`) narrowed to a program,
/// a group or a partner, as a series over time (`overview`, summed in SQL)
/// and as a breakdown summed in SQL by program, group or partner. Money stays per currency.
public enum CompanyReportReads {
    public struct Filter: Sendable {
        public var programIDs: [UUID]
        public var groupID: UUID?
        public var partnerAccountID: UUID?

        public init(programIDs: [UUID], groupID: UUID? = nil, partnerAccountID: UUID? = nil) {
            self.programIDs = programIDs
            self.groupID = groupID
            self.partnerAccountID = partnerAccountID
        }
    }

    public enum Dimension: String, Sendable, CaseIterable {
        case program, group, partner
    }

    /// One line of the breakdown: what it is, its currency, and the summed figures.
    public struct Line: Sendable {
        public let id: UUID
        public let label: String
        /// The program a group belongs to; empty for the other dimensions.
        public let detail: String
        public let currency: String
        public let figures: PartnershipDaily.Figures
    }

    static func conditions(_ filter: Filter) -> SQLQueryString {
        let ids: [any Encodable & Sendable] = filter.programIDs
        var sql: SQLQueryString = "s.program_id IN (\(binds: ids))"
        if let group = filter.groupID { sql += " AND s.group_id = \(bind: group)" }
        if let partner = filter.partnerAccountID { sql += " AND s.partner_account_id = \(bind: partner)" }
        return sql
    }

    /// The Overview of every partnership the filter covers, by bucket (summed in SQL).
    public static func overview(_ filter: Filter, starts: [Date], end: Date, on sql: any SQLDatabase) async throws -> ReportQueries.Overview {
        guard !filter.programIDs.isEmpty else { return ReportQueries.Overview(count: starts.count) }
        return try await ReportQueries.overview(partnershipsWhere: conditions(filter), starts: starts, end: end, on: sql)
    }

    /// The days in [fromDay, toDay) summed by `dimension` and currency, largest net sales first.
    public static func breakdown(
        _ filter: Filter, by dimension: Dimension, fromDay: String, toDay: String, on sql: any SQLDatabase
    ) async throws -> [Line] {
        guard !filter.programIDs.isEmpty else { return [] }
        let key: SQLQueryString, label: SQLQueryString, detail: SQLQueryString, joins: SQLQueryString
        switch dimension {
        case .program:
            (key, label, detail, joins) = ("s.program_id", "g.name", "''", "")
        case .group:
            (key, label, detail, joins) = ("s.group_id", "pg.name", "g.name", "JOIN program_groups pg ON pg.id = s.group_id")
        case .partner:
            (key, label, detail, joins) = ("s.partner_account_id", "a.name", "''", "JOIN partner_accounts a ON a.id = s.partner_account_id")
        }
        // PostgreSQL refuses a constant in GROUP BY, so the empty detail is only selected.
        let sums = PartnershipDaily.Figures.columns.map { "CAST(SUM(d.\($0)) AS BIGINT) AS \($0)" }.joined(separator: ", ")
        let rows = try await sql.raw("""
            SELECT \(key) AS id, \(label) AS label, \(detail) AS detail, g.currency, \(unsafeRaw: sums)
            FROM \(unsafeRaw: PartnershipDaily.table) d JOIN partnerships s ON s.id = d.partnership_id
            JOIN programs g ON g.id = s.program_id \(joins)
            WHERE \(conditions(filter)) AND d.day >= \(bind: fromDay) AND d.day < \(bind: toDay)
            GROUP BY \(key), \(label), \(dimension == .group ? detail : "g.currency"), g.currency
            """).all(decoding: LineRow.self)
        return rows.map { Line(id: $0.id, label: $0.label, detail: $0.detail, currency: $0.currency, figures: $0.figures) }
            .sorted { ($0.figures.net, $0.figures.signups, $1.label) > ($1.figures.net, $1.figures.signups, $0.label) }
    }

    struct LineRow: Decodable {
        let id: UUID
        let label: String
        let detail: String
        let currency: String
        let figures: PartnershipDaily.Figures

        enum Key: String, CodingKey { case id, label, detail, currency }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            id = try c.decode(UUID.self, forKey: .id)
            label = try c.decode(String.self, forKey: .label)
            detail = try c.decodeIfPresent(String.self, forKey: .detail) ?? ""
            currency = try c.decode(String.self, forKey: .currency)
            figures = try PartnershipDaily.Figures(from: decoder)
        }
    }

    /// A partner of these programs by account id, or nil (not one of the company's partners).
    public static func partnerName(_ partnerAccountID: UUID, programIDs: [UUID], on sql: any SQLDatabase) async throws -> String? {
        guard !programIDs.isEmpty else { return nil }
        let ids: [any Encodable & Sendable] = programIDs
        struct Row: Decodable { let name: String }
        return try await sql.raw("""
            SELECT a.name FROM partnerships s JOIN partner_accounts a ON a.id = s.partner_account_id
            WHERE s.partner_account_id = \(bind: partnerAccountID) AND s.program_id IN (\(binds: ids)) LIMIT 1
            """).first(decoding: Row.self)?.name
    }
}
