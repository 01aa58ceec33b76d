import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore

/// Calls the JSON API the way a vendor's server or a partner's script does.
struct APIClient: Sendable {
    struct Answer: @unchecked Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let text: String
        let json: Any?

        var object: [String: Any] { json as? [String: Any] ?? [:] }
        subscript(key: String) -> Any? { object[key] }
        var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
        var errorField: String? { (object["error"] as? [String: Any])?["field"] as? String }
        var data: [[String: Any]] { object["data"] as? [[String: Any]] ?? [] }
        func string(_ key: String) -> String? { object[key] as? String }
        func int(_ key: String) -> Int64? { (object[key] as? NSNumber)?.int64Value }
    }

    let client: any TestClientProtocol
    let key: String?

    func with(key: String?) -> APIClient { APIClient(client: client, key: key) }

    func send(_ method: HTTPRequest.Method, _ path: String, json: Any? = nil, idempotencyKey: String? = nil, rawBody: String? = nil) async throws -> Answer {
        var headers: HTTPFields = [:]
        if let key { headers[.authorization] = "Bearer \(key)" }
        if let idempotencyKey { headers[.init("Idempotency-Key")!] = idempotencyKey }
        var body: ByteBuffer?
        if let rawBody {
            body = ByteBuffer(string: rawBody)
        } else if let json {
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))
        }
        if body != nil { headers[.contentType] = "application/json" }
        let response = try await client.executeRequest(uri: path, method: method, headers: headers, body: body)
        let text = String(buffer: response.body)
        return Answer(status: response.status, headers: response.headers, text: text, json: try? JSONSerialization.jsonObject(with: Data(text.utf8)))
    }

    func get(_ path: String) async throws -> Answer { try await send(.get, path) }
    func post(_ path: String, _ json: Any, idempotencyKey: String? = nil) async throws -> Answer { try await send(.post, path, json: json, idempotencyKey: idempotencyKey) }
    func patch(_ path: String, _ json: Any) async throws -> Answer { try await send(.patch, path, json: json) }
    func delete(_ path: String) async throws -> Answer { try await send(.delete, path) }
}
