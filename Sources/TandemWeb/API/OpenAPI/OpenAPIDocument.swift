import Foundation
import Hummingbird
import NIOCore
import TandemIntegrations

/// The OpenAPI 3.1 document of Tandem's HTTP API, served at `GET /api/openapi.json`.
///
/// `OpenAPIPaths` has one function per group of routes, `OpenAPISchemas` the shapes they
/// read and write (snake_case, as `APIJSON` encodes them). `OpenAPITests` fails when a
/// route of the router is not described here, or something described here has no route:
/// a new endpoint adds its function to `OpenAPIPaths.all` and its schemas.
enum OpenAPIDocument {
    static let path = "api/openapi.json"

    /// The whole document as JSON text (sorted keys), with `servers: [{url: baseURL}]`.
    static func json(baseURL: String, outbound: OutboundPolicy = .strict) -> String {
        do {
            let data = try JSONSerialization.data(
                withJSONObject: document(baseURL: baseURL, outbound: outbound), options: [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
            )
            return String(decoding: data, as: UTF8.self)
        } catch {
            preconditionFailure("The OpenAPI document is not serialisable as JSON: \(error)")
        }
    }

    /// `GET /api/openapi.json`: the document, no key needed. Built once.
    static func addRoute(to router: Router<AppRequestContext>, baseURL: String, outbound: OutboundPolicy) {
        let body = ByteBuffer(string: json(baseURL: baseURL, outbound: outbound))
        router.get(RouterPath(path)) { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "public, max-age=300", .accessControlAllowOrigin: "*"],
                body: .init(byteBuffer: body)
            )
        }
    }

    static func document(baseURL: String, outbound: OutboundPolicy = .strict) -> Object {
        [
            "openapi": "3.1.0",
            "info": [
                "title": "Tandem API",
                "version": "1",
                "description": """
                Tandem's partner-program API. JSON in and out with snake_case keys; times are ISO 8601 in UTC; \
                money is an integer `amount` in minor units with an uppercase ISO 4217 `currency`. \
                Every answer object has an `object` field naming its kind. Errors are \
                `{"error": {"code", "message", "field"}}` with the matching status code. \
                Lists take `limit` (1–250, default 25) and `starting_after`, and answer `{"data": [...], "has_more": …}`, newest first. \
                Every POST accepts an `Idempotency-Key` header. \
                Amounts are at most 1,000,000,000,000 minor units in absolute value (`amount_too_large`); text refuses \
                control characters; event times lie between 2000-01-01 and one day after now. Each API key may make \
                `API_RATE_LIMIT_PER_MINUTE` requests a minute (6000 by default, per server node): every answer carries \
                `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`, and past the limit the answer is 429 \
                `rate_limited` with `Retry-After`. A method a path does not serve is 405 with `Allow`.
                """,
            ] as Object,
            "servers": [["url": baseURL]],
            "security": [["bearer": [String]()]],
            "tags": OpenAPIPaths.tags.map { ["name": $0.name, "description": $0.description] },
            "paths": OpenAPIPaths.all(),
            "components": components(outbound: outbound),
        ]
    }

    /// The status codes an API error can have, and the name of their shared response.
    static let errorResponseNames: [Int: String] = [
        400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed", 409: "Conflict",
        413: "ContentTooLarge", 429: "TooManyRequests", 503: "ServiceUnavailable",
    ]

    static func components(outbound: OutboundPolicy) -> Object {
        [
            "securitySchemes": [
                "bearer": [
                    "type": "http",
                    "scheme": "bearer",
                    "description": """
                    `Authorization: Bearer KEY`. Vendor keys start with `tdm_sk_` and act for one company; \
                    partner keys start with `tdm_pk_` and act for one partner account. \
                    A key of the wrong kind for an endpoint is a 403.
                    """,
                ] as Object,
            ],
            "schemas": OpenAPISchemas.all(outbound: outbound),
            "responses": errorResponses,
            "parameters": [
                "Limit": PageRequest.limitParameter.document,
                "StartingAfter": PageRequest.startingAfterParameter.document,
                "IdempotencyKey": [
                    "name": "Idempotency-Key", "in": "header", "required": false,
                    "description": """
                    1 to 255 printable ASCII characters, no spaces. The same key with the same body returns the first answer again \
                    (with `Idempotent-Replayed: true`); with another body, 409 `idempotency_key_reused`.
                    """,
                    "schema": ["type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"] as Object,
                ] as Object,
            ],
            "headers": [
                "IdempotentReplayed": [
                    "description": "`true` when this is the stored answer to an earlier request with the same `Idempotency-Key`.",
                    "schema": string(values: ["true"]),
                ] as Object,
            ],
        ]
    }

    static var errorResponses: Object {
        let descriptions = [
            400: "Malformed or invalid input; `field` names the culprit when there is one.",
            401: "No key, or a key that is not valid or was revoked.",
            403: "A key that may not do this (a partner key on a vendor endpoint, or the reverse).",
            404: "Not found, or not yours.",
            409: "A conflict: an `Idempotency-Key` reused with another body, a taken slug, a state change no longer possible.",
            405: "This method is not served at this path; `Allow` lists those that are.",
            413: "The body is larger than 1 MiB.",
            429: "Rate limited (`rate_limited`): retry after `Retry-After` seconds.",
            503: "Overloaded (`overloaded`: no database connection in time) or the database unreachable (`database_unavailable`); nothing was changed: retry after `Retry-After` seconds.",
        ]
        let retryAfter: Object = ["description": "Seconds to wait before retrying.", "schema": integer(minimum: 0)]
        var responses: Object = [:]
        for (status, name) in errorResponseNames {
            var response: Object = ["description": descriptions[status]!, "content": ["application/json": ["schema": ref("Error")]]]
            if status == 429 || status == 503 { response["headers"] = ["Retry-After": retryAfter] }
            if status == 405 { response["headers"] = ["Allow": ["description": "The methods this path serves.", "schema": string()] as Object] }
            responses[name] = response
        }
        return responses
    }
}
