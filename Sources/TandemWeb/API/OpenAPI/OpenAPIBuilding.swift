import Foundation
import TandemDomain
import TandemIntegrations

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

    /// An answer's object built by hand (the error and the list wrapper; every other answer is
    /// read from its type by `ResponseContract`).
    static func object(_ properties: [String: Object], required: [String] = [], description: String? = nil) -> Object {
        var schema: Object = ["type": "object", "properties": properties]
        if !required.isEmpty { schema["required"] = required.sorted() }
        schema["description"] = description
        return schema
    }

    // MARK: What the server checks of every input, stated once

    /// Control characters the server refuses in text (`TextRules`): C0, DEL, C1, bidi controls.
    static let controlClass = "\\x00-\\x1F\\x7F-\\x9F\\u202A-\\u202E\\u2066-\\u2069"
    /// The same, but line breaks and tabs allowed (long text: descriptions, reasons).
    static let controlClassButLineBreaks = "\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F\\u202A-\\u202E\\u2066-\\u2069"

    /// Text without control characters; `required`: with at least one character that is not a space
    /// (the server reads blank text as absent).
    static func textPattern(longText: Bool, required: Bool) -> String {
        let allowed = "[^" + (longText ? controlClassButLineBreaks : controlClass) + "]"
        guard required else { return "^" + allowed + "*$" }
        let visible = "[^\\s" + (longText ? controlClassButLineBreaks : controlClass) + "]"
        return "^" + allowed + "*" + visible + allowed + "*$"
    }

    /// What `Validate.email` accepts: a local part of 1 to 64 characters, `@`, and at least two
    /// dot-separated labels that do not start or end with a dash.
    static var emailPattern: String {
        let char = "[^\\s<>@." + controlClass + "]"
        let edge = "[^\\s<>@.\\-" + controlClass + "]"
        let label = edge + "(" + char + "{0,61}" + edge + ")?"
        return "[^\\s<>@" + controlClass + "]{1,64}@" + label + "(\\." + label + "){1,8}"
    }

    /// An http(s) address on a host name of at least two labels (what a program's domains are).
    /// A port may follow the host; spaces and quotes inside the path or query are taken (the
    /// server percent-encodes them).
    static var urlPattern: String {
        let label = "[A-Za-z0-9]([A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?"
        return "[Hh][Tt][Tt][Pp][Ss]?://" + label + "(\\." + label + "){1,8}(:[0-9]{1,5})?([/?#]([^\\s\\\\" + controlClass + "]| ){0,1500})?"
    }

    /// A webhook URL as the server takes it: https on a host name whose last label starts with a
    /// letter (so never a literal IPv4 address); with `OUTBOUND_ALLOW_HTTP`, http too; with
    /// `OUTBOUND_ALLOW_PRIVATE`, any host (one label, a literal address) as well.
    static func webhookURLPattern(_ outbound: OutboundPolicy) -> String {
        let label = "[A-Za-z0-9]([A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?"
        let top = "[A-Za-z]([A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?"
        let scheme = outbound.allowHTTP ? "[Hh][Tt][Tt][Pp][Ss]?" : "[Hh][Tt][Tt][Pp][Ss]"
        let host = outbound.allowPrivate ? "((" + label + "\\.){0,8}" + label + "|\\[[0-9A-Fa-f:.]{2,45}\\])" : "(" + label + "\\.){1,8}" + top
        // After the host: RFC 3986's characters only (a stray `%` or `<` is not a URL the server can parse).
        let rest = "([/?#]([A-Za-z0-9\\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2}){0,1500})?"
        let port = "(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?"
        return "^" + scheme + "://" + host + port + rest + "$"
    }

    /// A host name as `Destination.normalizeDomain` takes it: letters, digits and dashes in two or
    /// more labels, optionally with a scheme before and a path after (both dropped).
    static var hostnamePattern: String {
        let label = "[A-Za-z0-9]([A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?"
        return "^[ ]*([^" + controlClass + "]*://)?" + label + "(\\." + label + "){1,8}(/[^" + controlClass + "]*)?[ ]*$"
    }

    /// `inner` with the spaces the server trims around it allowed, and (for an optional field,
    /// which the server reads as absent when blank) nothing at all.
    static func trimmed(_ inner: String, blankAllowed: Bool) -> String {
        let space = "[^\\S" + controlClass + "]*"
        return blankAllowed ? "^" + space + "(" + inner + space + ")?$" : "^" + space + inner + space + "$"
    }

    /// A request property with the checks the API applies to every body (`APIJSON.decode`):
    /// amounts within `AmountLimit`, text without control characters, required text not blank.
    static func constrained(_ schema: Object, field: String, required: Bool) -> Object {
        var schema = schema
        switch schema["type"] as? String {
        case "integer" where APIJSON.isAmountField(field):
            let limit = Int(AmountLimit.maximum)
            schema["maximum"] = min(schema["maximum"] as? Int ?? limit, limit)
            schema["minimum"] = max(schema["minimum"] as? Int ?? -limit, -limit)
        case "string" where schema["format"] as? String == "hostname":
            schema["format"] = nil
            schema["pattern"] = hostnamePattern
        case "string" where schema["format"] as? String == "uri":
            schema["pattern"] = trimmed(urlPattern, blankAllowed: !required)
        case "string" where schema["enum"] == nil && schema["pattern"] == nil && schema["format"] as? String != "uuid" && schema["format"] as? String != "date-time":
            schema["pattern"] = textPattern(longText: APIJSON.longTextFields.contains(field), required: required)
        case "array":
            if let items = schema["items"] as? Object { schema["items"] = constrained(items, field: field, required: true) }
        default:
            break
        }
        return schema
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

    static var uuid: Object { string(format: "uuid") }

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

    static func pathParameter(_ name: String, _ description: String) -> Object {
        ["name": name, "in": "path", "required": true, "description": description, "schema": constrained(string(), field: name, required: true)]
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
            // 404: `starting_after` names no item of the list.
            errors.formUnion([400, 404])
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
