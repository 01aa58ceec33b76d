import Foundation
import SQLKit

/// The five numbers a partner sees per partnership, read from the daily rollups only.
public enum PartnerStatsQueries {
    public struct Totals: Sendable, Equatable {
        /// Unique clicks.
        public var clicks: Int64 = 0
        /// Customers who signed up.
        public var referred: Int64 = 0
        /// Revenue of referred customers, net of refunds, in minor units of the program's currency.
        public var sold: Int64 = 0
        /// Rewards cashed out.
        public var earned: Int64 = 0
        /// Rewards earned but not yet paid (pending, held, available or in a withdrawal).
        public var pending: Int64 = 0

        public init() {}
    }

    struct Count: Decodable {
        let partnership_id: UUID
        let total: Int64?
    }

    public static func totals(partnershipIDs: [UUID], on sql: any SQLDatabase) async throws -> [UUID: Totals] {
        guard !partnershipIDs.isEmpty else { return [:] }
        var result: [UUID: Totals] = [:]
        let ids: [any Encodable & Sendable] = partnershipIDs
        for row in try await sql.raw("""
            SELECT partnership_id, CAST(SUM(unique_clicks) AS BIGINT) AS total FROM click_daily WHERE partnership_id IN (\(binds: ids)) GROUP BY partnership_id
            """).all(decoding: Count.self) {
            result[row.partnership_id, default: Totals()].clicks = row.total ?? 0
        }
        for (id, figures) in try await PartnershipDaily.totals(partnershipIDs: partnershipIDs, on: sql) {
            result[id, default: Totals()].referred = figures.signups
            result[id, default: Totals()].sold = figures.net
            result[id, default: Totals()].earned = figures.rewardsPaid
            result[id, default: Totals()].pending = figures.rewardsPending
        }
        return result
    }
}
