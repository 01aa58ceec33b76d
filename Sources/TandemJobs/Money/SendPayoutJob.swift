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
        ProviderPayouts.idempotencyKey(withdrawalID)
    }

    public func run(payload: String, context: JobContext) async throws {
        let id = try context.decode(PayoutJobs.Payload.self, from: payload).withdrawalID
        do {
            try await ProviderPayouts.send(withdrawalID: id, providers: providers, now: context.now, on: context.store.db)
        } catch let error where context.isLastAttempt && !(error is CancellationError) {
            // No attempt is left to retry with: the withdrawal must end paid or failed, not processing for ever.
            let settled = try await ProviderPayouts.giveUp(
                withdrawalID: id, after: error, attempts: context.attempt, providers: providers, now: context.now, on: context.store.db
            )
            if !settled { throw error }
        }
    }
}

/// Asks the provider again about a payout it accepted but had not finished.
public struct PollPayoutJob: JobHandler {
    public static let kind = PayoutJobs.poll
    public var kind: String { Self.kind }

    let providers: [String: any PayoutProvider]

    public init(providers: [any PayoutProvider]) {
        self.providers = Dictionary(providers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public func run(payload: String, context: JobContext) async throws {
        let id = try context.decode(PayoutJobs.Payload.self, from: payload).withdrawalID
        try await ProviderPayouts.poll(withdrawalID: id, providers: providers, now: context.now, on: context.store.db)
    }
}
