import Foundation
import SQLKit
import TandemDomain

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

extension PartnerStatsQueries {
    /// A period of a stats series: "2026-11-21" by day, "2026-11" by month.
    public enum Period: String, Sendable, CaseIterable {
        case day, month

        /// The period a "YYYY-MM-DD" day belongs to.
        public func key(ofDay day: String) -> String { String(day.prefix(self == .day ? 10 : 7)) }
    }

    struct DayCount: Decodable {
        let day: String
        let total: Int64?
    }

    /// The five numbers per period over the days in [fromDay, toDay) of the given
    /// partnerships, keyed by period; periods without activity are absent.
    public static func series(
        partnershipIDs: [UUID], fromDay: String, toDay: String, period: Period, on sql: any SQLDatabase
    ) async throws -> [String: Totals] {
        guard !partnershipIDs.isEmpty else { return [:] }
        var result: [String: Totals] = [:]
        let ids: [any Encodable & Sendable] = partnershipIDs
        for row in try await sql.raw("""
            SELECT day, CAST(SUM(unique_clicks) AS BIGINT) AS total FROM click_daily
            WHERE partnership_id IN (\(binds: ids)) AND day >= \(bind: fromDay) AND day < \(bind: toDay) GROUP BY day
            """).all(decoding: DayCount.self) {
            let key = period.key(ofDay: row.day)
            var totals = result[key] ?? Totals()
            totals.clicks = try totals.clicks.addingChecked(row.total ?? 0)
            result[key] = totals
        }
        for row in try await PartnershipDaily.days(partnershipIDs: partnershipIDs, fromDay: fromDay, toDay: toDay, on: sql) {
            let key = period.key(ofDay: row.day)
            var totals = result[key] ?? Totals()
            totals.referred = try totals.referred.addingChecked(row.figures.signups)
            totals.sold = try totals.sold.addingChecked(row.figures.net)
            totals.earned = try totals.earned.addingChecked(row.figures.rewardsPaid)
            totals.pending = try totals.pending.addingChecked(row.figures.rewardsPending)
            result[key] = totals
        }
        return result
    }
}
