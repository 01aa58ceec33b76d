import FluentKit
import Foundation
import SQLKit
import TandemDomain

/// The outbox's way out: events are fanned out to the endpoints subscribed to them, and due
/// deliveries are claimed, one node each, for sending. Every step is a conditional UPDATE, so
/// any number of nodes can run it at once and each delivery is attempted by one of them.
public enum WebhookDispatch {
    /// Gives each undispatched event (oldest first) a delivery per enabled endpoint subscribed
    /// to it; an event nobody subscribes to is deleted. How many events it handled.
    @discardableResult
    public static func fanOut(now: Date, limit: Int = 500, on db: any Database) async throws -> Int {
        if try await WebhookEndpoint.query(on: db).filter(\.$enabled == true).first() == nil {
            return try await dropUnheard(limit: limit, on: db as! any SQLDatabase)
        }
        let events = try await WebhookEvent.query(on: db).filter(\.$dispatchedAt == nil).sort(\.$sequence).limit(limit).all()
        guard !events.isEmpty else { return 0 }
        let endpoints = try await endpoints(of: events, on: db)
        var targets: [UUID: [WebhookEndpoint]] = [:]
        var unheard: [UUID] = []
        for event in events {
            guard let id = event.id else { continue }
            let matching = endpoints.filter { receives($0, event) }
            if matching.isEmpty { unheard.append(id) } else { targets[id] = matching }
        }
        try await deleteUndispatched(unheard, on: db as! any SQLDatabase)
        guard !targets.isEmpty else { return events.count }
        let fannedOut = targets
        try await db.transaction { db in
            let sql = db as! any SQLDatabase
            struct Row: Decodable { let id: UUID }
            // Only what this node claims is fanned out: another node may be at the same events.
            let claimed = try await sql.update(WebhookEvent.schema).set("dispatched_at", to: now)
                .where("id", .in, Array(fannedOut.keys)).where(GuardColumn("dispatched_at"), .is, SQLLiteral.null)
                .returning("id").all(decoding: Row.self)
            let sequences = Dictionary(uniqueKeysWithValues: events.compactMap { event in event.id.map { ($0, event.sequence) } })
            var deliveries: [WebhookDelivery] = []
            for row in claimed {
                for endpoint in fannedOut[row.id] ?? [] {
                    let delivery = WebhookDelivery(endpointID: try endpoint.requireID(), eventID: row.id, sequence: sequences[row.id] ?? 0, now: now)
                    delivery.id = db.identifiers.uuid()
                    deliveries.append(delivery)
                }
            }
            // One INSERT per 200 rows, not one per delivery: under load the fan-out is most of the writes.
            for chunk in deliveries.chunked(200) { try await Array(chunk).create(on: db) }
        }
        return events.count
    }

    /// The enabled endpoints of the companies and partner accounts these events belong to.
    /// Why not every enabled endpoint: anyone can open a partner account and add endpoints,
    /// and each tick matched every one of them against every event in Swift.
    static func endpoints(of events: [WebhookEvent], on db: any Database) async throws -> [WebhookEndpoint] {
        let companies = Array(Set(events.compactMap(\.companyID))), accounts = Array(Set(events.compactMap(\.partnerAccountID)))
        guard !companies.isEmpty || !accounts.isEmpty else { return [] }
        return try await WebhookEndpoint.query(on: db).filter(\.$enabled == true).group(.or) { owner in
            if !companies.isEmpty { owner.filter(\.$companyID ~~ companies) }
            if !accounts.isEmpty { owner.filter(\.$partnerAccountID ~~ accounts) }
        }.all()
    }

    /// With no endpoint enabled nobody hears the outbox's events (an endpoint added later hears
    /// only what comes after it): they are deleted by id, bodies unread — an installation
    /// without webhooks, or the seed's hundreds of thousands of events, costs a few statements.
    static func dropUnheard(limit: Int, on sql: any SQLDatabase) async throws -> Int {
        struct Row: Decodable { let id: UUID }
        let ids = try await sql.select().column("id").from(WebhookEvent.schema)
            .where("dispatched_at", .is, SQLLiteral.null).orderBy("sequence").limit(limit)
            .all(decoding: Row.self).map(\.id)
        try await deleteUndispatched(ids, on: sql)
        return ids.count
    }

    /// Deletes those of `ids` no other node has dispatched meanwhile, 500 to a statement.
    static func deleteUndispatched(_ ids: [UUID], on sql: any SQLDatabase) async throws {
        for chunk in ids.chunked(500) {
            try await sql.delete(from: WebhookEvent.schema).where("id", .in, Array(chunk)).where(GuardColumn("dispatched_at"), .is, SQLLiteral.null).run()
        }
    }

    /// Whether `endpoint` hears `event`: its company's events, or its partner account's, from
    /// the moment it was added (an event still in the outbox then is not its).
    static func receives(_ endpoint: WebhookEndpoint, _ event: WebhookEvent) -> Bool {
        guard event.createdAt >= endpoint.createdAt, endpoint.eventList.split(separator: ",").contains(where: { $0 == event.type }) else { return false }
        if let companyID = endpoint.companyID { return companyID == event.companyID }
        if let accountID = endpoint.partnerAccountID { return accountID == event.partnerAccountID }
        return false
    }

    /// A delivery claimed for one attempt, with what to send and where.
    public struct Due: Sendable {
        public let deliveryID: UUID
        public let attempt: Int
        public let firstAttemptAt: Date
        public let eventID: UUID
        public let eventType: String
        public let body: String
        public let endpointID: UUID
        public let url: String
        public let secrets: [String]
        public let sequence: Int64
        /// Why it cannot be signed (its secret cannot be opened): it is then not sent, and the
        /// attempt fails with this reason.
        public let cannotSign: String?
    }

    /// Claims up to `limit` due deliveries (oldest events first) for `lease`: another node
    /// finds them due again only if this one dies before recording the outcome.
    public static func claimDue(now: Date, lease: TimeInterval = 60, limit: Int = 50, on db: any Database) async throws -> [Due] {
        let candidates = try await WebhookDelivery.query(on: db).filter(\.$status == .pending).filter(\.$nextAttemptAt <= now)
            .sort(\.$sequence).limit(limit).all()
        guard !candidates.isEmpty else { return [] }
        let sql = db as! any SQLDatabase
        struct Row: Decodable { let id: UUID }
        // One conditional UPDATE claims the batch: a delivery another node claimed first is no longer due.
        let won = Set(try await sql.update(WebhookDelivery.schema)
            .set("next_attempt_at", to: now.addingTimeInterval(lease))
            .set(SQLIdentifier("attempts"), to: SQLRaw("attempts + 1"))
            .set("last_attempt_at", to: now)
            .where("id", .in, candidates.compactMap(\.id)).where(GuardColumn("status"), .equal, SQLBind(WebhookDelivery.Status.pending.rawValue))
            .where(GuardColumn("next_attempt_at"), .lessThanOrEqual, SQLBind(now))
            .returning("id").all(decoding: Row.self).map(\.id))
        let claimed = candidates.filter { $0.id.map(won.contains) ?? false }
        guard !claimed.isEmpty else { return [] }
        let events = Dictionary(uniqueKeysWithValues: try await WebhookEvent.query(on: db).filter(\.$id ~~ claimed.map(\.$event.id)).all().map { ($0.id!, $0) })
        let endpoints = Dictionary(uniqueKeysWithValues: try await WebhookEndpoint.query(on: db).filter(\.$id ~~ claimed.map(\.$endpoint.id)).all().map { ($0.id!, $0) })
        if claimed.contains(where: { $0.firstAttemptAt == nil }) {
            try await sql.update(WebhookDelivery.schema).set("first_attempt_at", to: now)
                .where("id", .in, claimed.filter { $0.firstAttemptAt == nil }.compactMap(\.id)).where(GuardColumn("first_attempt_at"), .is, SQLLiteral.null).run()
        }
        return claimed.compactMap { delivery in
            guard let event = events[delivery.$event.id], let endpoint = endpoints[delivery.$endpoint.id], let id = delivery.id else { return nil }
            // A partner's postback carries the partner's view of the event when there is one.
            let body = endpoint.partnerAccountID != nil ? (event.partnerBody ?? event.body) : event.body
            let secrets = Swift.Result { try endpoint.signingSecrets(now: now, seal: db.secretSeal) }
            return Due(
                deliveryID: id, attempt: delivery.attempts + 1, firstAttemptAt: delivery.firstAttemptAt ?? now, eventID: delivery.$event.id,
                eventType: event.type, body: body, endpointID: delivery.$endpoint.id, url: endpoint.url, secrets: (try? secrets.get()) ?? [],
                sequence: delivery.sequence, cannotSign: secrets.failureDescription
            )
        }
    }

    /// What an attempt came to.
    public struct Outcome: Sendable {
        public var status: Int?
        public var body: String?
        public var error: String?
        public var latencyMS: Int
        public var succeeded: Bool

        public init(status: Int?, body: String?, error: String?, latencyMS: Int, succeeded: Bool) {
            self.status = status
            self.body = body
            self.error = error
            self.latencyMS = latencyMS
            self.succeeded = succeeded
        }
    }

    /// One attempt's result, to record.
    public struct Result: Sendable {
        public let due: Due
        public let outcome: Outcome
        /// When to try again after a failure; nil: given up.
        public let retryAt: Date?
        public let at: Date

        public init(due: Due, outcome: Outcome, retryAt: Date?, at: Date) {
            self.due = due
            self.outcome = outcome
            self.retryAt = retryAt
            self.at = at
        }
    }

    /// Logs the attempts, settles each delivery (succeeded; pending again at its `retryAt`;
    /// failed when nil) and each endpoint's run of failures, in a few statements for the whole
    /// batch. Call in a transaction. Returns the endpoints these failures disabled (their owners
    /// are then told).
    public static func record(_ results: [Result], on db: any Database) async throws -> [WebhookEndpoint] {
        guard !results.isEmpty else { return [] }
        // An endpoint deleted while its deliveries were on their way took them with it: nothing to record for those.
        let existing = Set(try await WebhookDelivery.query(on: db).filter(\.$id ~~ results.map(\.due.deliveryID)).all(\.$id))
        let results = results.filter { existing.contains($0.due.deliveryID) }
        guard !results.isEmpty else { return [] }
        let attempts = results.map { result in
            let attempt = WebhookAttempt()
            attempt.id = db.identifiers.uuid()
            attempt.$delivery.id = result.due.deliveryID
            attempt.attemptedAt = result.at
            attempt.responseStatus = result.outcome.status
            attempt.latencyMS = result.outcome.latencyMS
            attempt.responseBody = result.outcome.body.map { String($0.prefix(2048)) }
            attempt.error = result.outcome.error.map { String($0.prefix(500)) }
            return attempt
        }
        for chunk in attempts.chunked(200) { try await Array(chunk).create(on: db) }
        let sql = db as! any SQLDatabase
        // Successes: one UPDATE per answer code (nearly always one: 200).
        let succeeded = Dictionary(grouping: results.filter(\.outcome.succeeded), by: { $0.outcome.status ?? 0 })
        for (status, group) in succeeded {
            for chunk in group.map(\.due.deliveryID).chunked(500) {
                try await sql.update(WebhookDelivery.schema).set("status", to: WebhookDelivery.Status.succeeded.rawValue)
                    .set("response_status", to: status).set("next_attempt_at", to: SQLLiteral.null)
                    .where("id", .in, Array(chunk)).run()
            }
        }
        for result in results where !result.outcome.succeeded {
            let update = sql.update(WebhookDelivery.schema).where("id", .equal, result.due.deliveryID)
                .set("status", to: (result.retryAt == nil ? WebhookDelivery.Status.failed : .pending).rawValue)
            if let status = result.outcome.status { update.set("response_status", to: status) } else { update.set("response_status", to: SQLLiteral.null) }
            if let retryAt = result.retryAt { update.set("next_attempt_at", to: retryAt) } else { update.set("next_attempt_at", to: SQLLiteral.null) }
            try await update.run()
        }
        // Each endpoint's run of failures: what follows its last success in this batch.
        var disabled: [WebhookEndpoint] = []
        for (endpointID, group) in Dictionary(grouping: results, by: \.due.endpointID) {
            let ordered = group.sorted { $0.at < $1.at }
            let trailing = ordered.reversed().prefix { !$0.outcome.succeeded }
            if trailing.count < ordered.count {
                // A success in the batch ends the old run; only the failures after it count.
                let update = sql.update(WebhookEndpoint.schema).set("consecutive_failures", to: trailing.count).where("id", .equal, endpointID)
                if let first = trailing.last { update.set("failing_since", to: first.at) } else { update.set("failing_since", to: SQLLiteral.null) }
                try await update.run()
            } else {
                try await sql.raw("""
                    UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + \(bind: trailing.count),
                    failing_since = COALESCE(failing_since, \(bind: ordered[0].at)) WHERE id = \(bind: endpointID)
                    """).run()
            }
            guard !trailing.isEmpty, let last = ordered.last?.at, let endpoint = try await WebhookEndpoint.find(endpointID, on: db), endpoint.enabled,
                  WebhookRetry.shouldDisable(consecutiveFailures: endpoint.consecutiveFailures, failingSince: endpoint.failingSince, now: last) else { continue }
            let reason = endpoint.consecutiveFailures >= WebhookRetry.disableAfterFailures
                ? "Disabled after \(endpoint.consecutiveFailures) failed deliveries in a row."
                : "Disabled after failing for three days."
            let changed = try await sql.update(WebhookEndpoint.schema).set("enabled", to: false).set("disabled_reason", to: reason)
                .where("id", .equal, endpointID).where("enabled", .equal, true).returning("id").all()
            guard changed.count == 1 else { continue }
            endpoint.enabled = false
            endpoint.disabledReason = reason
            disabled.append(endpoint)
        }
        return disabled
    }

    /// A new delivery of a past event to the endpoint (the "redeliver" button), due now.
    public static func redeliver(eventID: UUID, endpointID: UUID, now: Date, on db: any Database) async throws -> WebhookDelivery {
        let sequence = try await WebhookEvent.find(eventID, on: db)?.sequence ?? EventOutbox.nextSequence(now: now)
        let delivery = WebhookDelivery(endpointID: endpointID, eventID: eventID, sequence: sequence, now: now)
        try await delivery.create(on: db)
        return delivery
    }

    /// A `webhook.test` event for one endpoint only, delivered like any other.
    public static func test(endpoint: WebhookEndpoint, now: Date, on db: any Database) async throws -> WebhookDelivery {
        struct TestData: Encodable { let endpointId: UUID; let message: String }
        return try await db.transaction { db in
            let event = WebhookEvent()
            event.sequence = EventOutbox.nextSequence(now: now)
            event.type = WebhookEventType.test.rawValue
            event.companyID = endpoint.companyID
            event.partnerAccountID = endpoint.partnerAccountID
            event.body = try EventOutbox.body(type: .test, at: now, data: TestData(endpointId: try endpoint.requireID(), message: "A test event from Tandem."))
            event.createdAt = now
            event.dispatchedAt = now
            try await event.create(on: db)
            let delivery = WebhookDelivery(endpointID: try endpoint.requireID(), eventID: try event.requireID(), sequence: event.sequence, now: now)
            try await delivery.create(on: db)
            return delivery
        }
    }

    /// Forgets events (and their deliveries and attempts) older than `days`, once none is pending.
    @discardableResult
    public static func prune(olderThan days: Int = 30, now: Date, on db: any Database) async throws -> Int {
        let cutoff = now.addingTimeInterval(-Double(days) * 86_400)
        let sql = db as! any SQLDatabase
        struct Row: Decodable { let id: UUID }
        let old = try await sql.raw("""
            SELECT e.id FROM webhook_events e WHERE e.dispatched_at IS NOT NULL AND e.created_at < \(bind: cutoff)
            AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.status = 'pending') LIMIT 1000
            """).all(decoding: Row.self).map(\.id)
        guard !old.isEmpty else { return 0 }
        let ids: [any Encodable & Sendable] = old
        try await db.transaction { db in
            let sql = db as! any SQLDatabase
            try await sql.raw("DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE event_id IN (\(binds: ids)))").run()
            try await sql.delete(from: WebhookDelivery.schema).where("event_id", .in, old).run()
            try await sql.delete(from: WebhookEvent.schema).where("id", .in, old).run()
        }
        return old.count
    }
}

extension Swift.Result {
    /// The error's words when this failed.
    var failureDescription: String? {
        if case .failure(let error) = self { String(describing: error) } else { nil }
    }
}
