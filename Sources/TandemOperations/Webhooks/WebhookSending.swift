import FluentKit
import Foundation
import TandemDomain
import TandemIntegrations
import TandemStore

/// One pass of the webhook engine: fan new events out to their endpoints, then send what is
/// due, each endpoint's deliveries in event order and endpoints side by side. Safe on every
/// node at once (the claims are conditional UPDATEs); delivery is at least once.
public enum WebhookSending {
    /// How many endpoints are sent to at the same time in one pass.
    public static let parallelEndpoints = 8

    /// Deliveries claimed at a time; a pass goes on claiming while batches come back full,
    /// for at most `budget`, so a backlog drains at the receivers' pace rather than one batch a pass.
    public static let batchSize = 200
    /// Events fanned out at a time.
    public static let fanOutSize = 500

    public static func runOnce(
        transport: any WebhookTransport, now: @escaping @Sendable () -> Date, jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        budget: Duration = .seconds(5), on db: any Database
    ) async throws -> Int {
        let started = ContinuousClock.now
        var sent = 0
        while true {
            // The outbox is drained as fast as events come, even when nobody listens (then they are deleted).
            let fannedOut = try await WebhookDispatch.fanOut(now: now(), limit: fanOutSize, on: db)
            let due = try await WebhookDispatch.claimDue(now: now(), limit: batchSize, on: db)
            if !due.isEmpty {
                let results = await send(due, transport: transport, now: now, jitter: jitter)
                let disabled = try await db.transaction { db in try await WebhookDispatch.record(results, on: db) }
                for endpoint in disabled {
                    try await db.transaction { db in try await tellOwner(endpoint, now: now(), on: db) }
                }
                sent += due.count
            }
            let more = due.count == batchSize || fannedOut == fanOutSize
            if !more || ContinuousClock.now - started > budget || Task.isCancelled { break }
        }
        return sent
    }

    /// Sends a batch: each endpoint's deliveries one after another in event order, endpoints side by side.
    static func send(
        _ due: [WebhookDispatch.Due], transport: any WebhookTransport, now: @escaping @Sendable () -> Date, jitter: @escaping @Sendable () -> Double
    ) async -> [WebhookDispatch.Result] {
        let byEndpoint = Dictionary(grouping: due, by: \.endpointID).values.map { $0.sorted { $0.sequence < $1.sequence } }
        return await withTaskGroup(of: [WebhookDispatch.Result].self) { group in
            var running = 0
            var results: [WebhookDispatch.Result] = []
            for deliveries in byEndpoint {
                if running == parallelEndpoints, let done = await group.next() { results += done; running -= 1 }
                group.addTask {
                    var done: [WebhookDispatch.Result] = []
                    for item in deliveries { done.append(await send(item, transport: transport, now: now, jitter: jitter)) }
                    return done
                }
                running += 1
            }
            for await done in group { results += done }
            return results
        }
    }

    /// Signs and sends one delivery; what came of it, to record.
    static func send(
        _ due: WebhookDispatch.Due, transport: any WebhookTransport, now: @Sendable () -> Date, jitter: @Sendable () -> Double
    ) async -> WebhookDispatch.Result {
        let outcome: WebhookDispatch.Outcome
        if let reason = due.cannotSign {
            // Unsigned, a receiver would rightly refuse it: it fails here, with the reason in the log.
            outcome = WebhookDispatch.Outcome(status: nil, body: nil, error: reason, latencyMS: 0, succeeded: false)
        } else {
            outcome = await signAndSend(due, at: now(), transport: transport)
        }
        let finished = now()
        let retryAt = outcome.succeeded ? nil
            : WebhookRetry.nextAttempt(afterAttempts: due.attempt, firstAttempt: due.firstAttemptAt, now: finished, jitter: jitter())
        return WebhookDispatch.Result(due: due, outcome: outcome, retryAt: retryAt, at: finished)
    }

    /// The request Standard Webhooks describes, signed with the endpoint's secrets, and its answer.
    private static func signAndSend(_ due: WebhookDispatch.Due, at sentAt: Date, transport: any WebhookTransport) async -> WebhookDispatch.Outcome {
        let timestamp = Int(sentAt.timeIntervalSince1970)
        let id = "msg_" + due.eventID.uuidString.lowercased()
        let request = WebhookRequest(url: due.url, headers: [
            ("content-type", "application/json"),
            ("user-agent", "Tandem-Webhooks/1"),
            ("webhook-id", id),
            ("webhook-timestamp", String(timestamp)),
            ("webhook-signature", WebhookSignature.header(id: id, timestamp: timestamp, body: due.body, secrets: due.secrets)),
        ], body: due.body)
        let response = await transport.send(request)
        return WebhookDispatch.Outcome(status: response.status, body: response.body, error: response.error, latencyMS: response.latencyMS, succeeded: response.succeeded)
    }

    /// Mails the people who manage the endpoint that it was disabled, and how to turn it back on.
    static func tellOwner(_ endpoint: WebhookEndpoint, now: Date, on db: any Database) async throws {
        let recipients: [String]
        let page: String
        switch endpoint.owner {
        case .company(let id):
            recipients = try await AccountQueries.emails(companyID: id, roles: [.admin], on: db)
            page = "/vendor/settings/webhooks"
        case .partnerAccount(let id):
            recipients = try await AccountQueries.emails(partnerAccountID: id, on: db)
            page = "/partner/settings/postbacks"
        case nil:
            return
        }
        for address in recipients {
            try await Outbox.send(
                to: address, subject: "Tandem stopped sending events to \(endpoint.url.prefix(80))",
                body: """
                \(endpoint.disabledReason ?? "The endpoint was disabled.")

                Endpoint: \(endpoint.url)

                Events are no longer sent to it. Fix the endpoint, then turn it back on and redeliver
                what it missed: \(db.publicURL)\(page)
                """,
                now: now, on: db
            )
        }
    }
}
