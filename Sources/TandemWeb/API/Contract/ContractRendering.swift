import Foundation
import TandemDomain
import TandemIntegrations

/// A body contract as JSON Schema (OpenAPI 3.1). Every rule written here is one
/// `ContractCheck` applies to the same field, in the same words.
enum ContractRendering {
    typealias D = OpenAPIDocument

    /// An object of request fields: the server refuses fields it does not read (`unknown_field`);
    /// an optional field may be left out or sent as null (the decoder reads null as absent).
    static func object(_ fields: [BodyField], description: String?, outbound: OutboundPolicy) -> [String: Any] {
        var properties: [String: Any] = [:]
        for field in fields {
            var schema = node(field.shape.shape, note: field.note, name: field.name, required: field.required, inner: field.innerFields, outbound: outbound)
            if !field.required { schema = D.nullable(schema) }
            properties[field.name] = schema
        }
        var schema: [String: Any] = ["type": "object", "properties": properties, "additionalProperties": false]
        let required = fields.filter(\.required).map(\.name).sorted()
        if !required.isEmpty { schema["required"] = required }
        schema["description"] = description
        return schema
    }

    static func node(_ shape: ValueShape, note: FieldNote, name: String, required: Bool, inner: [BodyField] = [], outbound: OutboundPolicy) -> [String: Any] {
        var schema: [String: Any]
        switch shape {
        case .string:
            schema = string(note, name: name, required: required, outbound: outbound)
        case .uuid:
            schema = ["type": "string", "format": "uuid"]
        case .date:
            schema = ["type": "string", "format": "date-time"]
        case .integer:
            schema = ["type": "integer", "format": "int64"]
            var minimum = note.minimum
            var maximum = note.maximum
            if APIJSON.isAmountField(name) {
                // Every amount is bounded, whatever else its note says.
                maximum = Swift.min(maximum ?? AmountLimit.maximum, AmountLimit.maximum)
                minimum = Swift.max(minimum ?? -AmountLimit.maximum, -AmountLimit.maximum)
            }
            schema["minimum"] = minimum.map { Int($0) }
            schema["maximum"] = maximum.map { Int($0) }
            if case .integer(let value) = note.defaultValue { schema["default"] = value }
        case .number:
            schema = ["type": "number"]
            schema["exclusiveMinimum"] = note.exclusiveMinimum
            schema["maximum"] = note.numberMaximum
            schema["multipleOf"] = note.multipleOf
        case .boolean:
            schema = ["type": "boolean"]
            if case .boolean(let value) = note.defaultValue { schema["default"] = value }
            if let only = note.only { schema["enum"] = [only] }
        case .array(let items):
            // The note's values, format and length are its items'; its counts are the list's.
            var itemNote = note
            itemNote.description = nil
            schema = ["type": "array", "items": node(items, note: itemNote, name: name, required: true, outbound: outbound)]
            schema["minItems"] = note.minItems
            schema["maxItems"] = note.maxItems
        case .object:
            schema = object(inner, description: nil, outbound: outbound)
        }
        if let description = note.description { schema["description"] = description }
        if let example = note.example, case .string = shape { schema["examples"] = [example] }
        return schema
    }

    static func string(_ note: FieldNote, name: String, required: Bool, outbound: OutboundPolicy) -> [String: Any] {
        var schema: [String: Any] = ["type": "string"]
        schema["enum"] = note.values
        schema["maxLength"] = note.maxLength
        switch note.format {
        case .email?:
            schema["pattern"] = D.trimmed(D.emailPattern, blankAllowed: !required)
        case .url?:
            schema["format"] = "uri"
            schema["pattern"] = D.trimmed(D.urlPattern, blankAllowed: !required)
        case .hostname?:
            schema["pattern"] = D.hostnamePattern
        case .uuid?:
            if required {
                schema["format"] = "uuid"
            } else {
                // An optional id left blank is read as absent, as all optional text is.
                schema["pattern"] = "^[ ]*([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}[ ]*)?$"
            }
        case .webhookURL?:
            schema["pattern"] = D.webhookURLPattern(outbound)
        case .pattern(let pattern)?:
            schema["pattern"] = pattern
        case nil where note.values == nil:
            schema["pattern"] = D.textPattern(longText: APIJSON.longTextFields.contains(name), required: required)
        case nil:
            break
        }
        return schema
    }

    /// The pattern the document gives a string field, which `ContractCheck` matches too.
    static func pattern(_ note: FieldNote, name: String, required: Bool, outbound: OutboundPolicy) -> String? {
        string(note, name: name, required: required, outbound: outbound)["pattern"] as? String
    }
}
