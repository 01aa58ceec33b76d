import Foundation

/// Small builders for the pieces of an OpenAPI 3.1 document, so the paths and schemas
/// read like the API they describe. Everything is a plain JSON dictionary.
extension OpenAPIDocument {
    typealias Object = [String: Any]

    // MARK: Schemas

    static func ref(_ schema: String) -> Object { ["$ref": "#/components/schemas/\(schema)"] }

    static func string(_ description: String? = nil, format: String? = nil, values: [String]? = nil, maxLength: Int? = nil) -> Object {
        var schema: Object = ["type": "string"]
        schema["description"] = description
        schema["format"] = format
        schema["enum"] = values
        schema["maxLength"] = maxLength
        return schema
    }

    static func integer(_ description: String? = nil, minimum: Int? = nil, maximum: Int? = nil, defaultValue: Int? = nil) -> Object {
        var schema: Object = ["type": "integer", "format": "int64"]
        schema["description"] = description
        schema["minimum"] = minimum
        schema["maximum"] = maximum
        schema["default"] = defaultValue
        return schema
    }

    static func number(_ description: String? = nil, exclusiveMinimum: Double? = nil, maximum: Double? = nil) -> Object {
        var schema: Object = ["type": "number"]
        schema["description"] = description
        schema["exclusiveMinimum"] = exclusiveMinimum
        schema["maximum"] = maximum
        return schema
    }

    static func boolean(_ description: String? = nil, defaultValue: Bool? = nil) -> Object {
        var schema: Object = ["type": "boolean"]
        schema["description"] = description
        schema["default"] = defaultValue
        return schema
    }

    static func array(_ items: Object, _ description: String? = nil, maxItems: Int? = nil) -> Object {
        var schema: Object = ["type": "array", "items": items]
        schema["description"] = description
        schema["maxItems"] = maxItems
        return schema
    }

    /// An object; properties not in `required` may be left out, or sent as null (the API's
    /// decoder reads null as absent, so the document says so).
    static func object(_ properties: [String: Object], required: [String] = [], description: String? = nil, nullableOptionals: Bool = true) -> Object {
        var properties = properties
        if nullableOptionals {
            for name in properties.keys where !required.contains(name) { properties[name] = properties[name].map(nullable) }
        }
        var schema: Object = ["type": "object", "properties": properties]
        if !required.isEmpty { schema["required"] = required.sorted() }
        schema["description"] = description
        return schema
    }

    /// A response object: every property is present except those named in `optional`
    /// (the encoder leaves out a value it does not have; clients should accept null too).
    /// Those named in `nullable` are always present and may be null (`@NullEncoded`).
    static func response(_ properties: [String: Object], optional: Set<String> = [], nullable nullables: Set<String> = [], description: String? = nil) -> Object {
        var properties = properties
        for name in optional.union(nullables) { properties[name] = properties[name].map(nullable) }
        return object(properties, required: properties.keys.filter { !optional.contains($0) }, description: description, nullableOptionals: false)
    }

    /// `null` allowed as well.
    static func nullable(_ schema: Object) -> Object {
        if let type = schema["type"] as? String {
            var schema = schema
            schema["type"] = [type, "null"]
            if let values = schema["enum"] as? [Any] { schema["enum"] = values + [NSNull()] }
            return schema
        }
        return ["anyOf": [schema, ["type": "null"]]]
    }

    /// The `object` field every answer carries: what kind of thing it is.
    static func kind(_ name: String) -> Object { ["type": "string", "const": name] }

    static var uuid: Object { string(format: "uuid") }
    static var timestamp: Object { string("ISO 8601, UTC.", format: "date-time") }
    static var currency: Object { string("ISO 4217 code, e.g. USD.", maxLength: 3) }
    static var programSlug: Object { string("The program's slug.") }
    static func minorUnits(_ description: String = "Minor units (cents).") -> Object { integer(description) }

    /// `{"data": [...], "has_more": …}`, newest first.
    static func list(of schema: String) -> Object {
        object([
            "data": array(ref(schema)),
            "has_more": boolean("More items follow; ask again with `starting_after` set to the last id."),
        ], required: ["data", "has_more"])
    }

    // MARK: Operations

    enum Access {
        /// A vendor key, `tdm_sk_…`.
        case vendor
        /// A partner key, `tdm_pk_…`.
        case partner
        /// No key.
        case open

        var note: String? {
            switch self {
            case .vendor: "Needs a vendor key (`tdm_sk_…`)."
            case .partner: "Needs a partner key (`tdm_pk_…`)."
            case .open: nil
            }
        }
    }

    struct Operation {
        let method: String
        let object: Object
    }

    static func queryParameter(_ name: String, _ description: String, schema: Object = string()) -> Object {
        ["name": name, "in": "query", "required": false, "description": description, "schema": schema]
    }

    static func pathParameter(_ name: String, _ description: String) -> Object {
        ["name": name, "in": "path", "required": true, "description": description, "schema": string()]
    }

    static func parameterRef(_ name: String) -> Object { ["$ref": "#/components/parameters/\(name)"] }

    static func successResponse(_ description: String, schema: Object? = nil, contentType: String = "application/json", headers: Object? = nil) -> Object {
        var response: Object = ["description": description]
        if let schema { response["content"] = [contentType: ["schema": schema]] }
        response["headers"] = headers
        return response
    }

    /// One `/api/v1` operation. The key, body, paging and idempotency rules add their
    /// parameters and error answers by themselves; `errors` names the rest.
    /// `bodyRequired: false` for a body that may be left out (an empty request).
    static func apiOperation(
        _ method: String, id: String, tag: String, summary: String, access: Access, description: String? = nil,
        query: [Object] = [], paged: Bool = false, body: String? = nil, bodyRequired: Bool = true,
        responses: [Int: Object], errors: Set<Int> = []
    ) -> Operation {
        var errors = errors
        var parameters = query
        var responses = responses
        // A key can be wrong or of the other kind, and any keyed request can meet the rate limit or overload.
        // A control character in any query parameter is a 400, whatever the operation.
        if access != .open { errors.formUnion([400, 401, 403, 429, 503]) }
        if paged {
            parameters += [parameterRef("Limit"), parameterRef("StartingAfter")]
            errors.insert(400)
        }
        if body != nil { errors.formUnion([400, 413]) }
        if method == "post" {
            parameters.append(parameterRef("IdempotencyKey"))
            errors.formUnion([400, 409])
            for (status, response) in responses where status < 300 {
                var response = response
                response["headers"] = ["Idempotent-Replayed": ["$ref": "#/components/headers/IdempotentReplayed"]]
                responses[status] = response
            }
        }
        var operation: Object = ["operationId": id, "tags": [tag], "summary": summary]
        let notes = [description, access.note].compactMap { $0 }
        if !notes.isEmpty { operation["description"] = notes.joined(separator: "\n\n") }
        if access == .open { operation["security"] = [Object]() }
        if !parameters.isEmpty { operation["parameters"] = parameters }
        if let body {
            operation["requestBody"] = ["required": bodyRequired, "content": ["application/json": ["schema": ref(body)]]]
        }
        var answers: Object = [:]
        for (status, response) in responses { answers[String(status)] = response }
        for status in errors { answers[String(status)] = ["$ref": "#/components/responses/\(errorResponseNames[status]!)"] }
        operation["responses"] = answers
        return Operation(method: method, object: operation)
    }

    /// A path item: its operations under their methods, and the path parameters they share.
    static func pathItem(_ parameters: [Object] = [], _ operations: Operation...) -> Object {
        var item: Object = [:]
        if !parameters.isEmpty { item["parameters"] = parameters }
        for operation in operations { item[operation.method] = operation.object }
        return item
    }
}
