import Foundation
import Synchronization
import TandemIntegrations

/// A webhook receiver in memory: records every request and answers what the test queued
/// (200 once the queue is empty). `nil` in the queue is a request that got no answer.
final class RecordingTransport: WebhookTransport, Sendable {
    struct Received: Sendable {
        let url: String
        let headers: [String: String]
        let body: String

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
        var type: String { json["type"] as? String ?? "" }
        var data: [String: Any] { json["data"] as? [String: Any] ?? [:] }
    }

    private let state = Mutex<(received: [Received], answers: [Int?])>(([], []))

    func answer(_ statuses: Int?...) { state.withLock { $0.answers.append(contentsOf: statuses) } }

    var received: [Received] { state.withLock { $0.received } }

    func received(at url: String) -> [Received] { received.filter { $0.url == url } }

    func send(_ request: WebhookRequest) async -> WebhookResponse {
        let status: Int? = state.withLock { state in
            state.received.append(Received(url: request.url, headers: Dictionary(request.headers, uniquingKeysWith: { $1 }), body: request.body))
            return state.answers.isEmpty ? 200 : state.answers.removeFirst()
        }
        guard let status else { return WebhookResponse(status: nil, body: nil, error: "no answer: timed out", latencyMS: 10_000) }
        return WebhookResponse(status: status, body: status == 200 ? "ok" : "upstream broke", error: nil, latencyMS: 12)
    }
}
