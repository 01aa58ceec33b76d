import Foundation
import Hummingbird
import NIOCore

/// JSON as the API speaks it: snake_case keys, ISO 8601 times in UTC.
enum APIJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(.iso8601))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

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

    /// Decodes the request body, turning every decoding failure into a 400 that names the field.
    static func decode<T: Decodable>(_ type: T.Type, from context: AppRequestContext) throws -> T {
        guard let body = context.apiBody, body.readableBytes > 0 else {
            throw APIError(status: .badRequest, code: "invalid_json", message: "Send a JSON object as the body.")
        }
        do {
            return try decoder.decode(type, from: Data(buffer: body))
        } catch let error as DecodingError {
            throw APIError.from(error)
        } catch {
            throw APIError(status: .badRequest, code: "invalid_json", message: "The body is not valid JSON.")
        }
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
