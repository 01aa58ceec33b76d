import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// `/api/v1/webhooks` (a vendor key: the company's webhooks) and `/api/v1/partner/postbacks`
/// (a partner key: the account's postbacks): the same shapes on the same engine. The secret
/// is in the answer that made (or rotated) it, and nowhere else.
struct WebhooksAPI {
    let env: WebEnvironment

    struct CreateBody: Decodable {
        var url: String?
        var description: String?
        var events: [String]?
    }

    static let contract = BodyContract(CreateBody.self, name: "WebhookEndpointCreate", required: ["url", "events"], notes: [
        "url": FieldNote(description: "Where events are POSTed: https:// on a public host.", maxLength: 2000, format: .webhookURL),
        "description": .text("To know the endpoint by.", max: 200),
        "events": .list("The events to send; at least one.", min: 1, max: 50, values: WebhookEventType.subscribable.map(\.rawValue)),
    ])

    struct EndpointDTO: Encodable {
        let id: UUID
        let object = "webhook_endpoint"
        let url: String
        @NullEncoded var description: String?
        let events: [String]
        let enabled: Bool
        /// Why Tandem stopped sending, when it did.
        @NullEncoded var disabledReason: String?
        /// `whsec_…`: only in the answer to the POST that made the endpoint or rotated its secret.
        @NullEncoded var secret: String?
        let createdAt: Date
    }

    struct DeliveryDTO: Encodable {
        let id: UUID
        let object = "webhook_delivery"
        let eventId: UUID
        let eventType: String
        /// `pending` (being sent or waiting to be retried), `succeeded`, `failed` (given up).
        let status: String
        let attempts: Int
        @NullEncoded var responseStatus: Int?
        @NullEncoded var latencyMs: Int?
        /// The first 2 KB of the latest answer.
        @NullEncoded var responseBody: String?
        @NullEncoded var error: String?
        @NullEncoded var nextAttemptAt: Date?
        @NullEncoded var lastAttemptAt: Date?
        let createdAt: Date
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        for base in ["webhooks", "partner/postbacks"] {
            let vendorSide = base == "webhooks"
            @Sendable func owner(_ context: AppRequestContext) throws -> WebhookOwner {
                vendorSide ? .company(try context.vendorCompanyID()) : .partnerAccount(try context.partnerAccountID())
            }
            api.post(RouterPath(base)) { _, context in try await create(owner(context), context) }
            api.get(RouterPath(base)) { request, context in try await list(owner(context), request) }
            api.get(RouterPath(base + "/:id")) { _, context in
                try APIJSON.response(try EndpointDTO(try await endpoint(owner(context), context)))
            }
            api.delete(RouterPath(base + "/:id")) { _, context in
                try await WebhookEndpoints.delete(owner: owner(context), id: try Self.id(context, "id", "endpoint"), on: env.store.db)
                return Response(status: .noContent)
            }
            api.post(RouterPath(base + "/:id/test")) { _, context in
                let delivery = try await WebhookEndpoints.sendTest(owner: owner(context), id: try Self.id(context, "id", "endpoint"), now: env.now(), on: env.store.db)
                return try APIJSON.response(try DeliveryDTO(delivery, eventType: WebhookEventType.test.rawValue), status: .accepted)
            }
            api.post(RouterPath(base + "/:id/rotate-secret")) { _, context in
                let rotated = try await WebhookEndpoints.rotateSecret(owner: owner(context), id: try Self.id(context, "id", "endpoint"), now: env.now(), on: env.store.db)
                return try APIJSON.response(try EndpointDTO(rotated.endpoint, secret: rotated.secret))
            }
            api.post(RouterPath(base + "/:id/enable")) { _, context in
                let endpoint = try await WebhookEndpoints.enable(owner: owner(context), id: try Self.id(context, "id", "endpoint"), on: env.store.db)
                return try APIJSON.response(try EndpointDTO(endpoint))
            }
            api.get(RouterPath(base + "/:id/deliveries")) { request, context in
                let endpoint = try await endpoint(owner(context), context)
                let rows = try await WebhookReads.deliveries(endpointID: try endpoint.requireID(), limit: 200, on: env.store.db)
                return try APIJSON.response(try PageRequest(request).page(rows, id: \.id).map(DeliveryDTO.init))
            }
            api.post(RouterPath(base + "/:id/deliveries/:delivery/redeliver")) { _, context in
                let (delivery, type) = try await WebhookEndpoints.redeliver(
                    owner: owner(context), endpointID: try Self.id(context, "id", "endpoint"), deliveryID: try Self.id(context, "delivery", "delivery"),
                    now: env.now(), on: env.store.db)
                return try APIJSON.response(try DeliveryDTO(delivery, eventType: type), status: .accepted)
            }
        }
    }

    static func id(_ context: AppRequestContext, _ parameter: String, _ what: String) throws -> UUID {
        guard let id = context.parameters.get(parameter).flatMap(UUID.init(uuidString:)) else { throw APIError.notFound(what) }
        return id
    }

    func endpoint(_ owner: WebhookOwner, _ context: AppRequestContext) async throws -> WebhookEndpoint {
        try await WebhookEndpoints.find(owner: owner, id: try Self.id(context, "id", "endpoint"), on: env.store.db)
    }

    func create(_ owner: WebhookOwner, _ context: AppRequestContext) async throws -> Response {
        let body = try APIJSON.decode(Self.contract, from: context, outbound: env.config.outbound)
        let created = try await WebhookEndpoints.create(
            owner: owner, url: body.url, description: body.description, events: body.events, policy: env.config.outbound, now: env.now(), on: env.store.db)
        return try APIJSON.response(try EndpointDTO(created.endpoint, secret: created.secret), status: .created)
    }

    func list(_ owner: WebhookOwner, _ request: Request) async throws -> Response {
        let endpoints = try await WebhookReads.endpoints(of: owner, on: env.store.db).reversed()
        return try APIJSON.response(try PageRequest(request).page(Array(endpoints), id: \.id).map { try EndpointDTO($0) })
    }
}

// From the stored rows; the memberwise initializer builds the document's example.
extension WebhooksAPI.EndpointDTO {
    init(_ endpoint: WebhookEndpoint, secret: String? = nil) throws {
        id = try endpoint.requireID()
        url = endpoint.url
        description = endpoint.description
        events = endpoint.events.map(\.rawValue)
        enabled = endpoint.enabled
        disabledReason = endpoint.disabledReason
        self.secret = secret
        createdAt = endpoint.createdAt
    }
}

// From the stored rows; the memberwise initializer builds the document's example.
extension WebhooksAPI.DeliveryDTO {
    init(_ row: WebhookReads.DeliveryRow) {
        id = row.id
        eventId = row.event_id
        eventType = row.event_type
        status = row.status
        attempts = row.attempts
        responseStatus = row.response_status
        latencyMs = row.latency_ms
        responseBody = row.response_body
        error = row.error
        nextAttemptAt = row.status == WebhookDelivery.Status.pending.rawValue ? row.next_attempt_at : nil
        lastAttemptAt = row.last_attempt_at
        createdAt = row.created_at
    }

    init(_ delivery: WebhookDelivery, eventType: String) throws {
        id = try delivery.requireID()
        eventId = delivery.$event.id
        self.eventType = eventType
        status = delivery.status.rawValue
        attempts = delivery.attempts
        responseStatus = delivery.responseStatus
        latencyMs = nil
        responseBody = nil
        error = nil
        nextAttemptAt = delivery.nextAttemptAt
        lastAttemptAt = delivery.lastAttemptAt
        createdAt = delivery.createdAt
    }
}

// The answers (`ResponseContract`).
extension WebhooksAPI {
    static let endpointResponse = ResponseContract(
        EndpointDTO(
            id: Examples.id(19), url: "https://crm.acme.example/hooks/tandem", description: "CRM", events: ["reward.created"], enabled: true,
            disabledReason: "Failing for 3 days.", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", createdAt: Examples.date
        ),
        name: "WebhookEndpoint", notes: [
            "events": .list(values: WebhookEventType.subscribable.map(\.rawValue)),
            "enabled": .flag("false once Tandem gave up on it (see `disabled_reason`)."),
            "secret": .text("`whsec_…`: only in the answer that made the endpoint or rotated its secret."),
        ]
    )

    static let deliveryResponse = ResponseContract(
        DeliveryDTO(
            id: Examples.id(20), eventId: Examples.id(21), eventType: "reward.created", status: "pending", attempts: 2, responseStatus: 500,
            latencyMs: 84, responseBody: "Internal Server Error", error: "Timed out after 10 s.", nextAttemptAt: Examples.date,
            lastAttemptAt: Examples.date, createdAt: Examples.date
        ),
        name: "WebhookDelivery", notes: [
            "event_type": .oneOf(WebhookEventType.allCases.map(\.rawValue)),
            "status": .oneOf(["pending", "succeeded", "failed"], "`pending`: being sent or waiting for a retry; `failed`: given up after three days."),
            "attempts": .integer(min: 0),
            "latency_ms": .integer(min: 0),
            "response_body": .text("The first 2 KB of the latest answer."),
            "error": .text("Why the latest attempt got no answer."),
        ]
    )
}
