import Crypto
import FluentKit
import Foundation
import Hummingbird
import TandemDomain
import TandemIntegrations
import TandemJobs
import TandemOperations
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

/// Every event type reaches the endpoints that should hear it, once, signed; nothing reaches
/// another company or another partner; nothing is sent for a change that rolled back.
@Suite struct WebhookEventsTests {
    static let vendorURL = "https://hooks.acme.example/tandem"
    static let otherURL = "https://hooks.globex.example/tandem"
    static let patURL = "https://pat.example/postback"
    static let samURL = "https://sam.example/postback"

    func service(_ t: TestEnvironment, _ transport: RecordingTransport) -> WebhookService {
        WebhookService(store: t.store, transport: transport, now: t.clock.function)
    }

    /// Creates an endpoint for every event; returns its secret.
    func subscribe(_ client: APIClient, _ path: String, _ url: String) async throws -> String {
        let made = try await client.post(path, ["url": url, "events": WebhookEventType.subscribable.map(\.rawValue), "description": "all"])
        guard made.status == .created, let secret = made.string("secret") else { throw TestFailure("subscribe: \(made.status) \(made.text)") }
        return secret
    }

    /// Standard Webhooks: base64 HMAC-SHA256 of "id.timestamp.body" keyed by the secret's bytes.
    func expectedSignature(_ received: RecordingTransport.Received, secret: String) -> String {
        let key = SymmetricKey(data: Data(base64Encoded: String(secret.dropFirst("whsec_".count)))!)
        let signed = "\(received.headers["webhook-id"]!).\(received.headers["webhook-timestamp"]!).\(received.body)"
        return "v1," + Data(HMAC<SHA256>.authenticationCode(for: Data(signed.utf8), using: key)).base64EncodedString()
    }

    @Test func everyEventTypeReachesItsOwnersOnceSignedAndNoOneElse() async throws {
        try await TestApp.with { t in
            let transport = RecordingTransport()
            let acme = try await t.vendor("Acme")
            let globex = try await t.vendor("Globex")
            try await t.program(acme, extra: ["features": ["leads": true, "deals": true], "hold_days": 1])
            _ = try await acme.post("/api/v1/programs/acme/reward-rules", ["trigger": "signup", "kind": "flat", "amount": 500])
            _ = try await acme.post("/api/v1/programs/acme/reward-rules", ["trigger": "transaction", "kind": "percent", "percent": 10])
            try await TestApp.makePartner(email: "pat@example.com", store: t.store, clock: t.clock)
            try await TestApp.makePartner(email: "sam@example.com", store: t.store, clock: t.clock)
            let patKey = try await t.partnerKey(email: "pat@example.com")
            let samKey = try await t.partnerKey(email: "sam@example.com")
            let vendorSecret = try await subscribe(acme, "/api/v1/webhooks", Self.vendorURL)
            _ = try await subscribe(globex, "/api/v1/webhooks", Self.otherURL)
            let patSecret = try await subscribe(patKey, "/api/v1/partner/postbacks", Self.patURL)
            _ = try await subscribe(samKey, "/api/v1/partner/postbacks", Self.samURL)

            // Every kind of change, through the API as a vendor's and a partner's systems make them.
            let pat = try await t.enrol(acme, email: "pat@example.com")
            let sam = try await t.enrol(acme, email: "sam@example.com")
            _ = try await acme.post("/api/v1/customers", ["program": "acme", "key": "c1", "email": "dana@buyer.example", "partner_key": pat.key])
            _ = try await acme.post("/api/v1/customers", ["program": "acme", "key": "c2", "email": "eve@buyer.example", "partner_key": sam.key])
            _ = try await acme.post("/api/v1/transactions", ["program": "acme", "customer_key": "c1", "external_id": "ch_1", "amount": 10_000, "currency": "USD"])
            _ = try await acme.post("/api/v1/transactions", ["program": "acme", "customer_key": "c1", "external_id": "ch_2", "amount": 2_000, "currency": "USD"])
            _ = try await acme.post("/api/v1/transactions/ch_2/refunds", ["program": "acme"])
            let lead = try await acme.post("/api/v1/leads", ["program": "acme", "partner_key": pat.key, "email": "lee@lead.example", "name": "Lee"])
            _ = try await acme.patch("/api/v1/leads/\(lead.string("id") ?? "")", ["status": "qualified"])
            let deal = try await acme.post("/api/v1/deals", ["program": "acme", "partner_key": pat.key, "name": "Big", "amount": 5000, "currency": "USD"])
            _ = try await acme.patch("/api/v1/deals/\(deal.string("id") ?? "")", ["stage": "won"])
            _ = try await acme.post("/api/v1/messages", ["partnership": pat.id, "body": "Welcome aboard"])
            t.clock.advance(by: 2 * 86_400)
            #expect(try await RewardReleaseService(store: t.store, now: t.clock.function).runOnce() > 0)
            _ = try await patKey.send(.put, "/api/v1/partner/payout-method", json: ["provider": "paypal", "paypal_email": "pat@paypal.example"])
            let withdrawal = try await patKey.post("/api/v1/partner/withdrawals", ["currency": "USD"])
            #expect(withdrawal.status == .created, "\(withdrawal.text)")
            _ = try await acme.post("/api/v1/withdrawals/\(withdrawal.string("id") ?? "")/mark-paid", ["reference": "BANK-1"])
            _ = try await acme.patch("/api/v1/partnerships/\(sam.id)", ["status": "archived"])

            let service = service(t, transport)
            #expect(try await service.runOnce() > 0)
            #expect(try await service.runOnce() == 0, "a second pass sends nothing again")

            let vendor = transport.received(at: Self.vendorURL)
            #expect(Set(vendor.map(\.type)) == Set(WebhookEventType.subscribable.map(\.rawValue)), "the vendor hears every event type")
            let ids = vendor.compactMap { $0.headers["webhook-id"] }
            #expect(Set(ids).count == ids.count, "each event once")
            for received in vendor {
                #expect(received.headers["webhook-signature"] == expectedSignature(received, secret: vendorSecret))
                #expect(received.headers["content-type"] == "application/json")
            }
            let created = vendor.first { $0.type == "customer.created" && $0.data["key"] as? String == "c1" }
            #expect(created?.data["email"] as? String == "dana@buyer.example", "the vendor sees its customer in full")
            // The data is the object the API answers: the transaction carries its rewards.
            let payment = vendor.first { $0.type == "transaction.created" && $0.data["external_id"] as? String == "ch_1" }
            #expect((payment?.data["rewards"] as? [[String: Any]])?.first?["amount"] as? Int == 1000)
            let declined = vendor.first { $0.type == "reward.updated" && $0.data["status"] as? String == "declined" }
            #expect(declined?.data["previous_status"] as? String == "pending" && declined?.data["reason"] as? String == "refunded")
            // A receiver hears of a payment before the rewards it earned, and of a refund before the rewards it takes back.
            let paymentAt = vendor.firstIndex { $0.type == "transaction.created" && $0.data["external_id"] as? String == "ch_1" }
            let earnedAt = vendor.firstIndex { $0.type == "reward.created" && $0.data["transaction_id"] as? String != nil
                && $0.data["transaction_id"] as? String == payment?.data["id"] as? String }
            #expect(paymentAt != nil && earnedAt != nil && paymentAt! < earnedAt!, "transaction.created at \(String(describing: paymentAt)), its reward at \(String(describing: earnedAt))")
            let refundAt = vendor.firstIndex { $0.type == "refund.created" }
            let declinedAt = vendor.firstIndex { $0.type == "reward.updated" && $0.data["status"] as? String == "declined" }
            #expect(refundAt != nil && declinedAt != nil && refundAt! < declinedAt!, "refund.created at \(String(describing: refundAt)), the declined reward at \(String(describing: declinedAt))")
            // Moves of many rewards at once (holds ended, a withdrawal paid) tell of each reward.
            let released = vendor.filter { $0.type == "reward.updated" && $0.data["reason"] as? String == "hold period ended" }
            #expect(!released.isEmpty && released.allSatisfy { $0.data["previous_status"] as? String == "pending" && $0.data["status"] as? String == "available" })
            let paid = vendor.filter { $0.type == "reward.updated" && $0.data["status"] as? String == "paid" }
            #expect(!paid.isEmpty && paid.allSatisfy { $0.data["previous_status"] as? String == "available" })
            #expect(Set(paid.compactMap { $0.data["id"] as? String }).count == paid.count, "one event per reward paid")
            #expect(transport.received(at: Self.otherURL).isEmpty, "another company hears nothing")

            let patEvents = transport.received(at: Self.patURL)
            #expect(!patEvents.isEmpty)
            for received in patEvents {
                #expect(received.headers["webhook-signature"] == expectedSignature(received, secret: patSecret))
                #expect(!received.body.contains(sam.id.lowercased()) && !received.body.contains(sam.id.uppercased()), "never another partner's event")
                #expect(!received.body.contains("eve@buyer.example"))
            }
            let patCustomer = patEvents.first { $0.type == "customer.created" }
            #expect(patCustomer?.data["email"] as? String == "d***@buyer.example", "a partner sees the customer's email masked")
            #expect(patEvents.contains { $0.type == "withdrawal.updated" && $0.data["status"] as? String == "paid" })
            let samEvents = transport.received(at: Self.samURL)
            #expect(samEvents.contains { $0.type == "partnership.updated" && $0.data["status"] as? String == "archived" })
            #expect(samEvents.allSatisfy { !$0.body.contains("dana@") && !$0.body.contains("d***@") && !$0.body.contains("Welcome aboard") })
        }
    }

    /// A partial refund keeps a reward's status and lowers its amount: that change is news too.
    @Test func aPartialRefundTellsOfTheSmallerReward() async throws {
        try await TestApp.with { t in
            let transport = RecordingTransport()
            let acme = try await t.vendor("Acme")
            try await t.program(acme)
            _ = try await acme.post("/api/v1/programs/acme/reward-rules", ["trigger": "transaction", "kind": "percent", "percent": 10])
            try await TestApp.makePartner(email: "pat@example.com", store: t.store, clock: t.clock)
            let pat = try await t.enrol(acme, email: "pat@example.com")
            _ = try await acme.post("/api/v1/customers", ["program": "acme", "key": "c1", "partner_key": pat.key])
            _ = try await acme.post("/api/v1/transactions", ["program": "acme", "customer_key": "c1", "external_id": "ch_1", "amount": 10_000, "currency": "USD"])
            _ = try await subscribe(acme, "/api/v1/webhooks", Self.vendorURL)
            let refund = try await acme.post("/api/v1/transactions/ch_1/refunds", ["program": "acme", "amount": 4_000])
            #expect(refund.status == .created, "\(refund.text)")

            #expect(try await service(t, transport).runOnce() > 0)
            let updated = transport.received(at: Self.vendorURL).filter { $0.type == "reward.updated" }
            #expect(updated.count == 1)
            #expect(updated.first?.data["amount"] as? Int == 600)
            #expect(updated.first?.data["status"] as? String == "pending" && updated.first?.data["previous_status"] as? String == "pending")
            #expect(updated.first?.data["reason"] as? String == "refunded in part (1000 to 600)")
            let audit = try await MoneyEvent.query(on: t.store.db).filter(\.$subject == "reward").filter(\.$reason == "refunded in part (1000 to 600)").all()
            #expect(audit.count == 1 && audit.first?.actor.hasPrefix("vendor:") == true)
        }
    }

    @Test func aChangeThatRollsBackSendsNothing() async throws {
        try await TestApp.with { t in
            let transport = RecordingTransport()
            let acme = try await t.vendor("Acme")
            try await t.program(acme)
            _ = try await subscribe(acme, "/api/v1/webhooks", Self.vendorURL)
            struct Abandoned: Error {}
            guard let program = try await Program.query(on: t.store.db).first() else { throw TestFailure("program") }
            await #expect(throws: Abandoned.self) {
                try await t.store.db.transaction { db in
                    _ = try await Signups.record(.init(key: "gone"), program: program, recorder: t.tracking.recorder, actor: .system("test"), now: t.clock.now, on: db)
                    throw Abandoned()
                }
            }
            _ = try await acme.post("/api/v1/customers", ["program": "acme", "key": "kept"])
            #expect(try await service(t, transport).runOnce() == 1)
            #expect(transport.received.map { $0.data["key"] as? String } == ["kept"])
        }
    }

    @Test func eventsNobodyHearsAreDrainedInOnePassHoweverMany() async throws {
        try await TestApp.with { t in
            try await t.store.db.transaction { db in
                for n in 0..<1_200 {
                    try await EventOutbox.record(.customerCreated, companyID: UUID(), partnerAccountID: nil, data: ["n": n], at: t.clock.now, on: db)
                }
            }
            _ = try await service(t, RecordingTransport()).runOnce()
            #expect(try await WebhookEvent.query(on: t.store.db).count() == 0, "more than one batch, all gone in one pass")
        }
    }

    /// Deletes the endpoint while its delivery is on its way, as a user on the page could.
    struct DeletingTransport: WebhookTransport {
        let store: Store
        let owner: WebhookOwner
        let endpointID: UUID

        func send(_ request: WebhookRequest) async -> WebhookResponse {
            try? await WebhookEndpoints.delete(owner: owner, id: endpointID, on: store.db)
            return WebhookResponse(status: 200, body: "ok", error: nil, latencyMS: 1)
        }
    }

    @Test func anEndpointDeletedWhileSendingLeavesNothingBehindAndBreaksNothing() async throws {
        try await TestApp.with { t in
            let acme = try await t.vendor("Acme")
            try await t.program(acme)
            let made = try await acme.post("/api/v1/webhooks", ["url": Self.vendorURL, "events": ["customer.created"]])
            guard let id = made.string("id").flatMap(UUID.init(uuidString:)),
                  let companyID = try await WebhookEndpoint.find(id, on: t.store.db)?.companyID else { throw TestFailure("endpoint") }
            _ = try await acme.post("/api/v1/customers", ["program": "acme", "key": "c1"])
            let transport = DeletingTransport(store: t.store, owner: .company(companyID), endpointID: id)
            #expect(try await WebhookService(store: t.store, transport: transport, now: t.clock.function).runOnce() == 1)
            #expect(try await WebhookEndpoint.query(on: t.store.db).count() == 0)
            #expect(try await WebhookAttempt.query(on: t.store.db).count() == 0)
        }
    }

    @Test func aDeliveryThatFailsTwiceIsRetriedWithBackoffAndLogged() async throws {
        try await TestApp.with { t in
            let transport = RecordingTransport()
            transport.answer(500, nil)
            let acme = try await t.vendor("Acme")
            try await t.program(acme)
            let made = try await acme.post("/api/v1/webhooks", ["url": Self.vendorURL, "events": ["customer.created"]])
            let endpoint = made.string("id") ?? ""
            _ = try await acme.post("/api/v1/customers", ["program": "acme", "key": "c1"])
            let service = service(t, transport)
            #expect(try await service.runOnce() == 1)
            #expect(try await service.runOnce() == 0, "not due again at once")
            t.clock.advance(by: 20)
            #expect(try await service.runOnce() == 1, "retried after about 15 s")
            t.clock.advance(by: 20)
            #expect(try await service.runOnce() == 0, "the second wait is longer (about 30 s)")
            t.clock.advance(by: 20)
            #expect(try await service.runOnce() == 1)
            #expect(transport.received.count == 3)
            #expect(Set(transport.received.compactMap { $0.headers["webhook-id"] }).count == 1, "a retry keeps the event's id")

            let log = try await acme.get("/api/v1/webhooks/\(endpoint)/deliveries")
            #expect(log.data.count == 1)
            #expect(log.data.first?["status"] as? String == "succeeded")
            #expect(log.data.first?["attempts"] as? Int == 3)
            #expect(log.data.first?["response_status"] as? Int == 200)
            let attempts = try await WebhookAttempt.query(on: t.store.db).sort(\.$attemptedAt).all()
            #expect(attempts.map(\.responseStatus) == [500, nil, 200])
            #expect(attempts[0].responseBody == "upstream broke" && attempts[1].error?.contains("timed out") == true)

            // Redeliver sends the same event again, as a new delivery.
            let again = try await acme.post("/api/v1/webhooks/\(endpoint)/deliveries/\(log.data.first?["id"] as? String ?? "")/redeliver", [String: Any]())
            #expect(again.status == .accepted)
            #expect(try await service.runOnce() == 1)
            #expect(transport.received.count == 4 && transport.received[3].body == transport.received[0].body)
        }
    }

    @Test func anEndpointFailingFiftyTimesInARowIsDisabledAndItsOwnerMailed() async throws {
        try await TestApp.with { t in
            let transport = RecordingTransport()
            let acme = try await t.vendor("Acme")
            try await t.program(acme)
            let endpointID = try await acme.post("/api/v1/webhooks", ["url": Self.vendorURL, "events": ["customer.created"]]).string("id") ?? ""
            guard let endpoint = try await WebhookEndpoint.find(UUID(uuidString: endpointID), on: t.store.db) else { throw TestFailure("endpoint") }
            endpoint.consecutiveFailures = 49
            try await endpoint.save(on: t.store.db)
            transport.answer(503)
            _ = try await acme.post("/api/v1/customers", ["program": "acme", "key": "c1"])
            #expect(try await service(t, transport).runOnce() == 1)
            let shown = try await acme.get("/api/v1/webhooks/\(endpointID)")
            #expect(shown["enabled"] as? Bool == false)
            #expect((shown.string("disabled_reason") ?? "").contains("50 failed deliveries"))
            let mails = try await t.mails(to: "admin@acme.example")
            #expect(mails.contains { $0.subject.contains("stopped sending events") && $0.textBody.contains("/vendor/settings/webhooks") })
            // Disabled: new events are not sent to it; turned back on, they are.
            _ = try await acme.post("/api/v1/customers", ["program": "acme", "key": "c2"])
            #expect(try await service(t, transport).runOnce() == 0)
            #expect(try await acme.post("/api/v1/webhooks/\(endpointID)/enable", [String: Any]())["enabled"] as? Bool == true)
            _ = try await acme.post("/api/v1/customers", ["program": "acme", "key": "c3"])
            #expect(try await service(t, transport).runOnce() == 1)
        }
    }

    @Test func anEndpointFailingForThreeDaysIsDisabled() async throws {
        try await TestApp.with { t in
            let transport = RecordingTransport()
            let acme = try await t.vendor("Acme")
            try await t.program(acme)
            let endpointID = try await acme.post("/api/v1/webhooks", ["url": Self.vendorURL, "events": ["customer.created"]]).string("id") ?? ""
            guard let endpoint = try await WebhookEndpoint.find(UUID(uuidString: endpointID), on: t.store.db) else { throw TestFailure("endpoint") }
            endpoint.consecutiveFailures = 3
            endpoint.failingSince = t.clock.now.addingTimeInterval(-3 * 86_400)
            try await endpoint.save(on: t.store.db)
            transport.answer(500)
            _ = try await acme.post("/api/v1/customers", ["program": "acme", "key": "c1"])
            _ = try await service(t, transport).runOnce()
            #expect(try await acme.get("/api/v1/webhooks/\(endpointID)").string("disabled_reason") == "Disabled after failing for three days.")
        }
    }

    @Test func aRotatedSecretSignsBesideTheOldOneFor24Hours() async throws {
        try await TestApp.with { t in
            let transport = RecordingTransport()
            let acme = try await t.vendor("Acme")
            let made = try await acme.post("/api/v1/webhooks", ["url": Self.vendorURL, "events": ["customer.created"]])
            let id = made.string("id") ?? ""
            let old = made.string("secret") ?? ""
            #expect(old.hasPrefix("whsec_"))
            #expect(try await acme.get("/api/v1/webhooks/\(id)")["secret"] is NSNull, "the secret is shown once")
            let rotated = try await acme.post("/api/v1/webhooks/\(id)/rotate-secret", [String: Any]())
            let new = rotated.string("secret") ?? ""
            #expect(new.hasPrefix("whsec_") && new != old)
            _ = try await acme.post("/api/v1/webhooks/\(id)/test", [String: Any]())
            _ = try await service(t, transport).runOnce()
            let signatures = transport.received.last?.headers["webhook-signature"]?.split(separator: " ").map(String.init) ?? []
            #expect(signatures.count == 2)
            #expect(signatures.contains(expectedSignature(transport.received.last!, secret: new)))
            #expect(signatures.contains(expectedSignature(transport.received.last!, secret: old)))
            #expect(transport.received.last?.type == "webhook.test")
            t.clock.advance(by: 25 * 3600)
            _ = try await acme.post("/api/v1/webhooks/\(id)/test", [String: Any]())
            _ = try await service(t, transport).runOnce()
            #expect(transport.received.last?.headers["webhook-signature"] == expectedSignature(transport.received.last!, secret: new))
        }
    }
}
