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
    public static func ofCompany(companyID: UUID, programSlug: String?, status: WithdrawalStatus?, on db: any Database) async throws -> [Withdrawal] {
        let query = try await Withdrawal.query(on: db).filter(\.$id ~~ ids(companyID: companyID, programSlug: programSlug, on: db as! any SQLDatabase))
            .with(\.$partnerAccount).sort(\.$requestedAt, .descending).sort(\.$id)
        if let status { query.filter(\.$status == status) }
        return try await query.all()
    }

    /// The ids only, from the shares' index: a company can have paid thousands of withdrawals.
    static func ids(companyID: UUID, programSlug: String?, on sql: any SQLDatabase) async throws -> [UUID] {
        struct Row: Decodable { let withdrawal_id: UUID }
        var condition: SQLQueryString = "w.company_id = \(bind: companyID)"
        if let programSlug { condition += " AND g.slug = \(bind: programSlug)" }
        return try await sql.raw("""
            SELECT DISTINCT w.withdrawal_id FROM withdrawal_programs w JOIN programs g ON g.id = w.program_id WHERE \(condition)
            """).all(decoding: Row.self).map(\.withdrawal_id)
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
