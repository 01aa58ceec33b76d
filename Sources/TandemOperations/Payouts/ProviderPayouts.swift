import FluentKit
import Foundation
import TandemDomain
import TandemIntegrations
import TandemStore

/// Paying a withdrawal through its provider (PayPal Payouts, Stripe transfers) and applying
/// the provider's answer: paid, failed (the rewards return to available), or still
/// processing (asked again later). The payout jobs call these; the idempotency key is derived
/// from the withdrawal, so a retry after a crash asks for the same payout and never pays twice.
public enum ProviderPayouts {
    static let actor = Actor.system("system")
    /// How long a processing payout waits before the provider is asked again.
    public static let pollInterval: TimeInterval = 5 * 60

    public static func idempotencyKey(_ withdrawalID: UUID) -> String {
        "tandem-withdrawal-" + withdrawalID.uuidString.lowercased()
    }

    /// No credentials for the withdrawal's provider on this node: the job fails and is retried,
    /// perhaps by a node that has them.
    public struct ConfigurationMissing: Error, CustomStringConvertible {
        public let provider: String
        public var description: String { "No \(provider) credentials are configured on this node; the payout waits for a node that has them." }
    }

    /// requested → processing, then hands the payout to the provider and applies its answer.
    public static func send(withdrawalID id: UUID, providers: [String: any PayoutProvider], now: @Sendable () -> Date, on db: any Database) async throws {
        guard let withdrawal = try await Withdrawal.find(id, on: db) else { return }
        guard withdrawal.status == .requested || withdrawal.status == .processing else { return }
        guard let provider = providers[withdrawal.provider.rawValue] else { throw ConfigurationMissing(provider: withdrawal.provider.rawValue) }
        if withdrawal.status == .requested {
            let at = now()
            try await db.transaction { db in
                try await WithdrawalLedger.markProcessing(id, reference: nil, actor: actor.recorded, now: at, on: db)
            }
        }
        let outcome = try await provider.send(try payoutRequest(withdrawal))
        try await apply(outcome, to: id, now: now(), on: db)
    }

    /// The same request on every attempt: the idempotency key comes from the withdrawal.
    static func payoutRequest(_ withdrawal: Withdrawal) throws -> PayoutRequest {
        let id = try withdrawal.requireID()
        let recipient: PayoutRecipient = withdrawal.provider == .paypal ? .paypal(email: withdrawal.recipient) : .stripe(account: withdrawal.recipient)
        return PayoutRequest(
            withdrawalID: id, amount: withdrawal.amount, currency: withdrawal.currency.code, minorUnits: withdrawal.currency.minorUnits,
            recipient: recipient, idempotencyKey: idempotencyKey(id), note: "Tandem partner payout"
        )
    }

    /// The last attempt to send failed too (the provider answered 5xx, timed out, or was
    /// unreachable every time). A withdrawal never handed to a provider fails at once: no money
    /// moved. One that was handed over is settled by asking the provider whether the payout
    /// happened: paid if it did, failed (the rewards available again) only when the provider
    /// confirms it did not. Returns false when nobody can tell — the withdrawal stays
    /// `processing` for a person to look at, because failing it could pay the partner twice.
    public static func giveUp(
        withdrawalID id: UUID, after error: any Error, attempts: Int, providers: [String: any PayoutProvider],
        now: @Sendable () -> Date, on db: any Database
    ) async throws -> Bool {
        guard let withdrawal = try await Withdrawal.find(id, on: db) else { return true }
        let last = String(String(describing: error).prefix(300))
        switch withdrawal.status {
        case .requested:
            try await apply(.failed(reason: "The payout could not be sent after \(attempts) attempts (\(last)). Nothing was paid; the rewards are available again."),
                            to: id, now: now(), on: db)
            return true
        case .processing where withdrawal.providerReference == nil:
            guard let provider = providers[withdrawal.provider.rawValue],
                  let settled = try await provider.settle(try payoutRequest(withdrawal)) else { return false }
            if case .failed(let answer) = settled {
                try await apply(.failed(reason: "\(withdrawal.provider.label) did not take the payout after \(attempts) attempts (last: \(last)). \(answer) Nothing was paid; the rewards are available again."),
                                to: id, now: now(), on: db)
            } else {
                try await apply(settled, to: id, now: now(), on: db)
            }
            return true
        default:
            return true
        }
    }

    /// Asks the provider again about a payout it accepted but had not finished.
    public static func poll(withdrawalID id: UUID, providers: [String: any PayoutProvider], now: @Sendable () -> Date, on db: any Database) async throws {
        guard let withdrawal = try await Withdrawal.find(id, on: db), withdrawal.status == .processing,
              let reference = withdrawal.providerReference else { return }
        guard let provider = providers[withdrawal.provider.rawValue] else { throw ConfigurationMissing(provider: withdrawal.provider.rawValue) }
        try await apply(try await provider.status(reference: reference), to: id, now: now(), on: db)
    }

    /// The provider's answer, in one transaction.
    static func apply(_ outcome: PayoutOutcome, to id: UUID, now: Date, on db: any Database) async throws {
        try await db.transaction { db in
            switch outcome {
            case .paid(let reference):
                try await WithdrawalLedger.markPaid(id, reference: reference, actor: actor.recorded, now: now, on: db)
            case .failed(let reason):
                try await WithdrawalLedger.markFailed(id, reason: reason, actor: actor.recorded, now: now, on: db)
            case .processing(let reference):
                try await Withdrawal.query(on: db).filter(\.$id == id).set(\.$providerReference, to: reference).update()
                try await JobQueue.enqueue(PayoutJobs.poll, payload: PayoutJobs.Payload(withdrawalID: id),
                                           runAt: now.addingTimeInterval(pollInterval), now: now, on: db)
            }
        }
    }
}
