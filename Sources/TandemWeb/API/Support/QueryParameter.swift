import Foundation
import Hummingbird

/// One query parameter of the API, stated once: its handler reads it with `read(_:)` and the
/// OpenAPI document lists `document`, from the same name, kind, values and requiredness. A value
/// that cannot be what it names is a 400 naming the parameter, never a silent "no filter".
struct QueryParameter<Value: Sendable>: Sendable {
    let name: String
    let description: String
    let required: Bool
    /// Its JSON Schema, before the checks every input gets (`OpenAPIDocument.constrained`).
    let schema: @Sendable () -> [String: Any]
    /// Text: blank (`?program=`) is read as left out. Anything else: blank is refused like any bad value.
    let blankIsAbsent: Bool
    /// nil: refused with `refusal`. May throw its own, more precise refusal.
    let parse: @Sendable (String) throws -> Value?
    let refusal: String

    /// The value, nil when left out; 400 `invalid_field` when it is not one, `missing_field` when required and left out.
    func read(_ request: Request) throws -> Value? {
        let raw = request.uri.queryParameters[Substring(name)].map(String.init)
        guard let raw, !(blankIsAbsent && raw.trimmingCharacters(in: .whitespaces).isEmpty) else {
            if required { throw missing }
            return nil
        }
        guard let value = try parse(raw) else { throw APIError.invalid(name, refusal) }
        return value
    }

    /// The value of a required parameter.
    func value(_ request: Request) throws -> Value {
        guard let value = try read(request) else { throw missing }
        return value
    }

    private var missing: APIError {
        APIError(status: .badRequest, code: "missing_field", message: "`\(name)` is required: \(description)", field: name)
    }

    /// This parameter, required (left out or blank: 400 `missing_field`).
    var isRequired: QueryParameter {
        QueryParameter(name: name, description: description, required: true, schema: schema, blankIsAbsent: blankIsAbsent, parse: parse, refusal: refusal)
    }

    /// As the OpenAPI document lists it.
    var document: [String: Any] {
        [
            "name": name, "in": "query", "required": required, "description": description,
            "schema": OpenAPIDocument.constrained(schema(), field: name, required: required),
        ]
    }
}

extension QueryParameter where Value == String {
    /// Free text; blank is left out.
    static func text(_ name: String, _ description: String) -> QueryParameter {
        QueryParameter(name: name, description: description, required: false, schema: { OpenAPIDocument.string() }, blankIsAbsent: true,
                       parse: { $0 }, refusal: "`\(name)` must be text.")
    }
}

extension QueryParameter where Value == UUID {
    /// An id: present (blank included), it must be one.
    static func id(_ name: String, _ description: String, what: String, refusal: String? = nil) -> QueryParameter {
        QueryParameter(name: name, description: description, required: false, schema: { OpenAPIDocument.uuid }, blankIsAbsent: false,
                       parse: { UUID(uuidString: $0) }, refusal: refusal ?? "`\(name)` must be \(what) id.")
    }
}

extension QueryParameter where Value == Bool {
    static func flag(_ name: String, _ description: String) -> QueryParameter {
        QueryParameter(name: name, description: description, required: false, schema: { OpenAPIDocument.boolean(defaultValue: false) }, blankIsAbsent: false,
                       parse: { ["true": true, "1": true, "false": false, "0": false][$0] }, refusal: "`\(name)` must be true or false.")
    }
}

extension QueryParameter where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
    /// One of an enum's values: present (blank included), it must be one.
    static func oneOf(_ name: String, _ type: Value.Type, _ description: String) -> QueryParameter {
        let values = Value.allCases.map(\.rawValue)
        return QueryParameter(name: name, description: description, required: false, schema: { OpenAPIDocument.string(values: values) }, blankIsAbsent: false,
                              parse: { Value(rawValue: $0) }, refusal: "`\(name)` must be one of \(values.joined(separator: ", ")).")
    }
}

/// Filters more than one list takes.
enum QueryFilters {
    static let program = QueryParameter.text("program", "Only this program (its slug).")
    static let partnership = QueryParameter.id("partnership", "Only this partnership (its id).", what: "a partnership")
}
