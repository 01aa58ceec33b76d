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
        on sql: any SQLDatabase
    ) async throws -> [UUID] {
        struct Row: Decodable { let id: UUID }
        var shares: SQLQueryString = "s.company_id = \(bind: companyID)"
        if let programSlug { shares += " AND g.slug = \(bind: programSlug)" }
        var condition: SQLQueryString = """
            w.id IN (SELECT s.withdrawal_id FROM withdrawal_programs s JOIN programs g ON g.id = s.program_id WHERE \(shares))
            """
        if let status { condition += " AND w.status = \(bind: status.rawValue)" }
        if let partnerAccountID { condition += " AND w.partner_account_id = \(bind: partnerAccountID)" }
        var query: SQLQueryString = "SELECT w.id FROM withdrawals w WHERE \(condition) ORDER BY w.requested_at DESC, w.id"
        if let limit { query += " LIMIT \(literal: limit) OFFSET \(literal: offset)" }
        return try await sql.raw(query).all(decoding: Row.self).map(\.id)
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
