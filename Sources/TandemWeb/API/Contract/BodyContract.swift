import Foundation
import TandemDomain
import TandemIntegrations

/// A request body as the API takes it, stated once: the Swift type gives each field's JSON
/// type and whether it may be left out; the contract adds which fields are required, what
/// values and limits each takes, and its description. `APIJSON.decode(contract, from:)`
/// refuses every body the contract does not describe, and the OpenAPI document's
/// `components.schemas[name]` is rendered from the same contract, so the two cannot drift.
struct BodyContract<Body: Decodable>: DocumentedBody, Sendable {
    let name: String
    let description: String?
    let fields: [BodyField]
    let cases: [BodyCase]

    init(
        _ type: Body.Type, name: String, description: String? = nil, required: Set<String> = [], notes: [String: FieldNote] = [:],
        cases: [BodyCase] = []
    ) {
        let shapes = BodyShape.fields(of: type)
        let known = Set(shapes.map(\.name))
        // A note or a requirement naming a field the body does not have is a mistake in the
        // contract, found the first time the document is built (every test run builds it).
        for field in required.union(notes.keys.map { String($0.split(separator: ".")[0]) }) where !known.contains(field) {
            preconditionFailure("\(name): `\(field)` is not a field of \(type).")
        }
        for rule in cases where !known.contains(rule.field) || !rule.then.keys.allSatisfy(known.contains) {
            preconditionFailure("\(name): a case names a field \(type) does not have.")
        }
        self.name = name
        self.description = description
        self.cases = cases
        fields = shapes.map { shape in
            BodyField(shape: shape, note: notes[shape.name] ?? FieldNote(), required: required.contains(shape.name) || !shape.optional,
                      nested: notes.filter { $0.key.hasPrefix(shape.name + ".") })
        }
    }

    /// The body's JSON Schema, as the OpenAPI document holds it (a webhook URL's form depends
    /// on what the operator lets outbound requests reach).
    func schema(outbound: OutboundPolicy) -> [String: Any] {
        var schema = ContractRendering.object(fields, description: description, outbound: outbound)
        if !cases.isEmpty {
            schema["allOf"] = cases.map { rule -> [String: Any] in
                var properties: [String: Any] = [:]
                for (name, note) in rule.then {
                    let field = fields.first { $0.name == name }!
                    properties[name] = ContractRendering.node(field.shape.shape, note: field.note.refined(by: note), name: name, required: true, outbound: outbound)
                }
                return [
                    "if": ["properties": [rule.field: ["const": rule.value]], "required": [rule.field]] as [String: Any],
                    "then": ["properties": properties, "required": rule.then.keys.sorted()] as [String: Any],
                ]
            }
        }
        return schema
    }

    /// The body in `data`, or the API's 400 naming the field at fault: the amount bound first
    /// (a number past Int64 would otherwise be a type error), then the Swift type's decoding
    /// (types, times, ids), then every rule of the contract.
    func read(_ data: Data, outbound: OutboundPolicy) throws -> Body {
        do {
            let root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            if let root, let field = APIJSON.firstAmountPastTheLimit(in: root) {
                throw APIError(status: .badRequest, code: "amount_too_large", message: AmountLimit.message(field: field), field: field)
            }
            let value = try APIJSON.decoder.decode(Body.self, from: data)
            if let root, let violation = violation(in: root, outbound: outbound) { throw violation }
            return value
        } catch let error as APIError {
            throw error
        } catch let error as DecodingError {
            throw APIError.from(error)
        } catch {
            throw APIError(status: .badRequest, code: "invalid_json", message: "The body is not valid JSON.")
        }
    }

    func refusal(of data: Data, outbound: OutboundPolicy) -> APIError? {
        do {
            _ = try read(data, outbound: outbound)
            return nil
        } catch {
            return error as? APIError
        }
    }

    /// The first way `json` (the parsed body) breaks the contract, as the API's answer; nil when it keeps it.
    func violation(in json: Any, outbound: OutboundPolicy) -> APIError? {
        guard let object = json as? [String: Any] else {
            return APIError(status: .badRequest, code: "invalid_json", message: "Send a JSON object as the body.")
        }
        if let error = ContractCheck.object(object, fields: fields, path: "", outbound: outbound) { return error }
        for rule in cases where (object[rule.field] as? String).map(ContractCheck.trim) == rule.value {
            for (name, note) in rule.then.sorted(by: { $0.key < $1.key }) {
                let field = fields.first { $0.name == name }!
                let value = object[name]
                if ContractCheck.isAbsent(value) {
                    return APIError(status: .badRequest, code: "missing_field", message: "`\(name)` is required when `\(rule.field)` is `\(rule.value)`.", field: name)
                }
                if let error = ContractCheck.value(value!, shape: field.shape.shape, note: field.note.refined(by: note), required: true, path: name, outbound: outbound) {
                    return error
                }
            }
        }
        return nil
    }
}

/// One field of a body: its shape, its note, whether it is required.
struct BodyField: Sendable {
    let shape: FieldShape
    let note: FieldNote
    let required: Bool
    /// Notes of a nested object's fields, keyed `field.inner`.
    let nested: [String: FieldNote]

    var name: String { shape.name }

    /// The fields of a nested object, with their notes.
    var innerFields: [BodyField] {
        guard case .object(let inner) = shape.shape else { return [] }
        return inner.map { BodyField(shape: $0, note: nested[name + "." + $0.name] ?? FieldNote(), required: !$0.optional, nested: [:]) }
    }
}

/// A rule that holds when another field has one value: `kind: flat` requires `amount`.
struct BodyCase: Sendable {
    let field: String
    let value: String
    /// The fields required in this case, with what more they must be.
    let then: [String: FieldNote]
}

/// What the OpenAPI document lists of every request body (and what tests probe of it).
protocol DocumentedBody: Sendable {
    var name: String { get }
    var fields: [BodyField] { get }
    var cases: [BodyCase] { get }
    func schema(outbound: OutboundPolicy) -> [String: Any]
    func violation(in json: Any, outbound: OutboundPolicy) -> APIError?
    /// What the server answers a body of these bytes: nil when it takes it.
    func refusal(of data: Data, outbound: OutboundPolicy) -> APIError?
}
