import Foundation
import SQLKit

public enum WithdrawalMinimums {
    struct Row: Decodable {
        let currency: String
        let minimum: Int64?
    }

    /// The minimum that applies to each currency of a partner account: the strictest of
    /// its programs' minimums in that currency (the rule `WithdrawalLedger.request` applies).
    public static func of(accountID: UUID, on sql: any SQLDatabase) async throws -> [String: Int64] {
        let rows = try await sql.raw("""
            SELECT g.currency, MAX(g.min_withdrawal) AS minimum FROM partnerships p JOIN programs g ON g.id = p.program_id
            WHERE p.partner_account_id = \(bind: accountID) GROUP BY g.currency
            """).all(decoding: Row.self)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.currency, $0.minimum ?? 0) })
    }
}
