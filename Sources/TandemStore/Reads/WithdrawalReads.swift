import FluentKit
import Foundation
import SQLKit
import TandemDomain

/// Withdrawals as pages and the API list them, scoped to the account or company asking.
public enum WithdrawalReads {
    /// A partner account's withdrawals, newest first.
    public static func ofAccount(accountID: UUID, limit: Int? = nil, on db: any Database) async throws -> [Withdrawal] {
        let query = Withdrawal.query(on: db).filter(\.$partnerAccount.$id == accountID).sort(\.$requestedAt, .descending).sort(\.$id)
        if let limit { query.limit(limit) }
        return try await query.all()
    }

    /// One withdrawal, if it is this account's.
    public static func find(id: UUID, accountID: UUID, on db: any Database) async throws -> Withdrawal? {
        try await Withdrawal.query(on: db).filter(\.$id == id).filter(\.$partnerAccount.$id == accountID).first()
    }

    /// Withdrawals that owe money of this company's programs (failed ones too), newest first.
    public static func ofCompany(
        companyID: UUID, programSlug: String?, status: WithdrawalStatus?, partnerAccountID: UUID? = nil, limit: Int? = nil, offset: Int = 0,
        on db: any Database
    ) async throws -> [Withdrawal] {
        let ids = try await ids(companyID: companyID, programSlug: programSlug, status: status, partnerAccountID: partnerAccountID,
                                limit: limit, offset: offset, on: db as! any SQLDatabase)
        guard !ids.isEmpty else { return [] }
        return try await Withdrawal.query(on: db).filter(\.$id ~~ ids).with(\.$partnerAccount)
            .sort(\.$requestedAt, .descending).sort(\.$id).all()
    }

    /// The ids, newest first, a page at a time: the shares' index finds the company's
    /// withdrawals in the database, so no list of ids travels as parameters.
    static func ids(
        companyID: UUID, programSlug: String?, status: WithdrawalStatus?, partnerAccountID: UUID?, limit: Int?, offset: Int,
        after: UUID? = nil, on sql: any SQLDatabase
    ) async throws -> [UUID] {
        struct Row: Decodable { let id: UUID }
        var shares: SQLQueryString = "s.company_id = \(bind: companyID)"
        if let programSlug { shares += " AND g.slug = \(bind: programSlug)" }
        var condition: SQLQueryString = """
            w.id IN (SELECT s.withdrawal_id FROM withdrawal_programs s JOIN programs g ON g.id = s.program_id WHERE \(shares))
            """
        if let status { condition += " AND w.status = \(bind: status.rawValue)" }
        if let partnerAccountID { condition += " AND w.partner_account_id = \(bind: partnerAccountID)" }
        if let after {
            struct Cursor: Decodable { let requested_at: Date }
            guard let cursor = try await sql.raw("SELECT w.requested_at FROM withdrawals w WHERE w.id = \(bind: after) AND \(condition)")
                .first(decoding: Cursor.self) else { throw CompanyListReads.UnknownCursor() }
            condition += " AND (w.requested_at < \(bind: cursor.requested_at) OR (w.requested_at = \(bind: cursor.requested_at) AND w.id > \(bind: after)))"
        }
        var query: SQLQueryString = "SELECT w.id FROM withdrawals w WHERE \(condition) ORDER BY w.requested_at DESC, w.id"
        if let limit { query += " LIMIT \(literal: limit) OFFSET \(literal: offset)" }
        return try await sql.raw(query).all(decoding: Row.self).map(\.id)
    }

    /// A page of the company's withdrawals for the API, newest first, after the cursor `after`
    /// (an id of this list, else `CompanyListReads.UnknownCursor`), with their partner accounts.
    public static func pageOfCompany(
        companyID: UUID, programSlug: String?, status: WithdrawalStatus?, after: UUID?, limit: Int, on db: any Database
    ) async throws -> (rows: [Withdrawal], hasMore: Bool) {
        let ids = try await ids(companyID: companyID, programSlug: programSlug, status: status, partnerAccountID: nil,
                                limit: limit + 1, offset: 0, after: after, on: db as! any SQLDatabase)
        let shown = Array(ids.prefix(limit))
        guard !shown.isEmpty else { return ([], false) }
        let rows = try await Withdrawal.query(on: db).filter(\.$id ~~ shown).with(\.$partnerAccount)
            .sort(\.$requestedAt, .descending).sort(\.$id).all()
        return (rows, ids.count > limit)
    }

    /// A page of the account's withdrawals for the API, newest first.
    public static func pageOfAccount(accountID: UUID, after: UUID?, limit: Int, on db: any Database) async throws -> (rows: [Withdrawal], hasMore: Bool) {
        try await KeysetPaging.page([Withdrawal.query(on: db).filter(\.$partnerAccount.$id == accountID)], order: \.$requestedAt, after: after, limit: limit)
    }

    /// One withdrawal that owes money of this company's programs, with its partner account.
    public static func find(id: UUID, companyID: UUID, on db: any Database) async throws -> Withdrawal? {
        struct Row: Decodable { let withdrawal_id: UUID }
        let owes = try await (db as! any SQLDatabase).raw("""
            SELECT withdrawal_id FROM withdrawal_programs WHERE withdrawal_id = \(bind: id) AND company_id = \(bind: companyID)
            """).first(decoding: Row.self) != nil
        guard owes else { return nil }
        return try await Withdrawal.query(on: db).filter(\.$id == id).with(\.$partnerAccount).first()
    }

    /// The account's payout method, if one is set.
    public static func payoutMethod(accountID: UUID, on db: any Database) async throws -> PayoutMethod? {
        try await PayoutMethod.query(on: db).filter(\.$partnerAccount.$id == accountID).first()
    }
}
