import Foundation
import TandemStore

/// An answer's schema, read from the type the handler encodes: an example of that type gives
/// the fields, their types and which may be absent or null (`ResponseShape`); the notes add
/// what a type cannot say — descriptions, the values a string takes, its format. The example
/// is shown in the document as well.
struct ResponseContract<Answer: Encodable & Sendable>: DocumentedResponse {
    let name: String
    let description: String?
    let example: Answer
    /// Keyed by field name; a field of a nested object as `counts.sent`, of a list's items as `refused.id`.
    let notes: [String: FieldNote]

    init(_ example: Answer, name: String, description: String? = nil, notes: [String: FieldNote] = [:]) {
        self.name = name
        self.description = description
        self.example = example
        self.notes = notes
    }

    var type: ObjectIdentifier { ObjectIdentifier(Answer.self) }

    var shape: ResponseValue { ResponseShape.of(example, path: name) }

    func schema(names: [ObjectIdentifier: String]) -> [String: Any] {
        var schema = ResponseRendering.node(shape, note: nil, path: "", notes: notes, names: names, root: true)
        schema["description"] = description
        if let data = try? ContractJSON.encoder.encode(example), let json = try? JSONSerialization.jsonObject(with: data) {
            schema["examples"] = [json]
        }
        return schema
    }
}

protocol DocumentedResponse: Sendable {
    var name: String { get }
    /// The Swift type it describes: a field of this type elsewhere is a `$ref` to `name`.
    var type: ObjectIdentifier { get }
    var shape: ResponseValue { get }
    var notes: [String: FieldNote] { get }
    func schema(names: [ObjectIdentifier: String]) -> [String: Any]
}

/// A response shape as JSON Schema (OpenAPI 3.1).
enum ResponseRendering {
    typealias D = OpenAPIDocument

    static func node(
        _ value: ResponseValue, note: FieldNote?, path: String, notes: [String: FieldNote], names: [ObjectIdentifier: String], root: Bool = false
    ) -> [String: Any] {
        var schema: [String: Any]
        switch value {
        case .string(let example):
            schema = ["type": "string"]
            // Every answer says what it is in `object`; its value is the type's constant.
            if path.split(separator: ".").last == "object" { schema["const"] = example }
            schema["enum"] = note?.values
            switch note?.format {
            case .url: schema["format"] = "uri"
            case .uuid: schema["format"] = "uuid"
            case .pattern(let pattern): schema["pattern"] = pattern
            default: break
            }
        case .integer:
            schema = ["type": "integer", "format": "int64"]
            schema["minimum"] = note?.minimum.map { Int($0) }
            schema["maximum"] = note?.maximum.map { Int($0) }
        case .number:
            schema = ["type": "number"]
        case .boolean:
            schema = ["type": "boolean"]
        case .date:
            schema = ["type": "string", "format": "date-time"]
            if note?.description == nil { schema["description"] = "ISO 8601, UTC." }
        case .uuid:
            schema = ["type": "string", "format": "uuid"]
        case .array(let items):
            var itemNote = note
            itemNote?.description = nil
            schema = ["type": "array", "items": node(items, note: itemNote, path: path, notes: notes, names: names)]
        case .object(let type, let fields):
            if !root, let name = names[type] {
                schema = D.ref(name)
                break
            }
            var properties: [String: Any] = [:]
            for field in fields {
                let fieldPath = path.isEmpty ? field.name : path + "." + field.name
                var property = node(field.value, note: notes[fieldPath], path: fieldPath, notes: notes, names: names)
                // A client should take null for a field that may be left out, as for one sent as null.
                if field.nullable || field.omittedWhenNil { property = D.nullable(property) }
                properties[field.name] = property
            }
            schema = ["type": "object", "properties": properties]
            let required = fields.filter { !$0.omittedWhenNil }.map(\.name).sorted()
            if !required.isEmpty { schema["required"] = required }
        }
        if let description = note?.description { schema["description"] = description }
        return schema
    }
}
