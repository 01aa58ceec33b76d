import FluentKit
import SQLKit

/// Webhooks (a company's) and postbacks (a partner account's) share these tables: the
/// endpoints; the outbox of events, written in the transaction of each change; one delivery
/// per (event, endpoint) the dispatcher fans out to; and every attempt of a delivery, for
/// the log a user reads when their endpoint misbehaves.
struct M033_CreateWebhooks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(WebhookEndpoint.schema)
            .id()
            .field("company_id", .uuid, .references(Company.schema, "id"))
            .field("partner_account_id", .uuid, .references(PartnerAccount.schema, "id"))
            .field("url", .string, .required)
            .field("description", .string)
            .field("events", .string, .required)
            .field("secret", .string, .required)
            .field("previous_secret", .string)
            .field("previous_secret_until", .datetime)
            .field("enabled", .bool, .required)
            .field("disabled_reason", .string)
            .field("consecutive_failures", .int, .required)
            .field("failing_since", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(WebhookEvent.schema)
            .id()
            .field("sequence", .int64, .required)
            .field("type", .string, .required)
            .field("company_id", .uuid)
            .field("partner_account_id", .uuid)
            .field("body", .string, .required)
            .field("partner_body", .string)
            .field("created_at", .datetime, .required)
            .field("dispatched_at", .datetime)
            .create()
        try await database.schema(WebhookDelivery.schema)
            .id()
            .field("endpoint_id", .uuid, .required, .references(WebhookEndpoint.schema, "id", onDelete: .cascade))
            .field("event_id", .uuid, .required, .references(WebhookEvent.schema, "id", onDelete: .cascade))
            .field("sequence", .int64, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime)
            .field("first_attempt_at", .datetime)
            .field("last_attempt_at", .datetime)
            .field("response_status", .int)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(WebhookAttempt.schema)
            .id()
            .field("delivery_id", .uuid, .required, .references(WebhookDelivery.schema, "id", onDelete: .cascade))
            .field("attempted_at", .datetime, .required)
            .field("response_status", .int)
            .field("latency_ms", .int, .required)
            .field("response_body", .string)
            .field("error", .string)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "webhook_endpoints_company").on(WebhookEndpoint.schema).column("company_id").run()
        try await sql.create(index: "webhook_endpoints_partner").on(WebhookEndpoint.schema).column("partner_account_id").run()
        // The dispatcher reads what it has not fanned out yet, oldest first.
        try await sql.create(index: "webhook_events_pending").on(WebhookEvent.schema).column("dispatched_at").column("sequence").run()
        // The sender reads what is due; the log reads an endpoint's newest deliveries.
        try await sql.create(index: "webhook_deliveries_due").on(WebhookDelivery.schema).column("status").column("next_attempt_at").run()
        try await sql.create(index: "webhook_deliveries_endpoint").on(WebhookDelivery.schema).column("endpoint_id").column("created_at").run()
        try await sql.create(index: "webhook_attempts_delivery").on(WebhookAttempt.schema).column("delivery_id").column("attempted_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WebhookAttempt.schema).delete()
        try await database.schema(WebhookDelivery.schema).delete()
        try await database.schema(WebhookEvent.schema).delete()
        try await database.schema(WebhookEndpoint.schema).delete()
    }
}
