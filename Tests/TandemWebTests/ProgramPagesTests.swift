import FluentKit
import Foundation
import Hummingbird
import TandemDomain
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

/// The Links, Referrals, Deals and Performance tabs of a program, as a signed-in partner uses them.
@Suite struct ProgramPagesTests {
    @Test func aProgramWithoutLinksShowsNoClicksAndNoRuleThatCannotPay() async throws {
        try await TestApp.with { t in
            try await TestApp.makePartner(email: "pat@example.com", password: "correct horse battery", store: t.store, clock: t.clock)
            let vendor = try await t.vendor()
            try await t.program(vendor, extra: ["features": ["links": false, "custom_links": false, "leads": true, "deals": false]])
            _ = try await vendor.post("/api/v1/programs/acme/reward-rules", ["trigger": "lead_qualified", "kind": "flat", "amount": 2500])
            // A deal rule left from before deals were switched off (the API refuses to make one now).
            let program = try #require(try await Program.query(on: t.store.db).first())
            try await RewardRuleRecord(programID: try program.requireID(), groupID: nil, trigger: .dealWon, amount: .flat(50_000), durationMonths: nil,
                                       minTransactionAmount: nil, description: "", createdAt: t.clock.now).create(on: t.store.db)
            let enrolled = try await t.enrol(vendor, email: "pat@example.com")
            let partner = t.browser
            try await partner.logIn("pat@example.com", "correct horse battery")
            let summary = try await partner.get("/partner/programs/\(enrolled.id)")
            #expect(summary.status == .ok)
            #expect(!summary.contains(#"<div class="stat__label">Clicks</div>"#))
            #expect(summary.contains("$25.00"), "the lead rule is offered")
            #expect(!summary.contains("$500.00"), "the deal rule cannot pay here and is not offered")
            let performance = try await partner.get("/partner/programs/\(enrolled.id)/performance")
            #expect(performance.status == .ok && !performance.contains("Clicks"))
        }
    }

    struct Setup {
        let vendor: APIClient
        let link: (id: String, key: String, path: String)
        let browser: Browser
        var base: String { "/partner/programs/\(link.id.lowercased())" }
    }

    func setUp(_ t: TestEnvironment, features: [String: Any] = ["leads": true, "deals": true]) async throws -> Setup {
        try await TestApp.makePartner(email: "pat@example.com", password: "correct horse battery", store: t.store, clock: t.clock)
        let vendor = try await t.vendor()
        try await t.program(vendor, extra: ["features": features, "allowed_domains": ["shop.example.com"]])
        let link = try await t.enrol(vendor, email: "pat@example.com")
        let browser = t.browser
        try await browser.logIn("pat@example.com", "correct horse battery")
        return Setup(vendor: vendor, link: link, browser: browser)
    }

    /// Clicks a link like a new visitor's browser; returns the click id.
    func click(_ t: TestEnvironment, _ path: String, visitor: String) async throws -> String {
        let browser = t.browser
        browser.setCookie("tdm_vid", visitor)
        let answer = try await browser.get(path, headers: [.userAgent: browserAgent])
        let location = try #require(answer.location)
        return String(location.split(separator: "=").last!)
    }

    func customLinks(_ t: TestEnvironment) async throws -> [Link] {
        try await Link.query(on: t.store.db).filter(\.$isDefault == false).all()
    }

    // MARK: - Links

    @Test func createEditAndDeleteACustomLink() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            let page = try await s.browser.get(s.base + "/links")
            #expect(page.status == .ok)
            #expect(page.contains("http://tandem.test/r/\(s.link.key)"), "the default link")
            #expect(page.contains("50 of 50"))

            let created = try await s.browser.post(s.base + "/links", [("slug", "Spring"), ("destination", "https://shop.example.com/spring")])
            #expect(created.status == .seeOther)
            #expect(created.location == s.base + "/links?done=created")
            let made = try #require(try await customLinks(t).first)
            #expect(made.slug == "spring")
            #expect(made.destination == "https://shop.example.com/spring")
            let afterCreate = try await s.browser.get(s.base + "/links")
            #expect(afterCreate.contains("http://tandem.test/r/acme/spring"))
            #expect(afterCreate.contains("49 of 50"))

            let linkID = try made.requireID().uuidString.lowercased()
            let edited = try await s.browser.post(s.base + "/links/\(linkID)", [("slug", "summer"), ("destination", "https://shop.example.com/summer")])
            #expect(edited.status == .seeOther)
            let reloaded = try #require(try await Link.find(made.requireID(), on: t.store.db))
            #expect(reloaded.slug == "summer")
            #expect(reloaded.destination == "https://shop.example.com/summer")

            let deleted = try await s.browser.post(s.base + "/links/\(linkID)/delete", [])
            #expect(deleted.status == .seeOther)
            let archived = try #require(try await Link.find(made.requireID(), on: t.store.db))
            #expect(archived.archivedAt != nil)
            #expect(archived.slug == nil)
            let afterDelete = try await s.browser.get(s.base + "/links")
            #expect(!afterDelete.contains("/r/acme/summer"))
            #expect(afterDelete.contains("50 of 50"))
            // An archived link can no longer be edited or deleted.
            #expect(try await s.browser.post(s.base + "/links/\(linkID)", [("slug", "again")]).status == .notFound)
            #expect(try await s.browser.post(s.base + "/links/\(linkID)/delete", []).status == .notFound)
        }
    }

    @Test func theDefaultLinkCannotBeEditedOrDeleted() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            let defaultLink = try #require(try await Link.query(on: t.store.db).filter(\.$isDefault == true).first())
            let id = try defaultLink.requireID().uuidString.lowercased()
            try await s.browser.get(s.base + "/links")
            #expect(try await s.browser.post(s.base + "/links/\(id)/delete", []).status == .notFound)
            #expect(try await s.browser.post(s.base + "/links/\(id)", [("slug", "x"), ("destination", "https://shop.example.com/")]).status == .notFound)
            #expect(try await Link.find(defaultLink.requireID(), on: t.store.db)?.archivedAt == nil)
        }
    }

    @Test func anOpenRedirectDestinationIsRefusedInlineKeepingWhatWasTyped() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            let refused = try await s.browser.submit(s.base + "/links", [("slug", "promo"), ("destination", "https://evil.example.net/x")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.contains("The address must be on shop.example.com"))
            #expect(refused.contains(#"value="promo""#))
            #expect(refused.contains(#"value="https://evil.example.net/x""#))
            #expect(refused.contains("has-error"))
            #expect(try await customLinks(t).isEmpty)

            // Editing is held to the same rule.
            try await s.browser.post(s.base + "/links", [("slug", "promo"), ("destination", "https://shop.example.com/p")])
            let made = try #require(try await customLinks(t).first)
            let badEdit = try await s.browser.submit(s.base + "/links", to: s.base + "/links/\(try made.requireID().uuidString.lowercased())",
                                                     [("slug", "promo"), ("destination", "javascript:alert(1)")])
            #expect(badEdit.status == .unprocessableContent)
            #expect(badEdit.contains(#"value="javascript:alert(1)""#))
            #expect(try await Link.find(made.requireID(), on: t.store.db)?.destination == "https://shop.example.com/p")
        }
    }

    @Test func aSlugWithMarkupIsRefusedAndEscaped() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            let refused = try await s.browser.submit(s.base + "/links", [("slug", "<script>alert(1)</script>"), ("destination", "")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.contains("Use letters, digits and dashes only"))
            #expect(!refused.contains("<script>alert(1)"))
            #expect(refused.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(try await customLinks(t).isEmpty)
        }
    }

    @Test func aTakenSlugIsAnInlineError() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            try await s.browser.submit(s.base + "/links", [("slug", "spring"), ("destination", "")])
            let again = try await s.browser.submit(s.base + "/links", [("slug", "spring"), ("destination", "")])
            #expect(again.status == .unprocessableContent)
            #expect(again.contains("That slug is taken"))
            #expect(try await customLinks(t).count == 1)
            #expect(try await customLinks(t).first?.destination == "https://shop.example.com/welcome?ref=tandem", "empty means the default destination")
        }
    }

    @Test func perLinkClicksAndSignups() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            try await s.browser.submit(s.base + "/links", [("slug", "spring"), ("destination", "https://shop.example.com/spring")])
            let first = try await click(t, "/r/acme/spring", visitor: String(repeating: "a", count: 32))
            _ = try await click(t, "/r/acme/spring", visitor: String(repeating: "a", count: 32))  // the same visitor again: not unique
            _ = try await click(t, "/r/acme/spring", visitor: String(repeating: "b", count: 32))
            _ = try await click(t, s.link.path, visitor: String(repeating: "c", count: 32))
            try await t.tracking.recorder.flush()
            try await s.vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "click_id": first])

            let page = try await s.browser.get(s.base + "/links")
            let row = try #require(page.body.range(of: "/r/acme/spring").map { String(page.body[$0.lowerBound...].prefix(1200)) })
            #expect(row.contains(#"<td class="num">2</td>"#), "two unique clicks")
            #expect(row.contains(#"<td class="num">1</td>"#), "one signup")
            #expect(page.contains("Clicks: 1 · Signups: 0"), "the default link")
            #expect(!page.contains("referred without a link"), "every customer so far came by a link")
            // Each link has Copy; deleting one asks first.
            #expect(page.contains(#"data-copy="copy-"#))
            #expect(page.contains(#"data-confirm="Delete http://"#))

            // A customer the vendor attributes by partner key counts in the program but on no link: said so.
            try await s.vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_2", "partner_key": s.link.key])
            let after = try await s.browser.get(s.base + "/links")
            #expect(after.contains("1 more customer referred without a link"))
            try await checkRollups(t.store)
        }
    }

    @Test func linksTabIsA404WhenLinksAreOff() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t, features: ["links": false])
            #expect(try await s.browser.get(s.base + "/links").status == .notFound)
            let summary = try await s.browser.get(s.base)
            #expect(!summary.contains(s.base + "/links"))
        }
    }

    @Test func formsWithoutCSRFAreRefused() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            try await s.browser.get(s.base + "/links")
            let answer = try await s.browser.post(s.base + "/links", [("slug", "spring")], includeCSRF: false)
            #expect(answer.status == .forbidden)
            #expect(try await customLinks(t).isEmpty)
        }
    }

    // MARK: - Referrals, leads and deals

    @Test func referralsListMaskedEmailsAndRevenue() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            try await s.vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "partner_key": s.link.key, "email": "buyer@example.org"])
            try await s.vendor.post("/api/v1/transactions", ["program": "acme", "customer_key": "cus_1", "external_id": "p1", "amount": 5000, "currency": "USD"])
            try await s.vendor.post("/api/v1/transactions/p1/refunds", ["program": "acme", "amount": 1000])
            try await s.vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_2", "partner_key": s.link.key, "name": "Zed <i>Quinn</i>", "email": "zed@example.org"])
            try await s.vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_3", "email": "nobody@example.org"])  // not referred

            let page = try await s.browser.get(s.base + "/referrals")
            #expect(page.status == .ok)
            #expect(page.contains("b***@example.org"))
            #expect(!page.contains("buyer@example.org"))
            #expect(page.contains("$40.00"))
            #expect(page.contains("Paying"))
            #expect(page.contains("Zed &lt;i&gt;Quinn&lt;/i&gt;"))
            #expect(!page.contains("n***@example.org"), "someone else's customer")

            let search = try await s.browser.get(s.base + "/referrals?q=ZED")
            #expect(search.contains("Zed &lt;i&gt;Quinn"))
            #expect(!search.contains("b***@example.org"))
            let none = try await s.browser.get(s.base + "/referrals?q=%25")
            #expect(none.status == .ok)
            #expect(!none.contains("b***@example.org"), "% is searched for literally")
        }
    }

    @Test func referralsArePagedBy25() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            let partnershipID = try #require(UUID(uuidString: s.link.id))
            let programID = try #require(try await Program.query(on: t.store.db).first()?.requireID())
            for index in 1...30 {
                let signedUp = t.clock.now.addingTimeInterval(Double(index) * 60)
                try await Customer(programID: programID, key: "c\(index)", email: String(format: "user%02d@example.org", index), name: nil,
                                   partnershipID: partnershipID, clickID: nil, attributionNote: nil, signedUpAt: signedUp, createdAt: signedUp)
                    .create(on: t.store.db)
                try await PartnershipDaily.customerSignedUp(partnershipID: partnershipID, at: signedUp, clickID: nil, on: t.store.db)
            }
            let first = try await s.browser.get(s.base + "/referrals")
            #expect(first.contains("u***@example.org"))
            #expect(first.body.components(separatedBy: "u***@example.org").count - 1 == 25)
            #expect(first.contains("Page 1 of 2"))
            #expect(first.contains(s.base + "/referrals?page=2"))
            let second = try await s.browser.get(s.base + "/referrals?page=2")
            #expect(second.body.components(separatedBy: "u***@example.org").count - 1 == 5)
            #expect(try await s.browser.get(s.base + "/referrals?page=abc").status == .ok)
            #expect(try await s.browser.get(s.base + "/referrals?page=-4").contains("Page 1 of 2"))
            #expect(try await s.browser.get(s.base + "/referrals?page=99").contains("Page 2 of 2"))
        }
    }

    @Test func submittingAReferralMakesALead() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            let bad = try await s.browser.submit(s.base + "/referrals", to: s.base + "/leads",
                                                 [("name", "Lee <b>Park</b>"), ("email", "not-an-email"), ("company", "Parks")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.contains("Enter an email address like name@example.com."))
            #expect(bad.contains(#"value="not-an-email""#))
            #expect(bad.contains(#"value="Lee &lt;b&gt;Park&lt;/b&gt;""#))
            #expect(try await Lead.query(on: t.store.db).count() == 0)

            let sent = try await s.browser.submit(s.base + "/referrals", to: s.base + "/leads",
                                                  [("name", "Lee <b>Park</b>"), ("email", "Lee@Prospect.example"), ("company", "Parks")])
            #expect(sent.status == .seeOther)
            let lead = try #require(try await Lead.query(on: t.store.db).first())
            #expect(lead.email == "lee@prospect.example")
            #expect(lead.name == "Lee <b>Park</b>")
            #expect(lead.status == .new)
            #expect(lead.$partnership.id == UUID(uuidString: s.link.id))
            let page = try await s.browser.get(try #require(sent.location))
            #expect(page.contains("Your referral was sent"))
            #expect(page.contains("Lee &lt;b&gt;Park&lt;/b&gt;"))
            #expect(page.contains("New"))
            #expect(page.contains(">Nov 18, 2026<"), "dated as every page dates a day")

            // The same person again: refused on the form, with what was typed kept, and nothing new.
            let twice = try await s.browser.submit(s.base + "/referrals", to: s.base + "/leads",
                                                   [("name", "Lee P."), ("email", "lee@prospect.example"), ("company", "")])
            #expect(twice.status == .unprocessableContent)
            #expect(twice.contains("You already submitted lee@prospect.example to this program"))
            #expect(twice.contains(#"value="Lee P.""#))
            #expect(try await Lead.query(on: t.store.db).count() == 1)
        }
    }

    @Test func anEmptySearchSaysNoOneSignedUpYet() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            let empty = try await s.browser.get(s.base + "/referrals?q=")
            #expect(empty.contains("No one you referred has signed up yet."))
            #expect(!empty.contains("No referred customer matches"))
            #expect(try await s.browser.get(s.base + "/referrals?q=zed").contains("No referred customer matches “zed”."))
        }
    }

    @Test func withoutLeadsThereIsNoReferralForm() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t, features: ["leads": false])
            let page = try await s.browser.get(s.base + "/referrals")
            #expect(page.status == .ok)
            #expect(!page.contains("Submit a Referral"))
            #expect(try await s.browser.post(s.base + "/leads", [("name", "Lee"), ("email", "lee@example.org")]).status == .notFound)
        }
    }

    @Test func registeringADeal() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            let bad = try await s.browser.submit(s.base + "/deals", [("name", "Big Corp"), ("amount", "12.345")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.contains("Enter an amount like 1,250.00."))
            #expect(bad.contains(#"value="12.345""#))
            #expect(try await Deal.query(on: t.store.db).count() == 0)

            let made = try await s.browser.submit(s.base + "/deals", [("name", "Big <Corp>"), ("amount", "1,250.00")])
            #expect(made.status == .seeOther)
            let deal = try #require(try await Deal.query(on: t.store.db).first())
            #expect(deal.amount == 125_000)
            #expect(deal.currency == "USD")
            let page = try await s.browser.get(s.base + "/deals")
            #expect(page.contains("Big &lt;Corp&gt;"))
            #expect(page.contains("$1,250.00"))
            #expect(page.contains("Open"))
        }
    }

    @Test func theDealsTabIsA404WhenDealsAreOff() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t, features: ["deals": false])
            #expect(try await s.browser.get(s.base + "/deals").status == .notFound)
            try await s.browser.get(s.base + "/referrals")
            #expect(try await s.browser.post(s.base + "/deals", [("name", "X"), ("amount", "10")]).status == .notFound)
            #expect(!(try await s.browser.get(s.base + "/referrals")).contains(s.base + "/deals"))
        }
    }

    @Test func anotherPartnersProgramIsA404OnEveryPage() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            let sam = try await t.enrol(s.vendor, email: "sam@example.com")
            let theirs = "/partner/programs/\(sam.id.lowercased())"
            for path in ["/links", "/referrals", "/deals", "/performance", "/performance?interval=day"] {
                #expect(try await s.browser.get(theirs + path).status == .notFound, "\(path)")
            }
            try await s.browser.get(s.base + "/links")
            #expect(try await s.browser.post(theirs + "/links", [("slug", "mine"), ("destination", "")]).status == .notFound)
            #expect(try await s.browser.post(theirs + "/leads", [("name", "Lee"), ("email", "lee@example.org")]).status == .notFound)
            #expect(try await s.browser.post(theirs + "/deals", [("name", "X"), ("amount", "10")]).status == .notFound)
            #expect(try await s.browser.get("/partner/programs/not-a-uuid/links").status == .notFound)
            #expect(try await customLinks(t).isEmpty)
            #expect(try await Lead.query(on: t.store.db).count() == 0)
        }
    }

    // MARK: - Performance

    static func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    /// Events on known dates around the test clock's "now" (2026-11-18 11:06 UTC).
    func seedPerformance(_ t: TestEnvironment, _ s: Setup) async throws {
        let partnershipID = try #require(UUID(uuidString: s.link.id))
        let programID = try #require(try await Program.query(on: t.store.db).first()?.requireID())
        _ = try await click(t, s.link.path, visitor: String(repeating: "a", count: 32))
        try await t.tracking.recorder.flush()
        // Signed up today, through the API.
        try await s.vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_now", "partner_key": s.link.key, "email": "now@example.org"])
        func customer(_ key: String, _ when: String) async throws -> UUID {
            let made = Customer(programID: programID, key: key, email: "\(key)@example.org", name: nil, partnershipID: partnershipID,
                                clickID: nil, attributionNote: nil, signedUpAt: Self.at(when), createdAt: Self.at(when))
            try await made.create(on: t.store.db)
            try await PartnershipDaily.customerSignedUp(partnershipID: partnershipID, at: made.signedUpAt, clickID: nil, on: t.store.db)
            return try made.requireID()
        }
        func sale(_ customerID: UUID, _ id: String, _ amount: Int64, refunded: Int64 = 0, _ when: String) async throws {
            let made = SaleTransaction(programID: programID, customerID: customerID, partnershipID: partnershipID, externalID: id,
                                       amount: amount, currency: "USD", description: nil, occurredAt: Self.at(when), createdAt: Self.at(when))
            try await made.create(on: t.store.db)
            try await PartnershipDaily.paymentRecorded(partnershipID: partnershipID, customerID: customerID, transactionID: made.requireID(),
                                                       amount: amount, occurredAt: made.occurredAt, on: t.store.db)
            if refunded > 0 {
                made.refundedAmount = refunded
                try await made.save(on: t.store.db)
                try await PartnershipDaily.refunded(partnershipID: partnershipID, amount: refunded, occurredAt: made.occurredAt, on: t.store.db)
            }
        }
        func reward(_ amount: Int64, _ status: RewardStatus, _ when: String) async throws {
            try await Reward(programID: programID, partnershipID: partnershipID, kind: .manual, ruleID: nil, source: "manual:\(UUID())",
                             customerID: nil, transactionID: nil, amount: amount, currency: .usd, status: status,
                             availableAt: Self.at(when), description: "test", now: Self.at(when)).create(on: t.store.db)
            try await PartnershipDaily.rewardMoved(partnershipID: partnershipID, createdAt: Self.at(when), from: nil, amount: amount, to: status, on: t.store.db)
        }
        let september = try await customer("cus_sep", "2026-09-15T10:00:00Z")
        try await sale(september, "t1", 10_000, "2026-09-20T23:59:00Z")
        try await sale(september, "t2", 2_500, refunded: 500, "2026-11-02T00:00:01Z")
        let old = try await customer("cus_old", "2025-10-01T00:00:00Z")  // before the 12 months
        try await sale(old, "t0", 99_900, "2025-11-30T23:59:59Z")
        try await reward(1_500, .paid, "2026-10-05T12:00:00Z")
        try await reward(700, .pending, "2026-11-10T12:00:00Z")
        try await reward(300, .held, "2026-11-11T12:00:00Z")
        try await reward(999, .declined, "2026-11-12T12:00:00Z")
    }

    static func row(_ label: String, _ cells: String...) -> String {
        "<tr><td class=\"nowrap\">\(label)</td>" + cells.map { #"<td class="num">\#($0)</td>"# }.joined() + "</tr>"
    }

    @Test func performanceByMonth() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            try await seedPerformance(t, s)
            let page = try await s.browser.get(s.base + "/performance")
            #expect(page.status == .ok)
            #expect(page.contains("Last 12 months, by month"))
            #expect(page.contains("<svg"))
            #expect(page.contains(Self.row("Nov 2026 (so far)", "1", "1", "$20.00", "$0.00", "$10.00")))
            #expect(page.contains(Self.row("Oct 2026", "0", "0", "$0.00", "$15.00", "$0.00")))
            #expect(page.contains(Self.row("Sep 2026", "0", "1", "$100.00", "$0.00", "$0.00")))
            #expect(page.contains(Self.row("Dec 2025", "0", "0", "$0.00", "$0.00", "$0.00")))
            #expect(!page.contains("<td class=\"nowrap\">Nov 2025</td>"), "12 months only")
            #expect(!page.contains("$999"), "older sales are outside the window")
            #expect(page.contains("$120.00"), "sold in the window")
            // An unknown interval is the monthly view, not an error.
            #expect(try await s.browser.get(s.base + "/performance?interval=%3Cx%3E").contains("Last 12 months, by month"))
        }
    }

    @Test func performanceByDay() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            try await seedPerformance(t, s)
            let page = try await s.browser.get(s.base + "/performance?interval=day")
            #expect(page.status == .ok)
            #expect(page.contains("Last 30 days, by day"))
            #expect(page.contains(Self.row("Nov 18, 2026 (so far)", "1", "1", "$0.00", "$0.00", "$0.00")))
            #expect(page.contains(Self.row("Nov 2, 2026", "0", "0", "$20.00", "$0.00", "$0.00")))
            #expect(page.contains(Self.row("Nov 10, 2026", "0", "0", "$0.00", "$0.00", "$7.00")))
            #expect(page.contains(Self.row("Nov 11, 2026", "0", "0", "$0.00", "$0.00", "$3.00")))
            #expect(page.contains(Self.row("Oct 20, 2026", "0", "0", "$0.00", "$0.00", "$0.00")), "30 days back, today included")
            #expect(!page.contains("<td class=\"nowrap\">Oct 19, 2026</td>"))
            #expect(!page.contains("<td class=\"nowrap\">Sep 20, 2026</td>"))
        }
    }
}
