import FluentKit
import Foundation
import SQLKit

/// Recomputes the rollups the pages read from the events they sum, and lists every
/// difference: `partnership_daily` from customers, transactions and rewards, `click_daily`
/// from the raw clicks, each link's signups from the customers, `reward_balances` and each withdrawal's
/// `reward_count` from the rewards. Writers add increments to the rollups in their own transactions (on
/// any node); this is how an operator — and the multi-node test — checks that nothing
/// drifted. It reads every partnership's events, so it is a maintenance command, not a page.
public enum RollupCheck {
    public struct Difference: Sendable, Equatable, CustomStringConvertible {
        public let table: String
        /// "partnership <id>, 2026-11-21" or "link <id>, 2026-11-21".
        public let row: String
        public let stored: String
        public let recomputed: String
        public var description: String { "\(table) \(row): stored \(stored), the events give \(recomputed)" }
    }

    public struct Report: Sendable {
        public var partnerships = 0
        public var partnershipDays = 0
        public var linkDays = 0
        public var differences: [Difference] = []
    }

    public static func run(on sql: any SQLDatabase) async throws -> Report {
        var report = Report()
        try await checkPartnerships(into: &report, on: sql)
        try await checkClicks(into: &report, on: sql)
        try await checkLinkSignups(into: &report, on: sql)
        try await checkRewardBalances(into: &report, on: sql)
        try await checkWithdrawalCounts(into: &report, on: sql)
        return report
    }

    static func checkPartnerships(into report: inout Report, on sql: any SQLDatabase) async throws {
        struct Row: Decodable { let id: UUID }
        let ids = try await sql.raw("SELECT id FROM partnerships").all(decoding: Row.self).map(\.id)
        report.partnerships = ids.count
        for id in ids {
            // One row per (partnership, day): its primary key.
            let rows = try await PartnershipDaily.days(partnershipIDs: [id], fromDay: "0000", toDay: "9999", on: sql)
            let stored = Dictionary(rows.map { ($0.day, $0.figures) }, uniquingKeysWith: { a, _ in a }).filter { !$0.value.isZero }
            let recomputed = try await PartnershipDaily.recomputed(partnershipID: id, on: sql)
            report.partnershipDays += recomputed.count
            for day in Set(stored.keys).union(recomputed.keys).sorted() where stored[day] != recomputed[day] {
                report.differences.append(Difference(
                    table: PartnershipDaily.table, row: "partnership \(id.uuidString.lowercased()), \(day)",
                    stored: describe(stored[day]), recomputed: describe(recomputed[day])
                ))
            }
        }
    }

    struct LinkDay: Decodable, Hashable {
        let link_id: UUID
        let day: String
    }

    struct ClickCounts: Decodable {
        let link_id: UUID
        let day: String
        let clicks: Int64
        let unique_clicks: Int64
    }

    static func checkClicks(into report: inout Report, on sql: any SQLDatabase) async throws {
        // The UTC day of a click, as `ClickDay` writes it: SQLite keeps seconds since 1970.
        let day = sql.dialect.name == "postgresql"
            ? "to_char(clicked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
            : "strftime('%Y-%m-%d', clicked_at, 'unixepoch')"
        let fromClicks = try await sql.raw("""
            SELECT link_id, \(unsafeRaw: day) AS day, CAST(COUNT(*) AS BIGINT) AS clicks,
                   CAST(SUM(CASE WHEN is_unique THEN 1 ELSE 0 END) AS BIGINT) AS unique_clicks
            FROM clicks GROUP BY link_id, \(unsafeRaw: day)
            """).all(decoding: ClickCounts.self)
        let stored = try await sql.raw("SELECT link_id, day, clicks, unique_clicks FROM click_daily").all(decoding: ClickCounts.self)
        let events = Dictionary(fromClicks.map { (LinkDay(link_id: $0.link_id, day: $0.day), ($0.clicks, $0.unique_clicks)) }, uniquingKeysWith: { a, _ in a })
        let rows = Dictionary(stored.filter { $0.clicks != 0 || $0.unique_clicks != 0 }
            .map { (LinkDay(link_id: $0.link_id, day: $0.day), ($0.clicks, $0.unique_clicks)) }, uniquingKeysWith: { a, _ in a })
        report.linkDays = events.count
        for key in Set(events.keys).union(rows.keys).sorted(by: { ($0.day, $0.link_id.uuidString) < ($1.day, $1.link_id.uuidString) }) {
            let have = rows[key], want = events[key]
            guard have?.0 != want?.0 || have?.1 != want?.1 else { continue }
            report.differences.append(Difference(
                table: "click_daily", row: "link \(key.link_id.uuidString.lowercased()), \(key.day)",
                stored: have.map { "\($0.0) clicks, \($0.1) unique" } ?? "no row",
                recomputed: want.map { "\($0.0) clicks, \($0.1) unique" } ?? "no clicks"
            ))
        }
    }

    static func checkLinkSignups(into report: inout Report, on sql: any SQLDatabase) async throws {
        let stored = try await LinkSignups.stored(on: sql), recomputed = try await LinkSignups.recomputed(on: sql)
        for link in Set(stored.keys).union(recomputed.keys).sorted(by: { $0.uuidString < $1.uuidString }) where stored[link] != recomputed[link] {
            report.differences.append(Difference(
                table: "links", row: "link \(link.uuidString.lowercased())",
                stored: "\(stored[link] ?? 0) signups", recomputed: "\(recomputed[link] ?? 0) signups"
            ))
        }
    }

    static func checkRewardBalances(into report: inout Report, on sql: any SQLDatabase) async throws {
        let stored = try await RewardBalances.stored(on: sql), recomputed = try await RewardBalances.recomputed(on: sql)
        for partnership in Set(stored.keys).union(recomputed.keys).sorted(by: { $0.uuidString < $1.uuidString }) {
            for state in RewardBalances.State.allCases {
                let have = stored[partnership]?[state] ?? .init(), want = recomputed[partnership]?[state] ?? .init()
                guard have != want else { continue }
                report.differences.append(Difference(
                    table: RewardBalances.table, row: "partnership \(partnership.uuidString.lowercased()), \(state.rawValue)",
                    stored: "\(have.rewards) rewards, \(have.amount)", recomputed: "\(want.rewards) rewards, \(want.amount)"
                ))
            }
        }
    }

    static func checkWithdrawalCounts(into report: inout Report, on sql: any SQLDatabase) async throws {
        struct Row: Decodable { let id: UUID; let reward_count: Int64; let held: Int64 }
        for row in try await sql.raw("""
            SELECT w.id, w.reward_count, CAST((SELECT COUNT(*) FROM rewards r WHERE r.withdrawal_id = w.id) AS BIGINT) AS held
            FROM withdrawals w ORDER BY w.id
            """).all(decoding: Row.self) where row.reward_count != row.held {
            report.differences.append(Difference(
                table: "withdrawals", row: "withdrawal \(row.id.uuidString.lowercased())",
                stored: "\(row.reward_count) rewards", recomputed: "\(row.held) rewards"
            ))
        }
    }

    static func describe(_ figures: PartnershipDaily.Figures?) -> String {
        guard let f = figures else { return "no row" }
        return "signups \(f.signups), paying \(f.payingCustomers), payments \(f.payments), gross \(f.gross), net \(f.net), "
            + "rewards paid \(f.rewardsPaid), not yet paid \(f.rewardsPending)"
    }
}
