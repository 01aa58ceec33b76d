import FluentKit
import Foundation
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

@Suite struct HomePageTests {
    @Test func homeHoldsEachLiveProgramsReferralLinkToCopy() async throws {
        try await TestApp.with { t in
            try await TestApp.makePartner(email: "pat@example.com", password: "correct horse battery", store: t.store, clock: t.clock)
            let vendor = try await t.vendor()
            try await t.program(vendor, slug: "with-links", extra: ["name": "Linked Partners"])
            try await t.program(vendor, slug: "no-links", extra: ["name": "Deal Partners", "features": ["links": false, "custom_links": false, "deals": true]])
            let linked = try await t.enrol(vendor, program: "with-links", email: "pat@example.com")
            _ = try await t.enrol(vendor, program: "no-links", email: "pat@example.com")
            let partner = t.browser
            try await partner.logIn("pat@example.com", "correct horse battery")
            let home = try await partner.get("/partner")
            #expect(home.contains("Your referral links"))
            #expect(home.contains(#"<label for="link-0">Linked Partners</label>"#))
            #expect(home.contains(#"value="http://tandem.test\#(linked.path)" readonly>"#))
            #expect(home.contains(#"data-copy="link-0">Copy</button>"#))
            #expect(!home.contains(#"<label for="link-1">"#), "a program without links offers none")
            // Another partner's home shows none of Pat's links.
            try await TestApp.makePartner(email: "sam@example.com", password: "correct horse battery", store: t.store, clock: t.clock)
            let sam = t.browser
            try await sam.logIn("sam@example.com", "correct horse battery")
            #expect(!(try await sam.get("/partner").contains(linked.path)))
        }
    }

    @Test func theNumbersAreTheEventsAndCurrenciesNeverMix() async throws {
        try await TestApp.with { t in
            try await TestApp.makePartner(email: "pat@example.com", password: "correct horse battery", store: t.store, clock: t.clock)
            let vendor = try await t.vendor()
            try await t.program(vendor, slug: "usd-program")
            try await t.program(vendor, slug: "eur-program", extra: ["currency": "EUR", "name": "Euro Partners"])
            for slug in ["usd-program", "eur-program"] {
                _ = try await vendor.post("/api/v1/programs/\(slug)/reward-rules", ["trigger": "transaction", "kind": "percent", "percent": 10])
            }
            let usd = try await t.enrol(vendor, program: "usd-program", email: "pat@example.com")
            let eur = try await t.enrol(vendor, program: "eur-program", email: "pat@example.com")
            try await t.browser.get(usd.path, headers: [.userAgent: browserAgent])
            try await t.tracking.recorder.flush()
            _ = try await vendor.post("/api/v1/customers", ["program": "usd-program", "key": "u1", "partner_key": usd.key, "name": "Ursula"])
            _ = try await vendor.post("/api/v1/transactions", ["program": "usd-program", "customer_key": "u1", "external_id": "p1", "amount": 12_000, "currency": "USD"])
            _ = try await vendor.post("/api/v1/customers", ["program": "eur-program", "key": "e1", "partner_key": eur.key])
            _ = try await vendor.post("/api/v1/transactions", ["program": "eur-program", "customer_key": "e1", "external_id": "p2", "amount": 5_000, "currency": "EUR"])

            let browser = t.browser
            try await browser.logIn("pat@example.com", "correct horse battery")
            let home = try await browser.get("/partner")
            #expect(home.contains("Sold · USD"))
            #expect(home.contains("$120.00"))
            #expect(home.contains("Sold · EUR"))
            #expect(home.contains("€50.00"))
            #expect(home.contains("Earned $0.00 · pending $12.00"), "10% of $120 is pending, nothing paid yet")
            #expect(home.contains("Earned €0.00 · pending €5.00"))
            #expect(!home.contains("$170") && !home.contains("€170"), "never a sum across currencies")
            #expect(home.contains("New signup: Ursula"))
            #expect(home.contains("Payment of $120.00"))
            #expect(home.contains("1 unique click"))
        }
    }
}
