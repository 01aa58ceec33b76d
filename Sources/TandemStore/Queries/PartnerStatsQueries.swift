import Foundation
import SQLKit

/// The numbers a partner sees per partnership, read from rollups and ledgers, never from raw clicks.
public enum PartnerStatsQueries {
    public struct Totals: Sendable, Equatable {
        public var clicks: Int64 = 0
        public var referred: Int64 = 0
        /// Revenue of referred customers, net of refunds, in minor units of the program's currency.
        public var sold: Int64 = 0

        public init() {}
    }

    struct Count: Decodable {
        let partnership_id: UUID
        let total: Int64?
    }

    public static func totals(partnershipIDs: [UUID], on sql: any SQLDatabase) async throws -> [UUID: Totals] {
        guard !partnershipIDs.isEmpty else { return [:] }
        var result: [UUID: Totals] = [:]
        let ids = SQLGroupExpression(partnershipIDs.map { SQLBind($0) as any SQLExpression })
        for row in try await sql.raw("SELECT partnership_id, CAST(SUM(unique_clicks) AS BIGINT) AS total FROM click_daily WHERE partnership_id IN \(ids) GROUP BY partnership_id").all(decoding: Count.self) {
            result[row.partnership_id, default: Totals()].clicks = row.total ?? 0
        }
        for row in try await sql.raw("SELECT partnership_id, COUNT(*) AS total FROM customers WHERE partnership_id IN \(ids) GROUP BY partnership_id").all(decoding: Count.self) {
            result[row.partnership_id, default: Totals()].referred = row.total ?? 0
        }
        for row in try await sql.raw("SELECT partnership_id, CAST(SUM(amount - refunded_amount) AS BIGINT) AS total FROM transactions WHERE partnership_id IN \(ids) GROUP BY partnership_id").all(decoding: Count.self) {
            result[row.partnership_id, default: Totals()].sold = row.total ?? 0
        }
        return result
    }
}
