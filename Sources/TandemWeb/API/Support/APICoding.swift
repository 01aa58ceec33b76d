import Foundation
import Hummingbird
import NIOCore
import TandemDomain
import TandemIntegrations
import TandemStore

/// JSON as the API speaks it: snake_case keys, ISO 8601 times in UTC.
enum APIJSON {
    static let encoder = ContractJSON.encoder

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = try? Date(text, strategy: .iso8601) { return date }
            if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "Use an ISO 8601 time like 2026-11-21T09:30:00Z."))
        }
        return decoder
    }()

    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Decodes the request body as its contract states it, turning every failure into a 400
    /// that names the field: the body's type, and then every rule the contract (and so the
    /// OpenAPI document) gives its fields.
    static func decode<T>(_ contract: BodyContract<T>, from context: AppRequestContext, outbound: OutboundPolicy = .strict) throws -> T {
        guard let body = context.apiBody, body.readableBytes > 0 else {
            throw APIError(status: .badRequest, code: "invalid_json", message: "Send a JSON object as the body.")
        }
        return try contract.read(Data(buffer: body), outbound: outbound)
    }
}

extension APIJSON {
    /// Fields people write paragraphs in: line breaks and tabs are kept there, refused elsewhere.
    static let longTextFields: Set<String> = ["description", "reason", "body", "message", "notes"]

    /// Whether a field holds an amount of money in minor units: `amount`, `…_amount`, `min_withdrawal`.
    static func isAmountField(_ key: String) -> Bool {
        key == "amount" || key.hasSuffix("_amount") || key == "min_withdrawal"
    }

    /// The path of the first amount field past `AmountLimit`, or nil: every amount the API
    /// takes is bounded here, before any handler adds it to anything.
    static func firstAmountPastTheLimit(in root: Any) -> String? {
        return firstPath(in: root) { key, value in
            guard isAmountField(key), let number = value as? NSNumber, !(value is Bool) else { return false }
            return number.doubleValue.magnitude > Double(AmountLimit.maximum)
        }
    }

    /// The path of the first value (depth first, keys in order) for which `test(key, value)` holds.
    static func firstPath(in root: Any, where test: (String, Any) -> Bool) -> String? {
        func visit(_ value: Any, path: String, key: String) -> String? {
            if test(key, value) { return path }
            switch value {
            case let object as [String: Any]:
                for (name, child) in object.sorted(by: { $0.key < $1.key }) {
                    if let found = visit(child, path: path.isEmpty ? name : path + "." + name, key: name) { return found }
                }
            case let array as [Any]:
                for (index, child) in array.enumerated() {
                    if let found = visit(child, path: path + "[\(index)]", key: key) { return found }
                }
            default:
                break
            }
            return nil
        }
        return visit(root, path: "", key: "")
    }
}

extension APIError {
    static func from(_ error: DecodingError) -> APIError {
        func field(_ path: [any CodingKey]) -> String? {
            let names = path.map { $0.intValue.map { "[\($0)]" } ?? snake($0.stringValue) }
            return names.isEmpty ? nil : names.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let name = field(context.codingPath + [key]) ?? snake(key.stringValue)
            return APIError(status: .badRequest, code: "missing_field", message: "`\(name)` is required.", field: name)
        case .typeMismatch(let type, let context):
            let name = field(context.codingPath)
            return APIError(status: .badRequest, code: "invalid_field", message: "`\(name ?? "body")` must be \(describe(type)).", field: name)
        case .valueNotFound(let type, let context):
            let name = field(context.codingPath)
            return APIError(status: .badRequest, code: "invalid_field", message: "`\(name ?? "body")` must be \(describe(type)), not null.", field: name)
        case .dataCorrupted(let context):
            let name = field(context.codingPath)
            if name == nil { return APIError(status: .badRequest, code: "invalid_json", message: "The body is not valid JSON.") }
            return APIError(status: .badRequest, code: "invalid_field", message: "`\(name!)`: \(context.debugDescription)", field: name)
        @unknown default:
            return APIError(status: .badRequest, code: "invalid_json", message: "The body could not be read.")
        }
    }

    static func snake(_ name: String) -> String {
        var out = ""
        for character in name {
            if character.isUppercase { out += "_" + character.lowercased() } else { out.append(character) }
        }
        return out
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: "of another type"
        }
    }

    static func invalid(_ field: String, _ message: String) -> APIError {
        APIError(status: .badRequest, code: "invalid_field", message: message, field: field)
    }

    static func notFound(_ what: String) -> APIError {
        APIError(status: .notFound, code: "not_found", message: "No \(what) with that id is yours.")
    }
}
