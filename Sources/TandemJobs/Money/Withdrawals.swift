import FluentKit
import Foundation
import TandemDomain
import TandemStore

/// Requesting a withdrawal: claim the rewards, and (for a provider Tandem pays through)
/// enqueue the payout job, in one transaction.
public enum Withdrawals {
    /// `liveProviders`: the providers configured with credentials. A partner's method on
    /// any other provider is paid by hand: the withdrawal is `manual` and the vendor marks it paid.
    public static func request(
        accountID: UUID, currency: String, liveProviders: Set<String>, actor: String, now: Date, on db: any Database
    ) async throws -> Withdrawal {
        try await db.transaction { db in
            guard let method = try await PayoutMethod.query(on: db).filter(\.$partnerAccount.$id == accountID).first() else {
                throw WithdrawalLedger.Failure.noPayoutMethod
            }
            let live = liveProviders.contains(method.provider)
            let withdrawal = try await WithdrawalLedger.request(
                accountID: accountID, currency: currency, provider: live ? method.provider : "manual",
                recipient: live ? method.recipient : "\(method.provider):\(method.recipient)", actor: actor, now: now, on: db
            )
            if live {
                try await JobQueue.enqueue(SendPayoutJob.kind, payload: PayoutJobPayload(withdrawalID: withdrawal.requireID()), runAt: now, maxAttempts: 12, now: now, on: db)
            }
            return withdrawal
        }
    }
}

struct PayoutJobPayload: Codable, Sendable {
    let withdrawalID: UUID
    enum CodingKeys: String, CodingKey { case withdrawalID = "withdrawal_id" }
}
