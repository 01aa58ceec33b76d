import FluentKit
import Foundation
import SQLKit

/// The recent-activity feed: clicks summarised per day, signups, payments, rewards, withdrawals.
public enum ActivityQueries {
    public struct Item: Sendable {
        public enum Kind: String, Sendable { case clicks, signup, payment, reward, withdrawal }
        public let kind: Kind
        public let at: Date
        public let partnershipID: UUID?
        /// Count for clicks; minor units for money.
        public let amount: Int64
        public let currency: String?
        public let detail: String
    }

    struct ClickDay: Decodable {
        let partnership_id: UUID
        let day: String
        let total: Int64?
    }

    /// The newest items of the partnerships (and, with an account, its withdrawals). Each
    /// partnership is read on its own so every query walks a (partnership, time) index
    /// backwards and stops after `limit` rows, however busy the partnership is.
    public static func recent(accountID: UUID?, partnershipIDs: [UUID], limit: Int = 15, on db: any Database) async throws -> [Item] {
        guard !partnershipIDs.isEmpty else { return [] }
        let sql = db as! any SQLDatabase
        var items: [Item] = []
        let ids: [any Encodable & Sendable] = partnershipIDs
        let days = try await sql.raw("""
            SELECT partnership_id, day, CAST(SUM(unique_clicks) AS BIGINT) AS total FROM click_daily
            WHERE partnership_id IN (\(binds: ids)) GROUP BY partnership_id, day ORDER BY day DESC LIMIT \(literal: limit)
            """).all(decoding: ClickDay.self)
        for day in days {
            guard let date = try? Date("\(day.day)T23:59:59Z", strategy: .iso8601), let total = day.total, total > 0 else { continue }
            items.append(Item(kind: .clicks, at: date, partnershipID: day.partnership_id, amount: total, currency: nil, detail: ""))
        }
        for id in partnershipIDs {
            for customer in try await Customer.query(on: db).filter(\.$partnership.$id == id).sort(\.$signedUpAt, .descending).limit(limit).all() {
                items.append(Item(kind: .signup, at: customer.signedUpAt, partnershipID: id, amount: 0, currency: nil, detail: customer.name ?? ""))
            }
            for payment in try await SaleTransaction.query(on: db).filter(\.$partnership.$id == id).sort(\.$occurredAt, .descending).limit(limit).all() {
                items.append(Item(kind: .payment, at: payment.occurredAt, partnershipID: id, amount: payment.amount - payment.refundedAmount, currency: payment.currency, detail: ""))
            }
            for reward in try await Reward.query(on: db).filter(\.$partnership.$id == id).sort(\.$createdAt, .descending).limit(limit).all() {
                items.append(Item(kind: .reward, at: reward.createdAt, partnershipID: id, amount: reward.amount, currency: reward.currencyCode, detail: reward.state.label.lowercased()))
            }
        }
        if let accountID {
            for withdrawal in try await Withdrawal.query(on: db).filter(\.$partnerAccount.$id == accountID).sort(\.$requestedAt, .descending).limit(limit).all() {
                items.append(Item(kind: .withdrawal, at: withdrawal.requestedAt, partnershipID: nil, amount: withdrawal.amount, currency: withdrawal.currencyCode, detail: withdrawal.state.label.lowercased()))
            }
        }
        return Array(items.sorted { $0.at > $1.at }.prefix(limit))
    }
}
