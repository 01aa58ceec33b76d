import FluentKit
import Foundation
import Hummingbird
import TandemDomain
import TandemStore
import Testing
@testable import TandemWeb

@Suite struct VendorOverviewAndReferralsTests {
    /// Acme with leads and deals on, a $25 qualified-lead rule, pat enrolled, a signup with a
    /// $120 payment, and pat's lead and deal submitted through the partner's pages.
    func setUp(_ t: TestEnvironment) async throws -> (VendorTeam, (id: String, key: String, path: String)) {
        let team = try await t.vendorTeam()
        try await t.program(team.api, extra: ["features": ["links": true, "custom_links": true, "leads": true, "deals": true]])
        _ = try await team.api.post("/api/v1/programs/acme/reward-rules", ["trigger": "lead_qualified", "kind": "flat", "amount": 2500])
        _ = try await team.api.post("/api/v1/programs/acme/reward-rules", ["trigger": "deal_won", "kind": "percent", "percent": 10])
        try await TestApp.makePartner(email: "pat@example.com", password: "correct horse battery", name: "Pat Lee", store: t.store, clock: t.clock)
        let link = try await t.enrol(team.api, email: "pat@example.com")
        _ = try await team.api.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "name": "Dana Buyer", "partner_key": link.key])
        _ = try await team.api.post("/api/v1/transactions", ["program": "acme", "customer_key": "cus_1", "external_id": "t1", "amount": 12000, "currency": "USD"])
        let partner = t.browser
        try await partner.logIn("pat@example.com", "correct horse battery")
        let leads = "/partner/programs/\(link.id)/leads"
        #expect(try await partner.submit("/partner/programs/\(link.id)/referrals", to: leads, [("name", "Lee Prospect"), ("email", "lee@prospect.example"), ("company", "Prospect Inc")]).status == .seeOther)
        #expect(try await partner.submit("/partner/programs/\(link.id)/deals", [("name", "Big contract"), ("amount", "5000")]).status == .seeOther)
        return (team, link)
    }

    @Test func theOverviewShowsEachProgramsNumbersAndWhatWaits() async throws {
        try await TestApp.with { t in
            let (team, _) = try await setUp(t)
            let page = try await team.readOnly.get("/vendor")
            #expect(page.status == .ok)
            #expect(page.contains(#"href="/vendor/leads?status=new"><div class="stat__label">New leads</div><div class="stat__value">1</div>"#))
            #expect(page.contains(#"href="/vendor/deals?status=open"><div class="stat__label">Open deals</div><div class="stat__value">1</div>"#))
            #expect(page.contains("$120.00"), "revenue")
            #expect(page.contains("<svg"), "the 12-month chart")
            #expect(!page.contains("New program"), "read-only cannot create programs")
            let globex = try await t.vendorTeam("Globex")
            let theirs = try await globex.admin.get("/vendor")
            #expect(!theirs.contains("$120.00") && theirs.contains("No programs yet"))
        }
    }

    @Test func aNewLeadOrDealIsMailedToAdminsAndManagers() async throws {
        try await TestApp.with { t in
            _ = try await setUp(t)
            let mails = try await OutboxEmail.query(on: t.store.db).all()
            let lead = mails.filter { $0.subject == "New lead in Acme Partners: Lee Prospect" }.map(\.toAddress).sorted()
            #expect(lead == ["admin@acme.example", "manager@acme.example"])
            #expect(mails.first { $0.subject.hasPrefix("New lead") }?.textBody.contains("http://tandem.test/vendor/leads?status=new") == true)
            #expect(mails.filter { $0.subject == "New deal in Acme Partners: Big contract" }.count == 2)
        }
    }

    @Test func aManagerQualifiesALeadAndWinsADealAndTheRulesPay() async throws {
        try await TestApp.with { t in
            let (team, _) = try await setUp(t)
            let leads = try await team.manager.get("/vendor/leads?status=new")
            #expect(leads.contains("Lee Prospect") && leads.contains("Prospect Inc") && leads.contains("Pat Lee"))
            let lead = try #require(try await Lead.query(on: t.store.db).first())
            let qualified = try await team.manager.post("/vendor/leads/\(try lead.requireID().pathText)", [("status", "qualified")])
            #expect(qualified.location == "/vendor/leads?done=moved")
            let deal = try #require(try await Deal.query(on: t.store.db).first())
            #expect(try await team.manager.post("/vendor/deals/\(try deal.requireID().pathText)", [("stage", "won")]).status == .seeOther)
            let amounts = try await Reward.query(on: t.store.db).all().map(\.amount).sorted()
            #expect(amounts == [2500, 50000], "the lead rule's $25 and 10 % of the $5,000 deal")
            let bad = try await team.manager.post("/vendor/deals/\(try deal.requireID().pathText)", [("stage", "maybe")])
            #expect(bad.location == "/vendor/deals?done=refused")
            #expect(try await team.manager.get("/vendor/customers?q=dana").contains("Dana Buyer"))
            #expect(!(try await team.manager.get("/vendor/customers?q=nobody").contains("Dana Buyer")))
        }
    }

    @Test func readOnlySeesButCannotMoveAndOtherCompaniesSeeNothing() async throws {
        try await TestApp.with { t in
            let (team, _) = try await setUp(t)
            let lead = try #require(try await Lead.query(on: t.store.db).first()).requireID().pathText
            let deal = try #require(try await Deal.query(on: t.store.db).first()).requireID().pathText
            let view = try await team.readOnly.get("/vendor/leads")
            #expect(view.contains("Lee Prospect") && !view.contains("/vendor/leads/\(lead)"))
            #expect(try await team.readOnly.post("/vendor/leads/\(lead)", [("status", "qualified")]).status == .forbidden)
            #expect(try await team.readOnly.post("/vendor/deals/\(deal)", [("stage", "won")]).status == .forbidden)
            let globex = try await t.vendorTeam("Globex")
            #expect(!(try await globex.admin.get("/vendor/leads").contains("Lee Prospect")))
            #expect(!(try await globex.admin.get("/vendor/customers").contains("Dana Buyer")))
            #expect(try await globex.admin.post("/vendor/leads/\(lead)", [("status", "qualified")]).status == .notFound)
            #expect(try await globex.admin.post("/vendor/deals/\(deal)", [("stage", "won")]).status == .notFound)
            #expect(try await Reward.query(on: t.store.db).count() == 0, "no lead or deal rule paid")
            #expect(try await Lead.query(on: t.store.db).first()?.status == .new)
        }
    }
}
