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
        try await ProviderPayouts.send(withdrawalID: id, providers: providers, now: context.now, on: context.store.db)
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
