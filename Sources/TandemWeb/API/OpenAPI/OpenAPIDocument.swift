import Foundation
import Hummingbird
import NIOCore

/// The OpenAPI 3.1 document of Tandem's HTTP API, served at `GET /api/openapi.json`.
///
/// `OpenAPIPaths` has one function per group of routes, `OpenAPISchemas` the shapes they
/// read and write (snake_case, as `APIJSON` encodes them). `OpenAPITests` fails when a
/// route of the router is not described here, or something described here has no route:
/// a new endpoint adds its function to `OpenAPIPaths.all` and its schemas.
enum OpenAPIDocument {
    static let path = "api/openapi.json"

    /// The whole document as JSON text (sorted keys), with `servers: [{url: baseURL}]`.
    static func json(baseURL: String) -> String {
        do {
            let data = try JSONSerialization.data(
                withJSONObject: document(baseURL: baseURL), options: [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
            )
            return String(decoding: data, as: UTF8.self)
        } catch {
            preconditionFailure("The OpenAPI document is not serialisable as JSON: \(error)")
        }
    }

    /// `GET /api/openapi.json`: the document, no key needed. Built once.
    static func addRoute(to router: Router<AppRequestContext>, baseURL: String) {
        let body = ByteBuffer(string: json(baseURL: baseURL))
        router.get(RouterPath(path)) { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "public, max-age=300", .accessControlAllowOrigin: "*"],
                body: .init(byteBuffer: body)
            )
        }
    }

    static func document(baseURL: String) -> Object {
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
                Every POST accepts an `Idempotency-Key` header.
                """,
            ] as Object,
            "servers": [["url": baseURL]],
            "security": [["bearer": [String]()]],
            "tags": OpenAPIPaths.tags.map { ["name": $0.name, "description": $0.description] },
            "paths": OpenAPIPaths.all(),
            "components": components,
        ]
    }

    /// The status codes an API error can have, and the name of their shared response.
    static let errorResponseNames: [Int: String] = [
        400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict", 413: "ContentTooLarge",
    ]

    static var components: Object {
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
            "schemas": OpenAPISchemas.all,
            "responses": errorResponses,
            "parameters": [
                "Limit": queryParameter("limit", "How many items, 1 to 250.", schema: integer(minimum: 1, maximum: 250, defaultValue: 25)),
                "StartingAfter": queryParameter("starting_after", "The id of the last item of the previous page.", schema: uuid),
                "IdempotencyKey": [
                    "name": "Idempotency-Key", "in": "header", "required": false,
                    "description": """
                    1 to 255 characters. The same key with the same body returns the first answer again \
                    (with `Idempotent-Replayed: true`); with another body, 409 `idempotency_key_reused`.
                    """,
                    "schema": string(maxLength: 255),
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
            413: "The body is larger than 1 MiB.",
        ]
        var responses: Object = [:]
        for (status, name) in errorResponseNames {
            responses[name] = ["description": descriptions[status]!, "content": ["application/json": ["schema": ref("Error")]]]
        }
        return responses
    }
}
