import FluentKit
import Foundation
import SQLKit
import TandemDomain

/// Partnerships as pages and the API read them, scoped to the account or company asking.
public enum PartnershipReads {
    /// A partner account's partnerships with program and company loaded, newest first
    /// (`oldestFirst` for the dashboard's navigation).
    public static func ofAccount(_ accountID: UUID, programSlug: String? = nil, oldestFirst: Bool = false, on db: any Database) async throws -> [Partnership] {
        let query = Partnership.query(on: db).filter(\.$partnerAccount.$id == accountID)
            .with(\.$program) { $0.with(\.$company) }
        if oldestFirst { query.sort(\.$createdAt) } else { query.sort(\.$createdAt, .descending).sort(\.$id) }
        if let programSlug {
            query.join(Program.self, on: \Partnership.$program.$id == \Program.$id).filter(Program.self, \.$slug == programSlug)
        }
        return try await query.all()
    }

    /// A company's partnerships with program, partner account and group loaded, newest first.
    public static func ofCompany(_ companyID: UUID, programSlug: String? = nil, status: PartnershipStatus? = nil, on db: any Database) async throws -> [Partnership] {
        let query = Partnership.query(on: db)
            .join(Program.self, on: \Partnership.$program.$id == \Program.$id)
            .filter(Program.self, \.$company.$id == companyID)
            .with(\.$program).with(\.$partnerAccount).with(\.$group)
            .sort(\.$createdAt, .descending).sort(\.$id)
        if let programSlug { query.filter(Program.self, \.$slug == programSlug) }
        if let status { query.filter(\.$status == status) }
        return try await query.all()
    }

    /// A page of the company's partnerships, newest first, with program, partner account and
    /// group loaded: one part per program (`KeysetPaging`).
    public static func pageOfCompany(
        _ companyID: UUID, programSlug: String?, status: PartnershipStatus?, after: UUID?, limit: Int, on db: any Database
    ) async throws -> (rows: [Partnership], hasMore: Bool) {
        let programs = Program.query(on: db).filter(\.$company.$id == companyID)
        if let programSlug { programs.filter(\.$slug == programSlug) }
        let parts = try await programs.all().map { program throws in
            let part = Partnership.query(on: db).filter(\.$program.$id == (try program.requireID()))
                .with(\.$program).with(\.$partnerAccount).with(\.$group)
            if let status { part.filter(\.$status == status) }
            return part
        }
        return try await KeysetPaging.page(parts, order: \.$createdAt, after: after, limit: limit)
    }

    /// One partnership of the company with program and partner account loaded; another company's is nil.
    public static func find(id: UUID, companyID: UUID, on db: any Database) async throws -> Partnership? {
        try await Partnership.query(on: db)
            .join(Program.self, on: \Partnership.$program.$id == \Program.$id)
            .filter(Program.self, \.$company.$id == companyID).filter(\.$id == id)
            .with(\.$program).with(\.$partnerAccount).first()
    }

    /// Per program of the company: how many partnerships are in each status, counted in SQL
    /// (a program can have thousands of partners; the overview needs only the numbers).
    public static func statusCounts(companyID: UUID, on sql: any SQLDatabase) async throws -> [UUID: [PartnershipStatus: Int]] {
        struct Row: Decodable { let program_id: UUID; let status: String; let total: Int64 }
        var counts: [UUID: [PartnershipStatus: Int]] = [:]
        for row in try await sql.raw("""
            SELECT p.program_id, p.status, CAST(COUNT(*) AS BIGINT) AS total FROM partnerships p
            JOIN programs g ON g.id = p.program_id WHERE g.company_id = \(bind: companyID) GROUP BY p.program_id, p.status
            """).all(decoding: Row.self) {
            guard let status = PartnershipStatus(rawValue: row.status) else { continue }
            counts[row.program_id, default: [:]][status] = Int(row.total)
        }
        return counts
    }

    /// The partnership holding `partnerKey` in this program.
    public static func find(partnerKey: String, programID: UUID, on db: any Database) async throws -> Partnership? {
        try await Partnership.query(on: db).filter(\.$partnerKey == partnerKey).filter(\.$program.$id == programID).first()
    }

    /// A partnership as a list of choices names it.
    public struct Choice: Decodable, Sendable {
        public let id: UUID
        public let partner_name: String
        public let program_name: String
        public let program_id: UUID
    }

    /// The company's partnerships in `status`, by partner name: the console's pickers (two
    /// names per row, not three loaded models).
    public static func choices(companyID: UUID, status: PartnershipStatus, limit: Int, on sql: any SQLDatabase) async throws -> [Choice] {
        try await sql.raw("""
            SELECT s.id, a.name AS partner_name, g.name AS program_name, g.id AS program_id FROM partnerships s
            JOIN programs g ON g.id = s.program_id JOIN partner_accounts a ON a.id = s.partner_account_id
            WHERE g.company_id = \(bind: companyID) AND s.status = \(bind: status.rawValue) ORDER BY a.name, g.name, s.id
            LIMIT \(literal: limit)
            """).all(decoding: Choice.self)
    }

    /// One partnership of the company, as a picker names it; another company's is nil.
    public static func choice(id: UUID, companyID: UUID, on sql: any SQLDatabase) async throws -> Choice? {
        try await sql.raw("""
            SELECT s.id, a.name AS partner_name, g.name AS program_name, g.id AS program_id FROM partnerships s
            JOIN programs g ON g.id = s.program_id JOIN partner_accounts a ON a.id = s.partner_account_id
            WHERE g.company_id = \(bind: companyID) AND s.id = \(bind: id)
            """).first(decoding: Choice.self)
    }
}
