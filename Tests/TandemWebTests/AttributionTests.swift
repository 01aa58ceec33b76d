import FluentKit
import Foundation
import Hummingbird
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

@Suite struct AttributionTests {
    /// Clicks the link like a browser with the given visitor cookie and returns the click id.
    func click(_ t: TestEnvironment, _ path: String, visitor: String = String(repeating: "b", count: 32)) async throws -> String {
        let browser = t.browser
        browser.setCookie("tdm_vid", visitor)
        let answer = try await browser.get(path, headers: [.userAgent: browserAgent])
        let location = try #require(answer.location)
        return String(location.split(separator: "=").last!)
    }

    @Test(arguments: [(89, true), (90, true), (91, false)])
    func theCookieWindowDecides(daysLater: Int, attributed: Bool) async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            let link = try await t.enrol(vendor, email: "pat@example.com")
            let clickID = try await click(t, link.path)
            t.clock.advance(by: Double(daysLater) * 86_400)
            let customer = try await vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "email": "buyer@example.org", "click_id": clickID])
            #expect(customer.status == .created)
            if attributed {
                #expect((customer.string("partnership_id") ?? "").lowercased() == link.id.lowercased())
                #expect(customer["attribution_note"] is NSNull)
            } else {
                #expect(customer["partnership_id"] is NSNull)
                #expect(customer.string("attribution_note") == "click_outside_window")
            }
        }
    }

    @Test func theLastClickBeforeSignupWins() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            let first = try await t.enrol(vendor, email: "first@example.com")
            let second = try await t.enrol(vendor, email: "second@example.com")
            let firstClick = try await click(t, first.path)
            t.clock.advance(by: 3600)
            _ = try await click(t, second.path)
            t.clock.advance(by: 3600)
            // The vendor's page kept the first click id, but the same visitor clicked the second partner later.
            let customer = try await vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "click_id": firstClick])
            #expect((customer.string("partnership_id") ?? "").lowercased() == second.id.lowercased())
        }
    }

    @Test func aCustomerKeepsItsPartnershipForLife() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            let first = try await t.enrol(vendor, email: "first@example.com")
            let second = try await t.enrol(vendor, email: "second@example.com")
            let created = try await vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "partner_key": first.key])
            #expect(created.status == .created)
            let again = try await vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "partner_key": second.key])
            #expect(again.status == .ok)
            #expect(again.string("id") == created.string("id"))
            #expect((again.string("partnership_id") ?? "").lowercased() == first.id.lowercased())
            #expect(try await Customer.query(on: t.store.db).count() == 1)
        }
    }

    @Test func unattributedCustomersAreStoredToo() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            let none = try await vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1"])
            #expect(none.status == .created)
            #expect(none["partnership_id"] is NSNull)
            #expect(none.string("attribution_note") == "no_referral")
            let unknown = try await vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_2", "click_id": "0123456789abcdef0123456789abcdef"])
            #expect(unknown.string("attribution_note") == "unknown_click")
            #expect(try await Customer.query(on: t.store.db).count() == 2)
        }
    }

    @Test func aPartnerReferringThemselvesIsNotAttributed() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            let link = try await t.enrol(vendor, email: "pat@example.com")
            let customer = try await vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "email": "PAT@example.com", "partner_key": link.key])
            #expect(customer.status == .created)
            #expect(customer["partnership_id"] is NSNull)
            #expect(customer.string("attribution_note") == "self_referral")
            // A teammate of the partner's account is one of their own people too; a stranger is not.
            let partner = try await t.partnerKey(email: "pat@example.com")
            #expect(try await partner.post("/api/v1/partner/team", ["email": "mate@example.com", "role": "member"]).status == .created)
            let mate = try await vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_2", "email": "Mate@Example.com", "partner_key": link.key])
            #expect(mate["partnership_id"] is NSNull)
            #expect(mate.string("attribution_note") == "self_referral")
            let stranger = try await vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_3", "email": "stranger@example.com", "partner_key": link.key])
            #expect((stranger.string("partnership_id") ?? "").lowercased() == link.id.lowercased())
        }
    }

    @Test func aClickStillInTheWriteBufferIsFound() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            let link = try await t.enrol(vendor, email: "pat@example.com")
            let clickID = try await click(t, link.path)
            #expect(t.tracking.recorder.pendingCount == 1)
            let customer = try await vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "click_id": clickID])
            #expect((customer.string("partnership_id") ?? "").lowercased() == link.id.lowercased())
        }
    }
}
