import Foundation
import Hummingbird

/// Reading a list's query filters: a value that cannot be what it names is a 400 naming
/// the parameter, never a silent "no filter".
enum APIQuery {
    static func string(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
    }

    static func bool(_ request: Request, _ name: String) throws -> Bool? {
        guard let raw = string(request, name) else { return nil }
        switch raw {
        case "true", "1": return true
        case "false", "0": return false
        default: throw APIError.invalid(name, "`\(name)` must be true or false.")
        }
    }

    /// An id filter: left out, no filter; present, it must be an id (`partnership=` with
    /// nothing after it is a 400 too, as the document's `format: uuid` says).
    static func id(_ request: Request, _ name: String, what: String) throws -> UUID? {
        guard let raw = request.uri.queryParameters[Substring(name)].map(String.init) else { return nil }
        guard let id = UUID(uuidString: raw) else { throw APIError.invalid(name, "`\(name)` must be \(what) id.") }
        return id
    }

    /// An enum filter: left out, no filter; present (empty included), it must be one of the values.
    static func value<T: RawRepresentable & CaseIterable>(_ request: Request, _ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard let raw = request.uri.queryParameters[Substring(name)].map(String.init) else { return nil }
        guard let value = T(rawValue: raw) else {
            throw APIError.invalid(name, "`\(name)` must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return value
    }
}
