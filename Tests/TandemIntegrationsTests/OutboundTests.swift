import Foundation
import Synchronization
import TandemIntegrations
import TandemTestSupport
import Testing

/// Webhooks and postbacks go where their owner says, except into the network Tandem runs in.
@Suite struct OutboundTests {
    @Test func privateLoopbackLinkLocalAndMetadataAddressesAreRefused() {
        for host in ["127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "169.254.0.1",
                     "100.64.0.1", "100.127.255.255", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1",
                     "fd00:ec2::254", "ff02::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a00:1"] {
            let bytes = OutboundAddress.literal(host)
            #expect(bytes != nil, "\(host) parses")
            #expect(bytes.flatMap(OutboundAddress.refusal) != nil, "\(host) is refused")
        }
        for host in ["93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"] {
            #expect(OutboundAddress.literal(host).flatMap(OutboundAddress.refusal) == nil, "\(host) is public")
        }
        #expect(OutboundAddress.literal("hooks.example.com") == nil, "a name is not a literal")
        #expect(OutboundAddress.refusal([169, 254, 169, 254]) == "the cloud metadata address")
    }

    @Test func aNameThatResolvesToLoopbackIsRefusedWhenSending() async throws {
        // localhost resolves through the system resolver (/etc/hosts), as any name would.
        await #expect(throws: OutboundRefusal.self) { try await OutboundPolicy.strict.checkedAddress(host: "localhost") }
        #expect(try await OutboundPolicy(allowPrivate: true).checkedAddress(host: "localhost") == "127.0.0.1")
        let strict = HTTPWebhookTransport(policy: OutboundPolicy(allowHTTP: true))
        let receiver = try await FakeWebhookReceiver.start()
        // The same server, reached by a name: refused before any connection is made.
        let byName = receiver.url.replacingOccurrences(of: "127.0.0.1", with: "localhost") + "/hook"
        let refused = await strict.send(WebhookRequest(url: byName, headers: [], body: "{}"))
        #expect(refused.status == nil && refused.error?.contains("refused") == true, "\(String(describing: refused.error))")
        #expect(receiver.requests.isEmpty)
        await receiver.stop()
    }

    /// DNS rebinding: a name can answer a public address to the check and a private one to the
    /// connection's own lookup. The connection goes to the address the check was given.
    @Test func theConnectionGoesToTheAddressThatWasChecked() async throws {
        let receiver = try await FakeWebhookReceiver.start()
        let port = receiver.url.split(separator: ":").last.map(String.init) ?? ""
        // No resolver knows this name: the request can only arrive through the checked address.
        let lookups = Counter()
        let pinned = HTTPWebhookTransport(policy: OutboundPolicy(allowHTTP: true, allowPrivate: true)) { host in
            lookups.add()
            return host == "hooks.rebind.test" ? [[0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1], [127, 0, 0, 1]] : []
        }
        let sent = await pinned.send(WebhookRequest(url: "http://hooks.rebind.test:\(port)/hook", headers: [], body: "{}"))
        #expect(sent.status == 200 && sent.succeeded, "\(String(describing: sent.error))")
        #expect(lookups.value == 1, "one lookup, the checked one")
        #expect(receiver.requests.count == 1)

        // The strict policy refuses the same answer before connecting.
        let strict = HTTPWebhookTransport(policy: OutboundPolicy(allowHTTP: true)) { _ in [[127, 0, 0, 1]] }
        let refused = await strict.send(WebhookRequest(url: "http://hooks.rebind.test:\(port)/hook", headers: [], body: "{}"))
        #expect(refused.status == nil && refused.error?.contains("resolves to 127.0.0.1") == true, "\(String(describing: refused.error))")
        #expect(receiver.requests.count == 1, "nothing more arrived")
        await receiver.stop()
    }

    @Test func aRedirectIsNotFollowedAndASlowAnswerTimesOut() async throws {
        let receiver = try await FakeWebhookReceiver.start(delay: .seconds(15))
        let local = HTTPWebhookTransport(policy: OutboundPolicy(allowHTTP: true, allowPrivate: true))
        let delivered = await local.send(WebhookRequest(url: receiver.url + "/hook", headers: [("webhook-id", "msg_1")], body: #"{"type":"webhook.test"}"#))
        #expect(delivered.status == 200 && delivered.succeeded && delivered.body == "received")
        #expect(receiver.requests.first?.header("webhook-id") == "msg_1" && receiver.requests.first?.body == #"{"type":"webhook.test"}"#)

        let redirected = await local.send(WebhookRequest(url: receiver.url + "/redirect", headers: [], body: "{}"))
        #expect(redirected.status == 302 && !redirected.succeeded, "the 302 is the answer: the metadata address is never asked")

        let slow = await local.send(WebhookRequest(url: receiver.url + "/slow", headers: [], body: "{}"))
        #expect(slow.status == nil && slow.error != nil && !slow.succeeded)
        #expect(slow.latencyMS >= 9_000 && slow.latencyMS < 14_000, "given up after 10 s: \(slow.latencyMS) ms")
        await receiver.stop()
    }

    @Test func signaturesFollowStandardWebhooks() {
        // The specification's own example (standard-webhooks/standard-webhooks, spec and test vectors).
        let signature = WebhookSignature.sign(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1614265330, body: #"{"test": 2432232314}"#,
            secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(WebhookSignature.header(id: "a", timestamp: 1, body: "b", secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "not base64!"]).split(separator: " ").count == 1)
    }
}

/// Counts calls from a `@Sendable` closure.
final class Counter: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
