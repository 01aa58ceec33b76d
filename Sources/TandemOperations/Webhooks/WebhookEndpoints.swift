import FluentKit
import Foundation
import TandemDomain
import TandemIntegrations
import TandemStore

/// A company's webhooks and a partner account's postbacks: the same endpoints, the same
/// rules. Every function is scoped to its owner: another owner's endpoint is "not found".
public enum WebhookEndpoints {
    public static let maxURL = 2000
    public static let maxDescription = 200

    public struct Created: Sendable {
        public let endpoint: WebhookEndpoint
        /// `whsec_…`, shown once.
        public let secret: String
    }

    /// Checks and stores a new endpoint; its secret is returned once and never again.
    public static func create(
        owner: WebhookOwner, url rawURL: String?, description rawDescription: String?, events rawEvents: [String]?,
        policy: OutboundPolicy, now: Date, on db: any Database
    ) async throws -> Created {
        let url = (rawURL ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !url.isEmpty else { throw OperationError.missing(field: "url", message: "Enter the URL that receives the events.") }
        guard url.count <= maxURL else { throw OperationError.invalid(field: "url", message: "A URL is at most \(maxURL) characters.") }
        guard !TextRules.hasControlCharacter(url, allowingLineBreaks: false) else {
            throw OperationError.invalid(field: "url", message: "The URL may not contain control characters.")
        }
        if case .failure(let refusal) = policy.check(url) { throw OperationError.invalid(field: "url", message: refusal.description) }
        let description = rawDescription?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty
        guard (description?.count ?? 0) <= maxDescription else {
            throw OperationError.invalid(field: "description", message: "A description is at most \(maxDescription) characters.")
        }
        // Line breaks are allowed, as in every description (the document says so for all of them).
        if let description, TextRules.hasControlCharacter(description, allowingLineBreaks: true) {
            throw OperationError.invalid(field: "description", message: "The description may not contain control characters.")
        }
        let events = try parseEvents(rawEvents)
        let secret = WebhookSignature.secret(fromToken: db.identifiers.token(32))
        let endpoint = WebhookEndpoint(owner: owner, url: url, description: description, events: events, secret: try db.sealedSecret(secret), now: now)
        try await db.transaction { db in
            // Counted in the transaction that adds one; a race past the limit by one is harmless.
            guard try await WebhookReads.endpoints(of: owner, on: db).count < owner.endpointLimit else {
                throw OperationError.conflict(code: "too_many_endpoints", message: "At most \(owner.endpointLimit) endpoints; delete one first.")
            }
            try await endpoint.create(on: db)
        }
        return Created(endpoint: endpoint, secret: secret)
    }

    /// Event names as sent: absent or empty is refused (say which to send); unknown ones are named.
    static func parseEvents(_ raw: [String]?) throws -> [WebhookEventType] {
        guard let raw, !raw.isEmpty else {
            throw OperationError.missing(field: "events", message: "Choose at least one event to send.")
        }
        guard raw.count <= 50 else { throw OperationError.invalid(field: "events", message: "Name each event once: at most 50.") }
        var events: [WebhookEventType] = []
        for name in raw {
            guard let event = WebhookEventType(rawValue: name), event != .test else {
                throw OperationError.invalid(field: "events", message: "`\(name.prefix(60))` is not an event; choose from \(WebhookEventType.subscribable.map(\.rawValue).joined(separator: ", ")).")
            }
            if !events.contains(event) { events.append(event) }
        }
        return WebhookEventType.subscribable.filter(events.contains)
    }

    public static func find(owner: WebhookOwner, id: UUID, on db: any Database) async throws -> WebhookEndpoint {
        guard let endpoint = try await WebhookReads.endpoint(id, of: owner, on: db) else { throw OperationError.notFound(what: "endpoint") }
        return endpoint
    }

    /// Deletes the endpoint with its deliveries and their log.
    public static func delete(owner: WebhookOwner, id: UUID, on db: any Database) async throws {
        let endpoint = try await find(owner: owner, id: id, on: db)
        try await db.transaction { db in try await WebhookReads.deleteEndpoint(try endpoint.requireID(), on: db) }
    }

    /// A new secret; the old one goes on signing beside it for 24 hours.
    public static func rotateSecret(owner: WebhookOwner, id: UUID, now: Date, on db: any Database) async throws -> Created {
        let endpoint = try await find(owner: owner, id: id, on: db)
        let secret = WebhookSignature.secret(fromToken: db.identifiers.token(32))
        endpoint.previousSecret = endpoint.secret
        endpoint.previousSecretUntil = now.addingTimeInterval(86_400)
        endpoint.secret = try db.sealedSecret(secret)
        try await endpoint.save(on: db)
        return Created(endpoint: endpoint, secret: secret)
    }

    /// Turns a disabled endpoint back on, its run of failures forgotten.
    public static func enable(owner: WebhookOwner, id: UUID, on db: any Database) async throws -> WebhookEndpoint {
        let endpoint = try await find(owner: owner, id: id, on: db)
        endpoint.enabled = true
        endpoint.disabledReason = nil
        endpoint.consecutiveFailures = 0
        endpoint.failingSince = nil
        try await endpoint.save(on: db)
        return endpoint
    }

    /// Queues a `webhook.test` event for this endpoint (the "send test event" button).
    public static func sendTest(owner: WebhookOwner, id: UUID, now: Date, on db: any Database) async throws -> WebhookDelivery {
        let endpoint = try await find(owner: owner, id: id, on: db)
        return try await WebhookDispatch.test(endpoint: endpoint, now: now, on: db)
    }

    /// Queues the event of a past delivery again, to the same endpoint; the new delivery and its event's type.
    public static func redeliver(owner: WebhookOwner, endpointID: UUID, deliveryID: UUID, now: Date, on db: any Database) async throws -> (WebhookDelivery, String) {
        let endpoint = try await find(owner: owner, id: endpointID, on: db)
        guard let delivery = try await WebhookReads.delivery(deliveryID, endpointID: try endpoint.requireID(), on: db) else {
            throw OperationError.notFound(what: "delivery")
        }
        let type = try await WebhookEvent.find(delivery.$event.id, on: db)?.type ?? ""
        return (try await WebhookDispatch.redeliver(eventID: delivery.$event.id, endpointID: try endpoint.requireID(), now: now, on: db), type)
    }
}
