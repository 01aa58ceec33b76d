import Foundation
import Hummingbird
import Synchronization

/// An endpoint on 127.0.0.1 that receives webhooks: `POST /hook` records and answers 200,
/// `POST /redirect` answers 302 to the cloud metadata address, `POST /slow` answers after `delay`.
public final class FakeWebhookReceiver: Sendable {
    let server: FakeHTTPServer
    private let recorded: Mutex<[RecordedRequest]>

    private init(server: FakeHTTPServer) {
        self.server = server
        self.recorded = Mutex([])
    }

    public var url: String { server.url }
    public var requests: [RecordedRequest] { recorded.withLock { $0 } }

    public static func start(delay: Duration = .seconds(30)) async throws -> FakeWebhookReceiver {
        let box = FakeBox<FakeWebhookReceiver>()
        let router = Router()
        router.post("hook") { request, _ -> Response in
            let (record, _) = try await FakeHTTP.read(request)
            let receiver = try box.get()
            receiver.recorded.withLock { $0.append(record) }
            return FakeHTTP.raw(200, Data("received".utf8))
        }
        router.post("redirect") { _, _ -> Response in
            FakeHTTP.raw(302, Data(), extraHeaders: ["Location": "http://169.254.169.254/latest/meta-data/"])
        }
        router.post("slow") { _, _ -> Response in
            try await Task.sleep(for: delay)
            return FakeHTTP.raw(200, Data())
        }
        let server = try await FakeHTTPServer.start(name: "webhook-receiver", router: router)
        let receiver = FakeWebhookReceiver(server: server)
        box.set(receiver)
        return receiver
    }

    public func stop() async { await server.stop() }
}
