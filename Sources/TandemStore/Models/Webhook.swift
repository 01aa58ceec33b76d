import FluentKit
import Foundation
import TandemDomain

/// Where a company's webhooks or a partner account's postbacks go: exactly one of
/// `company_id` and `partner_account_id` is set.
public final class WebhookEndpoint: Model, @unchecked Sendable {
    public static let schema = "webhook_endpoints"

    @ID(key: .id) public var id: UUID?
    @OptionalField(key: "company_id") public var companyID: UUID?
    @OptionalField(key: "partner_account_id") public var partnerAccountID: UUID?
    @Field(key: "url") public var url: String
    @OptionalField(key: "description") public var description: String?
    /// The subscribed event types, comma-separated.
    @Field(key: "events") public var eventList: String
    /// `whsec_…`, sealed (`SecretSeal`): HMAC needs the secret itself, so it cannot be stored as
    /// a hash. It is shown once and never rendered again.
    @Field(key: "secret") public var secret: String
    /// After a rotation the old secret also signs, for 24 hours, so receivers can switch over.
    @OptionalField(key: "previous_secret") public var previousSecret: String?
    @OptionalField(key: "previous_secret_until") public var previousSecretUntil: Date?
    @Field(key: "enabled") public var enabled: Bool
    @OptionalField(key: "disabled_reason") public var disabledReason: String?
    @Field(key: "consecutive_failures") public var consecutiveFailures: Int
    @OptionalField(key: "failing_since") public var failingSince: Date?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(owner: WebhookOwner, url: String, description: String?, events: [WebhookEventType], secret: String, now: Date) {
        switch owner {
        case .company(let id): companyID = id
        case .partnerAccount(let id): partnerAccountID = id
        }
        self.url = url
        self.description = description
        self.eventList = events.map(\.rawValue).joined(separator: ",")
        self.secret = secret
        self.enabled = true
        self.consecutiveFailures = 0
        self.createdAt = now
    }

    public var owner: WebhookOwner? {
        if let companyID { return .company(companyID) }
        if let partnerAccountID { return .partnerAccount(partnerAccountID) }
        return nil
    }

    public var events: [WebhookEventType] { eventList.split(separator: ",").compactMap { WebhookEventType(rawValue: String($0)) } }

    /// The secrets that sign a request sent at `now`, opened: the current one, and the previous
    /// one while its 24 hours after a rotation last.
    public func signingSecrets(now: Date, seal: SecretSeal?) throws -> [String] {
        let stored = if let previousSecret, let until = previousSecretUntil, until > now { [secret, previousSecret] } else { [secret] }
        guard let seal else { return stored }
        return try stored.map(seal.open)
    }
}

/// One event in the outbox, written in the transaction of the change it tells of. `body` is
/// the whole request body (`{"type", "timestamp", "data"}`) as a vendor's webhook receives it;
/// `partner_body`, when set, is what a partner's postback receives instead (a customer's email
/// masked). `sequence` orders events across nodes well enough to deliver them in order.
public final class WebhookEvent: Model, @unchecked Sendable {
    public static let schema = "webhook_events"

    @ID(key: .id) public var id: UUID?
    @Field(key: "sequence") public var sequence: Int64
    @Field(key: "type") public var type: String
    @OptionalField(key: "company_id") public var companyID: UUID?
    /// Set when the event belongs to one partner account's partnership (postbacks see only these).
    @OptionalField(key: "partner_account_id") public var partnerAccountID: UUID?
    @Field(key: "body") public var body: String
    @OptionalField(key: "partner_body") public var partnerBody: String?
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "dispatched_at") public var dispatchedAt: Date?

    public init() {}
}

/// An event on its way to one endpoint: retried with backoff until it succeeds or three days pass.
public final class WebhookDelivery: Model, @unchecked Sendable {
    public static let schema = "webhook_deliveries"

    public enum Status: String, Codable, Sendable {
        case pending, succeeded, failed
    }

    @ID(key: .id) public var id: UUID?
    @Parent(key: "endpoint_id") public var endpoint: WebhookEndpoint
    @Parent(key: "event_id") public var event: WebhookEvent
    @Field(key: "sequence") public var sequence: Int64
    @Enum(key: "status") public var status: Status
    @Field(key: "attempts") public var attempts: Int
    /// When it is next due; while an attempt is in flight, the end of that attempt's lease.
    @OptionalField(key: "next_attempt_at") public var nextAttemptAt: Date?
    @OptionalField(key: "first_attempt_at") public var firstAttemptAt: Date?
    @OptionalField(key: "last_attempt_at") public var lastAttemptAt: Date?
    @OptionalField(key: "response_status") public var responseStatus: Int?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(endpointID: UUID, eventID: UUID, sequence: Int64, now: Date) {
        self.$endpoint.id = endpointID
        self.$event.id = eventID
        self.sequence = sequence
        self.status = .pending
        self.attempts = 0
        self.nextAttemptAt = now
        self.createdAt = now
    }
}

/// One try of a delivery: what the endpoint answered (its first 2 KB) or why nothing came back.
public final class WebhookAttempt: Model, @unchecked Sendable {
    public static let schema = "webhook_attempts"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "delivery_id") public var delivery: WebhookDelivery
    @Field(key: "attempted_at") public var attemptedAt: Date
    @OptionalField(key: "response_status") public var responseStatus: Int?
    @Field(key: "latency_ms") public var latencyMS: Int
    @OptionalField(key: "response_body") public var responseBody: String?
    @OptionalField(key: "error") public var error: String?

    public init() {}
}
