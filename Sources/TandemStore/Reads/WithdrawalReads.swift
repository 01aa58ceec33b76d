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

    /// Withdrawals that took a reward of this company's programs, newest first.
    public static func ofCompany(companyID: UUID, programSlug: String?, status: WithdrawalStatus?, on db: any Database) async throws -> [Withdrawal] {
        // The ids only, found in SQL: a company's paid-out rewards can number in the hundreds of thousands.
        struct Row: Decodable { let withdrawal_id: UUID }
        var condition: SQLQueryString = "g.company_id = \(bind: companyID) AND r.withdrawal_id IS NOT NULL"
        if let programSlug { condition += " AND g.slug = \(bind: programSlug)" }
        let ids = try await (db as! any SQLDatabase).raw("""
            SELECT DISTINCT r.withdrawal_id FROM rewards r JOIN programs g ON g.id = r.program_id WHERE \(condition)
            """).all(decoding: Row.self).map(\.withdrawal_id)
        let query = Withdrawal.query(on: db).filter(\.$id ~~ ids).sort(\.$requestedAt, .descending).sort(\.$id)
        if let status { query.filter(\.$status == status) }
        return try await query.all()
    }

    /// The account's payout method, if one is set.
    public static func payoutMethod(accountID: UUID, on db: any Database) async throws -> PayoutMethod? {
        try await PayoutMethod.query(on: db).filter(\.$partnerAccount.$id == accountID).first()
    }
}
