import FluentKit
import Foundation
import Hummingbird
import TandemDomain
import TandemIntegrations
import TandemJobs
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

/// Who may manage webhooks and postbacks (pages and API), the limits, and the outbound rules
/// at creation.
@Suite struct WebhookAccessTests {
    static let url = "https://hooks.acme.example/tandem"

    @Test func onlyACompanyAdminManagesWebhooksAndOnlyTheirOwn() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            let globex = try await t.vendorTeam("Globex")
            #expect(try await team.admin.get("/vendor/settings/webhooks").status == .ok)
            #expect(try await team.manager.get("/vendor/settings/webhooks").status == .forbidden)
            #expect(try await team.readOnly.get("/vendor/settings/webhooks").status == .forbidden)
            #expect(try await team.manager.submit("/vendor/settings/webhooks", [("url", Self.url), ("events", "reward.created")]).status == .forbidden)
            #expect(try await t.browser.get("/vendor/settings/webhooks").status == .seeOther, "signed out: to the login")

            // The admin adds one through the page: the secret is on the answer, once.
            let added = try await team.admin.submit("/vendor/settings/webhooks", [("url", Self.url), ("description", "CRM"), ("events", "reward.created"), ("events", "customer.created")])
            #expect(added.status == .created)
            #expect(added.contains("whsec_") && added.contains("Copy it now"))
            guard let endpoint = try await WebhookEndpoint.query(on: t.store.db).first() else { throw TestFailure("no endpoint") }
            #expect(endpoint.events == [.customerCreated, .rewardCreated])
            let id = try endpoint.requireID().pathText
            let page = try await team.admin.get("/vendor/settings/webhooks/\(id)")
            let secret = try endpoint.signingSecrets(now: t.clock.now, seal: t.store.db.secretSeal).first ?? "?"
            #expect(added.contains(secret), "shown on the answer that made it")
            #expect(page.status == .ok && page.contains(Self.url) && !page.contains(secret), "the secret is never shown again")
            #expect(try await team.admin.get("/vendor/settings/webhooks").contains(Self.url))

            // Another company's admin, manager and key: not found / forbidden, never theirs.
            #expect(try await globex.admin.get("/vendor/settings/webhooks/\(id)").status == .notFound)
            #expect(try await globex.admin.post("/vendor/settings/webhooks/\(id)/delete", []).status == .notFound)
            #expect(try await team.manager.post("/vendor/settings/webhooks/\(id)/delete", []).status == .forbidden)
            #expect(try await globex.api.delete("/api/v1/webhooks/\(id)").status == .notFound)
            #expect(try await globex.api.get("/api/v1/webhooks/\(id)/deliveries").status == .notFound)
            #expect(try await globex.api.post("/api/v1/webhooks/\(id)/test", [String: Any]()).status == .notFound)
            #expect(try await globex.api.get("/api/v1/webhooks").data.isEmpty)
            #expect(try await team.api.get("/api/v1/webhooks").data.count == 1)

            // The test button queues a delivery the log shows once sent.
            let tested = try await team.admin.post("/vendor/settings/webhooks/\(id)/test", [])
            #expect(tested.location == "/vendor/settings/webhooks/\(id)?done=test")
            let transport = RecordingTransport()
            _ = try await WebhookService(store: t.store, transport: transport, now: t.clock.function).runOnce()
            let logged = try await team.admin.get("/vendor/settings/webhooks/\(id)")
            #expect(logged.contains("webhook.test") && logged.contains("succeeded") && logged.contains("Redeliver"))

            let deleted = try await team.admin.post("/vendor/settings/webhooks/\(id)/delete", [])
            #expect(deleted.location == "/vendor/settings/webhooks?done=deleted")
            #expect(try await WebhookEndpoint.query(on: t.store.db).count() == 0)
            #expect(try await WebhookDelivery.query(on: t.store.db).count() == 0)
        }
    }

    @Test func onlyAPartnerOwnerManagesPostbacksAndOnlyTheirOwn() async throws {
        try await TestApp.with { t in
            let crew = try await t.partnerCrew()
            try await TestApp.makePartner(email: "other@example.com", store: t.store, clock: t.clock)
            let other = t.browser
            _ = try await other.logIn("other@example.com", "correct horse battery")
            let owner = crew.browser(.owner)
            #expect(try await owner.get("/partner/settings/postbacks").status == .ok)
            for role in [PartnerRole.admin, .finance, .member] {
                #expect(try await crew.browser(role).get("/partner/settings/postbacks").status == .forbidden, "\(role)")
                #expect(try await crew.browser(role).submit("/partner/settings/postbacks", [("url", "https://x.example/pb"), ("events", "reward.created")]).status == .forbidden)
            }
            #expect(!(try await crew.browser(.member).get("/partner/settings").contains("Postbacks")), "the tab shows only to those who may use it")

            let added = try await owner.submit("/partner/settings/postbacks", [("url", "https://pat.example/pb"), ("events", "reward.created")])
            #expect(added.status == .created && added.contains("whsec_"))
            guard let endpoint = try await WebhookEndpoint.query(on: t.store.db).first() else { throw TestFailure("no endpoint") }
            #expect(endpoint.partnerAccountID == crew.accountID)
            let id = try endpoint.requireID().pathText
            #expect(try await owner.get("/partner/settings/postbacks/\(id)").status == .ok)
            #expect(try await other.get("/partner/settings/postbacks/\(id)").status == .notFound)
            #expect(try await other.post("/partner/settings/postbacks/\(id)/rotate-secret", []).status == .notFound)
            #expect(try await crew.browser(.admin).post("/partner/settings/postbacks/\(id)/delete", []).status == .forbidden)

            // The API: a partner key reaches its own postbacks only, and a vendor key none.
            let ownerKey = try await t.partnerKey(email: "owner@crew.example")
            let otherKey = try await t.partnerKey(email: "other@example.com")
            #expect(try await ownerKey.get("/api/v1/partner/postbacks").data.count == 1)
            #expect(try await otherKey.get("/api/v1/partner/postbacks").data.isEmpty)
            #expect(try await otherKey.delete("/api/v1/partner/postbacks/\(id)").status == .notFound)
            #expect(try await ownerKey.get("/api/v1/webhooks").status == .forbidden)
            #expect(try await crew.vendor.get("/api/v1/partner/postbacks").status == .forbidden)
            #expect(try await ownerKey.delete("/api/v1/partner/postbacks/\(id)").status == .noContent)
            #expect(try await WebhookEndpoint.query(on: t.store.db).count() == 0)
        }
    }

    @Test func atMost20EndpointsPerCompanyAnd5PerPartner() async throws {
        try await TestApp.with { t in
            let acme = try await t.vendor("Acme")
            for n in 0..<20 {
                #expect(try await acme.post("/api/v1/webhooks", ["url": "https://h\(n).example/x", "events": ["reward.created"]]).status == .created)
            }
            let over = try await acme.post("/api/v1/webhooks", ["url": "https://h20.example/x", "events": ["reward.created"]])
            #expect(over.status == .conflict && over.errorCode == "too_many_endpoints")
            try await TestApp.makePartner(email: "pat@example.com", store: t.store, clock: t.clock)
            let pat = try await t.partnerKey(email: "pat@example.com")
            for n in 0..<5 {
                #expect(try await pat.post("/api/v1/partner/postbacks", ["url": "https://p\(n).example/x", "events": ["reward.created"]]).status == .created)
            }
            #expect(try await pat.post("/api/v1/partner/postbacks", ["url": "https://p5.example/x", "events": ["reward.created"]]).errorCode == "too_many_endpoints")
        }
    }

    @Test func urlsToPrivatePlacesAndBadEventsAreRefusedAtCreation() async throws {
        try await TestApp.with { t in
            let acme = try await t.vendor("Acme")
            for url in ["http://hooks.example/x", "https://127.0.0.1/x", "https://169.254.169.254/latest/meta-data", "https://[::1]/x",
                        "https://10.1.2.3/x", "https://192.168.0.10/x", "https://100.64.0.1/x", "https://[::ffff:127.0.0.1]/x",
                        "https://[fd00:ec2::254]/x", "https://localhost/x", "https://user:pw@hooks.example/x", "hooks.example", "https://0.0.0.0/x"] {
                let refused = try await acme.post("/api/v1/webhooks", ["url": url, "events": ["reward.created"]])
                #expect(refused.status == .badRequest && refused.errorField == "url", "\(url): \(refused.status) \(refused.text)")
            }
            #expect(try await acme.post("/api/v1/webhooks", ["url": Self.url, "events": ["reward.paid"]]).errorField == "events[0]")
            #expect(try await acme.post("/api/v1/webhooks", ["url": Self.url, "events": [String]()]).errorField == "events")
            #expect(try await acme.post("/api/v1/webhooks", ["url": Self.url, "events": ["webhook.test"]]).errorField == "events[0]")
            #expect(try await acme.post("/api/v1/webhooks", ["url": Self.url + "\u{0}", "events": ["reward.created"]]).status == .badRequest)
            #expect(try await WebhookEndpoint.query(on: t.store.db).count() == 0)
        }
        // With OUTBOUND_ALLOW_HTTP and OUTBOUND_ALLOW_PRIVATE (tests, local development) they are allowed.
        try await TestApp.with(configure: { $0.outbound = OutboundPolicy(allowHTTP: true, allowPrivate: true) }) { t in
            let acme = try await t.vendor("Acme")
            #expect(try await acme.post("/api/v1/webhooks", ["url": "http://127.0.0.1:9/x", "events": ["reward.created"]]).status == .created)
            // A description may run over lines (as the document says of every description), not carry control characters.
            #expect(try await acme.post("/api/v1/webhooks", ["url": Self.url, "events": ["reward.created"], "description": "CRM\nsync"]).status == .created)
            #expect(try await acme.post("/api/v1/webhooks", ["url": Self.url, "events": ["reward.created"], "description": "CRM\u{7}"]).errorField == "description")
        }
    }
}
