import FluentKit
import Foundation
import TandemDomain
import TandemIntegrations
import TandemOperations
import TandemStore

/// Sends a withdrawal through its provider. The idempotency key is derived from the
/// withdrawal, so a retry after a crash — between "processing" and the provider's
/// answer — asks the provider for the same payout again and never pays twice.
public struct SendPayoutJob: JobHandler {
    public static let kind = PayoutJobs.send
    public var kind: String { Self.kind }

    let providers: [String: any PayoutProvider]

    public init(providers: [any PayoutProvider]) {
        self.providers = Dictionary(providers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public static func idempotencyKey(_ withdrawalID: UUID) -> String {
        "tandem-withdrawal-" + withdrawalID.uuidString.lowercased()
    }

    public func run(payload: String, context: JobContext) async throws {
        let id = try context.decode(PayoutJobs.Payload.self, from: payload).withdrawalID
        let db = context.store.db
        guard let withdrawal = try await Withdrawal.find(id, on: db) else { return }
        guard withdrawal.status == .requested || withdrawal.status == .processing else { return }
        guard let provider = providers[withdrawal.provider] else {
            throw PayoutConfigurationMissing(provider: withdrawal.provider)
        }
        if withdrawal.status == .requested {
            try await db.transaction { db in
                try await WithdrawalLedger.markProcessing(id, reference: nil, actor: "system", now: context.now(), on: db)
            }
        }
        let currency = Currency(code: withdrawal.currency)
        let recipient: PayoutRecipient = withdrawal.provider == "paypal" ? .paypal(email: withdrawal.recipient) : .stripe(account: withdrawal.recipient)
        let outcome = try await provider.send(PayoutRequest(
            withdrawalID: id, amount: withdrawal.amount, currency: withdrawal.currency, minorUnits: currency?.minorUnits ?? 2,
            recipient: recipient, idempotencyKey: Self.idempotencyKey(id), note: "Tandem partner payout"
        ))
        try await PayoutOutcomes.apply(outcome, to: id, context: context)
    }
}

/// Asks the provider again about a payout it accepted but had not finished.
public struct PollPayoutJob: JobHandler {
    public static let kind = PayoutJobs.poll
    public var kind: String { Self.kind }
    static let interval: TimeInterval = 5 * 60

    let providers: [String: any PayoutProvider]

    public init(providers: [any PayoutProvider]) {
        self.providers = Dictionary(providers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public func run(payload: String, context: JobContext) async throws {
        let id = try context.decode(PayoutJobs.Payload.self, from: payload).withdrawalID
        guard let withdrawal = try await Withdrawal.find(id, on: context.store.db), withdrawal.status == .processing,
              let reference = withdrawal.providerReference else { return }
        guard let provider = providers[withdrawal.provider] else { throw PayoutConfigurationMissing(provider: withdrawal.provider) }
        try await PayoutOutcomes.apply(try await provider.status(reference: reference), to: id, context: context)
    }
}

enum PayoutOutcomes {
    static func apply(_ outcome: PayoutOutcome, to id: UUID, context: JobContext) async throws {
        let now = context.now()
        try await context.store.db.transaction { db in
            switch outcome {
            case .paid(let reference):
                try await WithdrawalLedger.markPaid(id, reference: reference, actor: "system", now: now, on: db)
            case .failed(let reason):
                try await WithdrawalLedger.markFailed(id, reason: reason, actor: "system", now: now, on: db)
            case .processing(let reference):
                try await Withdrawal.query(on: db).filter(\.$id == id).set(\.$providerReference, to: reference).update()
                try await JobQueue.enqueue(PollPayoutJob.kind, payload: PayoutJobs.Payload(withdrawalID: id),
                                           runAt: now.addingTimeInterval(PollPayoutJob.interval), now: now, on: db)
            }
        }
    }
}

struct PayoutConfigurationMissing: Error, CustomStringConvertible {
    let provider: String
    var description: String { "No \(provider) credentials are configured on this node; the payout waits for a node that has them." }
}
