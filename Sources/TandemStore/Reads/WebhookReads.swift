import FluentKit
import Foundation
import SQLKit
import TandemDomain

/// What the webhook and postback pages and the API read: an owner's endpoints and an
/// endpoint's deliveries. Every read is scoped to the owner that asks.
public enum WebhookReads {
    static func owned(_ owner: WebhookOwner, _ query: QueryBuilder<WebhookEndpoint>) -> QueryBuilder<WebhookEndpoint> {
        switch owner {
        case .company(let id): query.filter(\.$companyID == id)
        case .partnerAccount(let id): query.filter(\.$partnerAccountID == id)
        }
    }

    public static func endpoints(of owner: WebhookOwner, on db: any Database) async throws -> [WebhookEndpoint] {
        try await owned(owner, WebhookEndpoint.query(on: db)).sort(\.$createdAt).sort(\.$id).all()
    }

    public static func endpoint(_ id: UUID, of owner: WebhookOwner, on db: any Database) async throws -> WebhookEndpoint? {
        try await owned(owner, WebhookEndpoint.query(on: db)).filter(\.$id == id).first()
    }

    public static func delivery(_ id: UUID, endpointID: UUID, on db: any Database) async throws -> WebhookDelivery? {
        try await WebhookDelivery.query(on: db).filter(\.$id == id).filter(\.$endpoint.$id == endpointID).first()
    }

    /// A delivery as the log shows it, with its latest attempt.
    public struct DeliveryRow: Sendable, Decodable {
        public let id: UUID
        public let event_id: UUID
        public let event_type: String
        public let status: String
        public let attempts: Int
        public let response_status: Int?
        public let next_attempt_at: Date?
        public let last_attempt_at: Date?
        public let created_at: Date
        public let latency_ms: Int?
        public let response_body: String?
        public let error: String?
    }

    /// The endpoint's newest deliveries first (`before`: older than this delivery, for the next page).
    public static func deliveries(endpointID: UUID, limit: Int = 50, on db: any Database) async throws -> [DeliveryRow] {
        try await (db as! any SQLDatabase).raw("""
            SELECT d.id, d.event_id, e.type AS event_type, d.status, d.attempts, d.response_status, d.next_attempt_at, d.last_attempt_at,
                   d.created_at, a.latency_ms, a.response_body, a.error
            FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
            LEFT JOIN webhook_attempts a ON a.id = (
                SELECT a2.id FROM webhook_attempts a2 WHERE a2.delivery_id = d.id ORDER BY a2.attempted_at DESC, a2.id DESC LIMIT 1)
            WHERE d.endpoint_id = \(bind: endpointID)
            ORDER BY d.created_at DESC, d.sequence DESC, d.id DESC LIMIT \(unsafeRaw: String(max(1, min(limit, 200))))
            """).all(decoding: DeliveryRow.self)
    }

    /// The endpoint, its deliveries and their attempts. Call in a transaction.
    public static func deleteEndpoint(_ id: UUID, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE endpoint_id = \(bind: id))").run()
        try await sql.delete(from: WebhookDelivery.schema).where("endpoint_id", .equal, id).run()
        try await sql.delete(from: WebhookEndpoint.schema).where("id", .equal, id).run()
    }
}
