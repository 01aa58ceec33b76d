import FluentKit
import Foundation
import Hummingbird
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

@Suite struct PartnerLinksAPITests {
    func setUp(_ t: TestEnvironment) async throws -> (vendor: APIClient, partner: APIClient) {
        let vendor = try await t.vendor()
        try await t.program(vendor, extra: ["allowed_domains": ["shop.example.com", "example.org"]])
        _ = try await t.enrol(vendor, email: "pat@example.com")
        return (vendor, try await t.partnerKey(email: "pat@example.com"))
    }

    @Test(arguments: [
        "//evil.com", "https://shop.example.com.evil.com/", "javascript:alert(1)", "http://evil.com/?https://shop.example.com",
        "https://user@evil.com", "ftp://shop.example.com/", "https://evilexample.org/", "not a url", "https://shop.example.com\\@evil.com",
    ])
    func openRedirectsAreRefused(destination: String) async throws {
        try await TestApp.with { t in
            let (_, partner) = try await setUp(t)
            let answer = try await partner.post("/api/v1/partner/links", ["program": "acme", "slug": "spring", "destination": destination])
            #expect(answer.status == .badRequest, "\(destination)")
            #expect(answer.errorField == "destination")
            #expect(try await Link.query(on: t.store.db).filter(\.$isDefault == false).count() == 0)
        }
    }

    @Test func customLinksOnAllowedDomainsAndSubdomains() async throws {
        try await TestApp.with { t in
            let (_, partner) = try await setUp(t)
            let made = try await partner.post("/api/v1/partner/links", ["program": "acme", "slug": "Spring-Sale", "destination": "https://blog.example.org/post?x=1"])
            #expect(made.status == .created)
            #expect(made.string("slug") == "spring-sale")
            let pretty = String(try #require(made.string("slug_url")).dropFirst("http://tandem.test".count))
            #expect(pretty == "/r/acme/spring-sale")
            let answer = try await t.browser.get(pretty, headers: [.userAgent: browserAgent])
            #expect(answer.location?.hasPrefix("https://blog.example.org/post?x=1&tdm_click=") == true)
            #expect(try await partner.post("/api/v1/partner/links", ["program": "acme", "slug": "spring-sale"]).errorCode == "slug_taken")
            #expect(try await partner.post("/api/v1/partner/links", ["program": "acme", "slug": "bad slug!"]).errorField == "slug")
            #expect(try await partner.get("/api/v1/partner/links").data.count == 2)
        }
    }

    @Test func theFiftyFirstLinkIsRefused() async throws {
        try await TestApp.with { t in
            let (_, partner) = try await setUp(t)
            for index in 1...50 {
                let answer = try await partner.post("/api/v1/partner/links", ["program": "acme", "slug": "link-\(index)"])
                #expect(answer.status == .created, "link \(index): \(answer.text)")
            }
            let refused = try await partner.post("/api/v1/partner/links", ["program": "acme", "slug": "link-51"])
            #expect(refused.status == .conflict)
            #expect(refused.errorCode == "link_limit_reached")
            // Deleting one makes room again.
            let one = try #require(try await partner.get("/api/v1/partner/links?limit=100").data.first { $0["is_default"] as? Bool == false }?["id"] as? String)
            #expect(try await partner.delete("/api/v1/partner/links/\(one)").status == .noContent)
            #expect(try await partner.post("/api/v1/partner/links", ["program": "acme", "slug": "link-51"]).status == .created)
        }
    }

    @Test func linksOfAProgramWithoutCustomLinksAreRefused() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor, extra: ["features": ["custom_links": false]])
            _ = try await t.enrol(vendor, email: "pat@example.com")
            let partner = try await t.partnerKey(email: "pat@example.com")
            #expect(try await partner.post("/api/v1/partner/links", ["program": "acme", "slug": "x"]).errorCode == "custom_links_disabled")
        }
    }

    @Test func partnerStatsComeFromEvents() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            let link = try await t.enrol(vendor, email: "pat@example.com")
            let partner = try await t.partnerKey(email: "pat@example.com")
            try await t.browser.get(link.path, headers: [.userAgent: browserAgent])
            try await t.tracking.recorder.flush()
            try await vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "partner_key": link.key, "email": "buyer@example.org"])
            try await vendor.post("/api/v1/transactions", ["program": "acme", "customer_key": "cus_1", "external_id": "p1", "amount": 5000, "currency": "USD"])
            try await vendor.post("/api/v1/transactions/p1/refunds", ["program": "acme", "amount": 1000])
            let programs = try await partner.get("/api/v1/partner/programs")
            let stats = try #require(programs.data.first?["stats"] as? [String: Any])
            #expect((stats["clicks"] as? NSNumber)?.intValue == 1)
            #expect((stats["referred"] as? NSNumber)?.intValue == 1)
            #expect((stats["sold"] as? NSNumber)?.intValue == 4000)
            let customers = try await partner.get("/api/v1/partner/customers")
            #expect(customers.data.first?["email"] as? String == "b***@example.org")
        }
    }

    @Test func aPartnerCannotTouchAnotherPartnersLinks() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            _ = try await t.enrol(vendor, email: "pat@example.com")
            _ = try await t.enrol(vendor, email: "sam@example.com")
            let pat = try await t.partnerKey(email: "pat@example.com")
            let sam = try await t.partnerKey(email: "sam@example.com")
            let made = try await pat.post("/api/v1/partner/links", ["program": "acme", "slug": "mine"])
            let id = try #require(made.string("id"))
            #expect(try await sam.delete("/api/v1/partner/links/\(id)").status == .notFound)
            #expect(try await sam.get("/api/v1/partner/links").data.allSatisfy { $0["slug"] as? String != "mine" })
        }
    }
}
