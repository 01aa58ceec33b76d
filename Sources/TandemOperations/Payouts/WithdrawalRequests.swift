import FluentKit
import Foundation
import TandemDomain
import TandemStore

/// A partner withdraws the whole available balance of one currency: claim the rewards and
/// (for a provider Tandem pays through) enqueue the payout job, in one transaction. The API's
/// `POST /partner/withdrawals` and the page's Withdraw button both call this.
public enum WithdrawalRequests {
    /// `liveProviders`: the providers configured with credentials. A partner's method on any
    /// other provider is paid by hand: the withdrawal is `manual` and the vendor marks it paid.
    public static func request(
        accountID: UUID, currency: Currency, liveProviders: Set<String>, programIDs: [UUID]? = nil, actor: Actor, now: Date, on db: any Database
    ) async throws -> Withdrawal {
        do {
            return try await db.transaction { db in
                guard let method = try await PayoutMethod.query(on: db).filter(\.$partnerAccount.$id == accountID).first() else {
                    throw WithdrawalLedger.Failure.noPayoutMethod
                }
                let live = liveProviders.contains(method.provider.rawValue)
                let withdrawal = try await WithdrawalLedger.request(
                    accountID: accountID, currency: currency, provider: live ? method.provider : .manual,
                    recipient: live ? method.recipient : "\(method.provider.rawValue):\(method.recipient)", programIDs: programIDs,
                    actor: actor.recorded, now: now, on: db
                )
                if live {
                    try await PayoutJobs.enqueueSend(withdrawalID: withdrawal.requireID(), now: now, on: db)
                }
                return withdrawal
            }
        } catch let failure as WithdrawalLedger.Failure {
            throw refusal(failure, currency: currency)
        }
    }

    /// Why a withdrawal was refused, in words a partner understands.
    static func refusal(_ failure: WithdrawalLedger.Failure, currency: Currency) -> OperationError {
        func money(_ amount: Int64) -> String { Money(amount: amount, currency: currency).formatted }
        switch failure {
        case .noPayoutMethod:
            return .conflict(code: "no_payout_method", message: "Choose a payout provider (PayPal or Stripe) before withdrawing.")
        case .nothingAvailable:
            return .conflict(code: "nothing_available", message: "Nothing is available to withdraw in \(currency.code) yet.")
        case .negativeBalance(let total):
            return .conflict(code: "negative_balance", message: "Your \(currency.code) balance is \(money(total)) after clawbacks; new rewards must cover it before you can withdraw.")
        case .belowMinimum(let minimum, let available):
            return .conflict(code: "below_minimum", message: "You have \(money(available)) available; the minimum withdrawal is \(money(minimum)).")
        case .conflict:
            return .conflict(code: "balance_changed", message: "Your balance changed while the withdrawal was being made; nothing was withdrawn. Try again.")
        case .notFound, .notAllowed:
            return .conflict(code: "invalid_withdrawal", message: "This withdrawal cannot be made.")
        }
    }
}

/// The payout jobs' kinds and payload: written by the workflows, run by `TandemJobs`.
public enum PayoutJobs {
    public static let send = "send_payout"
    public static let poll = "poll_payout"

    public struct Payload: Codable, Sendable {
        public let withdrawalID: UUID
        public init(withdrawalID: UUID) { self.withdrawalID = withdrawalID }
        enum CodingKeys: String, CodingKey { case withdrawalID = "withdrawal_id" }
    }

    static func enqueueSend(withdrawalID: UUID, now: Date, on db: any Database) async throws {
        try await JobQueue.enqueue(send, payload: Payload(withdrawalID: withdrawalID), runAt: now, maxAttempts: 12, now: now, on: db)
    }
}
