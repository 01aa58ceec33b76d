import AsyncHTTPClient
import Foundation
import NIOCore

/// One signed POST of an event to an endpoint.
public struct WebhookRequest: Sendable {
    public var url: String
    public var headers: [(String, String)]
    public var body: String

    public init(url: String, headers: [(String, String)], body: String) {
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// What came back: a status and the first 2 KB of the answer, or why nothing did.
public struct WebhookResponse: Sendable, Equatable {
    public var status: Int?
    public var body: String?
    public var error: String?
    public var latencyMS: Int

    public init(status: Int?, body: String?, error: String?, latencyMS: Int) {
        self.status = status
        self.body = body
        self.error = error
        self.latencyMS = latencyMS
    }

    /// 2xx is success; a redirect is not followed and counts as a failure.
    public var succeeded: Bool { (200..<300).contains(status ?? 0) }
}

/// How webhook requests leave: over HTTP in production, recorded in tests.
public protocol WebhookTransport: Sendable {
    func send(_ request: WebhookRequest) async -> WebhookResponse
}

/// Sends over HTTP with the outbound policy: the host is resolved and every address checked
/// just before the request, the connection goes to a checked address (`PinnedClients`),
/// redirects are not followed, and an answer takes at most 10 s.
public struct HTTPWebhookTransport: WebhookTransport {
    public static let timeout: TimeAmount = .seconds(10)
    public static let keptBody = 2048

    /// Clients of its own: the shared one follows redirects, and a redirect could lead anywhere.
    static let clients = PinnedClients(timeout: .init(connect: .seconds(5), read: .seconds(10)))

    let policy: OutboundPolicy
    let resolve: @Sendable (String) async throws -> [[UInt8]]

    /// `resolve` is the system's resolver; tests give names addresses of their own.
    public init(policy: OutboundPolicy, resolve: @escaping @Sendable (String) async throws -> [[UInt8]] = OutboundAddress.resolve) {
        self.policy = policy
        self.resolve = resolve
    }

    public func send(_ request: WebhookRequest) async -> WebhookResponse {
        let started = ContinuousClock.now
        func elapsed() -> Int {
            let duration = ContinuousClock.now - started
            return Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        }
        let url: URLComponents
        switch policy.check(request.url) {
        case .failure(let refusal): return WebhookResponse(status: nil, body: nil, error: "refused: \(refusal.description)", latencyMS: 0)
        case .success(let checked): url = checked
        }
        do {
            let host = url.host ?? ""
            let address = try await policy.checkedAddress(host: host, resolve: resolve)
            var outgoing = HTTPClientRequest(url: request.url)
            outgoing.method = .POST
            for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
            outgoing.body = .bytes(ByteBuffer(string: request.body))
            let response = try await Self.clients.client(host: host, address: address).execute(outgoing, timeout: Self.timeout)
            var kept = ByteBuffer()
            for try await var chunk in response.body {
                let room = Self.keptBody - kept.readableBytes
                if room <= 0 { break }
                if var part = chunk.readSlice(length: min(room, chunk.readableBytes)) { kept.writeBuffer(&part) }
            }
            return WebhookResponse(status: Int(response.status.code), body: String(decoding: kept.readableBytesView, as: UTF8.self), error: nil, latencyMS: elapsed())
        } catch let refusal as OutboundRefusal {
            return WebhookResponse(status: nil, body: nil, error: refusal.description, latencyMS: elapsed())
        } catch {
            return WebhookResponse(status: nil, body: nil, error: "no answer: \(error)", latencyMS: elapsed())
        }
    }
}
