import Foundation
import SQLKit
import TandemDomain

/// A partner account's money in one currency, by status.
public struct Balance: Sendable, Equatable {
    public let currency: String
    /// In their hold period or awaiting approval.
    public var pending: Int64 = 0
    /// Held by the vendor for review.
    public var held: Int64 = 0
    /// Free to withdraw (clawbacks included, so it can be negative).
    public var available: Int64 = 0
    /// Taken by a withdrawal that is requested or processing.
    public var inWithdrawal: Int64 = 0
    /// Cashed out.
    public var paid: Int64 = 0
    public var declined: Int64 = 0

    public init(currency: String) { self.currency = currency }

    /// The seeds' "Pending": waiting for approval or to be made available, or available but not yet paid.
    public var notYetPaid: Int64 { (try? [pending, held, available, inWithdrawal].checkedSum()) ?? .max }
}

public enum Balances {
    struct Row: Decodable {
        let currency: String
        let status: String
        let claimed: Int
        let total: Int64?
    }

    struct Membership: Decodable {
        let id: UUID
        let currency: String
    }

    /// Balances per currency for a partner account. Paid rewards,
    /// most of a mature account's, are summed from the daily rollup; the rewards still moving
    /// (pending, held, available, in a withdrawal) and the declined ones are read from the
    /// ledger through its (partnership, status) index.
    public static func of(accountID: UUID, on sql: any SQLDatabase) async throws -> [Balance] {
        let memberships = try await sql.raw("""
            SELECT p.id, g.currency FROM partnerships p JOIN programs g ON g.id = p.program_id
            WHERE p.partner_account_id = \(bind: accountID)
            """).all(decoding: Membership.self)
        guard !memberships.isEmpty else { return [] }
        let ids: [any Encodable & Sendable] = memberships.map(\.id)
        let moving: [any Encodable & Sendable] = [RewardStatus.pending, .held, .available, .declined].map(\.rawValue)
        let rows = try await sql.raw("""
            SELECT r.currency, r.status, CASE WHEN r.withdrawal_id IS NULL THEN 0 ELSE 1 END AS claimed, CAST(SUM(r.amount) AS BIGINT) AS total
            FROM rewards r
            WHERE r.partnership_id IN (\(binds: ids)) AND r.status IN (\(binds: moving))
            GROUP BY r.currency, r.status, CASE WHEN r.withdrawal_id IS NULL THEN 0 ELSE 1 END
            """).all(decoding: Row.self)
        var byCurrency: [String: Balance] = [:]
        for row in rows {
            var balance = byCurrency[row.currency] ?? Balance(currency: row.currency)
            let total = row.total ?? 0
            switch row.status {
            case "pending": balance.pending = try balance.pending.addingChecked(total)
            case "held": balance.held = try balance.held.addingChecked(total)
            case "available":
                if row.claimed == 1 { balance.inWithdrawal = try balance.inWithdrawal.addingChecked(total) } else { balance.available = try balance.available.addingChecked(total) }
            case "declined": balance.declined = try balance.declined.addingChecked(total)
            default: break
            }
            byCurrency[row.currency] = balance
        }
        let currencies = Dictionary(memberships.map { ($0.id, $0.currency) }, uniquingKeysWith: { a, _ in a })
        for (id, figures) in try await PartnershipDaily.totals(partnershipIDs: memberships.map(\.id), on: sql) where figures.rewardsPaid != 0 {
            guard let currency = currencies[id] else { continue }
            var balance = byCurrency[currency] ?? Balance(currency: currency)
            balance.paid = try balance.paid.addingChecked(figures.rewardsPaid)
            byCurrency[currency] = balance
        }
        return byCurrency.values.sorted { $0.currency < $1.currency }
    }
}
