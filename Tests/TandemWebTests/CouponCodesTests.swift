import FluentKit
import Foundation
import Hummingbird
import TandemDomain
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

/// Coupon codes: a vendor gives a partnership codes; a signup or a first payment naming one is
/// that partner's when no click says otherwise (or always, with `coupon_wins`).
@Suite struct CouponCodesTests {
    func click(_ t: TestEnvironment, _ path: String) async throws -> String {
        let browser = t.browser
        browser.setCookie("tdm_vid", String(repeating: "c", count: 32))
        let answer = try await browser.get(path, headers: [.userAgent: browserAgent])
        let location = try #require(answer.location)
        try await t.tracking.recorder.flush()
        return String(location.split(separator: "=").last!)
    }

    @Test func aCodeAttributesWithoutAClickAndAClickWinsUnlessTheProgramSaysCodesDo() async throws {
        try await TestApp.with { t in
            let acme = try await t.vendor("Acme")
            let globex = try await t.vendor("Globex")
            try await t.program(acme)
            _ = try await acme.post("/api/v1/programs/acme/reward-rules", ["trigger": "transaction", "kind": "percent", "percent": 10])
            let pat = try await t.enrol(acme, email: "pat@example.com")
            let sam = try await t.enrol(acme, email: "sam@example.com")

            let made = try await acme.post("/api/v1/partnerships/\(pat.id)/coupon-codes", ["code": "PAT20"])
            #expect(made.status == .created && made.string("code") == "PAT20" && made.string("program") == "acme")
            #expect(try await acme.post("/api/v1/partnerships/\(sam.id)/coupon-codes", ["code": "pat20"]).errorCode == "code_taken", "unique whatever its case")
            #expect(try await acme.post("/api/v1/partnerships/\(sam.id)/coupon-codes", ["code": "a b"]).errorField == "code")
            #expect(try await acme.post("/api/v1/partnerships/\(pat.id)/coupon-codes", ["code": "PAT20"]).string("id") == made.string("id"), "giving it again returns it")
            #expect(try await globex.post("/api/v1/partnerships/\(pat.id)/coupon-codes", ["code": "GLOBEX"]).status == .notFound)
            #expect(try await globex.get("/api/v1/partnerships/\(pat.id)/coupon-codes").status == .notFound)
            #expect(try await acme.get("/api/v1/partnerships/\(pat.id)/coupon-codes").data.map { $0["code"] as? String } == ["PAT20"])

            // No click: the code decides, whatever its case.
            let byCode = try await acme.post("/api/v1/customers", ["program": "acme", "key": "c1", "coupon_code": "pat20"])
            #expect(byCode.string("partnership_id")?.lowercased() == pat.id.lowercased())
            let unknown = try await acme.post("/api/v1/customers", ["program": "acme", "key": "c2", "coupon_code": "NOPE"])
            #expect(unknown["partnership_id"] is NSNull && unknown.string("attribution_note") == "unknown_coupon_code")

            // Sam's link clicked and Pat's code used: the click wins by default …
            let clicked = try await click(t, sam.path)
            let both = try await acme.post("/api/v1/customers", ["program": "acme", "key": "c3", "click_id": clicked, "coupon_code": "PAT20"])
            #expect(both.string("partnership_id")?.lowercased() == sam.id.lowercased())
            // … and the code when the program says codes win.
            #expect(try await acme.patch("/api/v1/programs/acme", ["coupon_wins": true])["coupon_wins"] as? Bool == true)
            let codeWins = try await acme.post("/api/v1/customers", ["program": "acme", "key": "c4", "click_id": clicked, "coupon_code": "PAT20"])
            #expect(codeWins.string("partnership_id")?.lowercased() == pat.id.lowercased())

            // A payment naming a code for a customer not seen before: the customer signs up with it, the reward follows.
            let paid = try await acme.post("/api/v1/transactions", ["program": "acme", "customer_key": "c5", "external_id": "ch_5", "amount": 5000,
                                                                     "currency": "USD", "coupon_code": "Pat20"])
            #expect(paid.status == .created)
            #expect(paid.string("partnership_id")?.lowercased() == pat.id.lowercased())
            #expect((paid["rewards"] as? [[String: Any]])?.first?["amount"] as? Int == 500)
            // Without a code an unknown customer is still refused.
            #expect(try await acme.post("/api/v1/transactions", ["program": "acme", "customer_key": "c6", "external_id": "ch_6", "amount": 5000, "currency": "USD"]).status == .notFound)

            #expect(try await acme.delete("/api/v1/partnerships/\(pat.id)/coupon-codes/\(made.string("id") ?? "")").status == .noContent)
            let after = try await acme.post("/api/v1/customers", ["program": "acme", "key": "c7", "coupon_code": "PAT20"])
            #expect(after["partnership_id"] is NSNull, "a code taken back attributes no one")
        }
    }

    @Test func theConsoleGivesCodesAndThePartnerSeesThem() async throws {
        try await TestApp.with { t in
            let s = try await t.programWithPartner()
            let globex = try await t.vendorTeam("Globex")
            let page = "/vendor/partners/\(s.partnershipID)"
            #expect(try await s.team.admin.get(page).contains("Coupon codes"))
            let bad = try await s.team.manager.submit(page, to: page + "/coupon-codes", [("code", "no way!")])
            #expect(bad.status == .unprocessableContent && bad.contains("3 to 40 letters") && bad.contains(#"value="no way!""#))
            let added = try await s.team.manager.submit(page, to: page + "/coupon-codes", [("code", "PAT-SPRING")])
            #expect(added.location == page + "?done=code-added")
            #expect(try await s.team.readOnly.post(page + "/coupon-codes", [("code", "READER")]).status == .forbidden)
            #expect(try await globex.admin.post(page + "/coupon-codes", [("code", "GLOBEX")]).status == .notFound)
            #expect(try await CouponCode.query(on: t.store.db).all().map(\.code) == ["PAT-SPRING"])

            #expect(try await s.partner.get(s.base).contains("PAT-SPRING"), "on the Summary")
            #expect(try await s.partner.get(s.base + "/links").contains("PAT-SPRING"), "and on Links")

            guard let code = try await CouponCode.query(on: t.store.db).first()?.requireID() else { throw TestFailure("code") }
            #expect(try await globex.admin.post(page + "/coupon-codes/\(code.pathText)/remove", []).status == .notFound)
            #expect(try await s.team.admin.post(page + "/coupon-codes/\(code.pathText)/remove", []).location == page + "?done=code-removed")
            #expect(try await CouponCode.query(on: t.store.db).count() == 0)
        }
    }
}
