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
    struct Membership: Decodable {
        let id: UUID
        let currency: String
    }

    /// Balances per currency for a partner account, read from the per-partnership balances
    /// (`RewardBalances`): a few rows however many rewards the account has.
    public static func of(accountID: UUID, on sql: any SQLDatabase) async throws -> [Balance] {
        let memberships = try await sql.raw("""
            SELECT p.id, g.currency FROM partnerships p JOIN programs g ON g.id = p.program_id
            WHERE p.partner_account_id = \(bind: accountID)
            """).all(decoding: Membership.self)
        guard !memberships.isEmpty else { return [] }
        let currencies = Dictionary(memberships.map { ($0.id, $0.currency) }, uniquingKeysWith: { a, _ in a })
        var byCurrency: [String: Balance] = [:]
        for (partnershipID, states) in try await RewardBalances.of(partnershipIDs: memberships.map(\.id), on: sql) {
            guard let currency = currencies[partnershipID] else { continue }
            var balance = byCurrency[currency] ?? Balance(currency: currency)
            for (state, tally) in states {
                switch state {
                case .pending: balance.pending = try balance.pending.addingChecked(tally.amount)
                case .held: balance.held = try balance.held.addingChecked(tally.amount)
                case .available: balance.available = try balance.available.addingChecked(tally.amount)
                case .inWithdrawal: balance.inWithdrawal = try balance.inWithdrawal.addingChecked(tally.amount)
                case .paid: balance.paid = try balance.paid.addingChecked(tally.amount)
                case .declined: balance.declined = try balance.declined.addingChecked(tally.amount)
                }
            }
            byCurrency[currency] = balance
        }
        return byCurrency.values.sorted { $0.currency < $1.currency }
    }
}
