import FluentKit
import Foundation
import Hummingbird
import TandemDomain
import TandemStore
import Testing
@testable import TandemWeb

@Suite struct VendorPartnersPageTests {
    /// Acme's team, a marketplace program that reviews applications, and pat's application.
    func setUp(_ t: TestEnvironment) async throws -> (VendorTeam, Partnership) {
        let team = try await t.vendorTeam()
        try await t.program(team.api, extra: ["marketplace": true, "auto_approve": false])
        try await TestApp.makePartner(email: "pat@example.com", password: "correct horse battery", name: "Pat Lee", store: t.store, clock: t.clock)
        let partner = t.browser
        try await partner.logIn("pat@example.com", "correct horse battery")
        _ = try await partner.submit("/partner/marketplace", to: "/partner/marketplace/acme/join", [])
        return (team, try #require(try await Partnership.query(on: t.store.db).first()))
    }

    func mails(_ t: TestEnvironment, to address: String) async throws -> [OutboxEmail] {
        try await OutboxEmail.query(on: t.store.db).filter(\.$toAddress == address).all()
    }

    @Test func anApplicationIsApprovedFromTheListAndThePartnerIsMailed() async throws {
        try await TestApp.with { t in
            let (team, partnership) = try await setUp(t)
            let id = try partnership.requireID().pathText
            let list = try await team.manager.get("/vendor/partners?status=applied")
            #expect(list.contains("Pat Lee") && list.contains("/vendor/partners/\(id)/review"))
            let approved = try await team.manager.post("/vendor/partners/\(id)/review", [("status", "active"), ("reason", "Welcome aboard!")])
            #expect(approved.location == "/vendor/partners?done=approved")
            #expect(try await Partnership.find(partnership.requireID(), on: t.store.db)?.status == .active)
            #expect(try await Link.query(on: t.store.db).count() == 1, "the default link comes with approval")
            let mail = try #require(try await mails(t, to: "pat@example.com").first)
            #expect(mail.subject == "You are now a partner of Acme Partners")
            #expect(mail.textBody.contains("The program's note: Welcome aboard!"))
        }
    }

    @Test func aDeclinedApplicationCarriesTheReasonToThePartner() async throws {
        try await TestApp.with { t in
            let (team, partnership) = try await setUp(t)
            let id = try partnership.requireID().pathText
            let page = try await team.admin.get("/vendor/partners/\(id)")
            #expect(page.status == .ok && page.contains("Pat Lee") && page.contains("Applied"))
            let declined = try await team.admin.post("/vendor/partners/\(id)/review", [("status", "declined"), ("reason", "We only work with EU sites."), ("back", "partner")])
            #expect(declined.location == "/vendor/partners/\(id)?done=declined")
            #expect(try await Partnership.find(partnership.requireID(), on: t.store.db)?.status == .declined)
            #expect(try await mails(t, to: "pat@example.com").first?.textBody.contains("We only work with EU sites.") == true)
        }
    }

    @Test func aPartnerIsInvitedByEmailAndMovedToAnotherGroup() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            try await t.program(team.api)
            let vip = try await team.api.post("/api/v1/programs/acme/groups", ["name": "VIP"])
            let bad = try await team.admin.submit("/vendor/partners", to: "/vendor/partners/invite", [("program", "acme"), ("email", "not-an-email"), ("name", "")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.contains(#"value="not-an-email""#))
            #expect(try await Partnership.query(on: t.store.db).count() == 0)
            let invited = try await team.admin.post("/vendor/partners/invite", [("program", "acme"), ("email", "sam@example.com"), ("name", "Sam Roe")])
            #expect(invited.location == "/vendor/partners?done=invited")
            let mail = try #require(try await mails(t, to: "sam@example.com").first)
            #expect(mail.textBody.contains("http://tandem.test/password/reset/"), "a link to choose a password")
            let partnership = try #require(try await Partnership.query(on: t.store.db).first())
            #expect(partnership.status == .active)
            // An existing partner invited to a second program gets a link to it.
            _ = try await t.program(team.api, slug: "acme-two")
            _ = try await team.admin.post("/vendor/partners/invite", [("program", "acme-two"), ("email", "sam@example.com")])
            let second = try await mails(t, to: "sam@example.com")
            #expect(second.count == 2 && second.contains { $0.textBody.contains("http://tandem.test/partner/programs/") })

            let id = try partnership.requireID().pathText
            let moved = try await team.manager.post("/vendor/partners/\(id)/review", [("status", "active"), ("group", vip.string("id") ?? ""), ("back", "partner")])
            #expect(moved.location == "/vendor/partners/\(id)?done=saved")
            #expect(try await Partnership.find(partnership.requireID(), on: t.store.db)?.$group.id.pathText == vip.string("id"))
            let other = try await team.manager.post("/vendor/partners/\(id)/review", [("group", UUID().uuidString)])
            #expect(other.location == "/vendor/partners?error=not_found")
            let archived = try await team.manager.post("/vendor/partners/\(id)/review", [("status", "archived")])
            #expect(archived.status == .seeOther)
            #expect(try await Partnership.find(partnership.requireID(), on: t.store.db)?.status == .archived)
        }
    }

    @Test func filtersFindPartnersByNameAndStatus() async throws {
        try await TestApp.with { t in
            let (team, _) = try await setUp(t)
            _ = try await t.enrol(team.api, email: "sam@example.com")
            let byName = try await team.admin.get("/vendor/partners?q=PAT")
            #expect(byName.contains("Pat Lee") && !byName.contains("sam@example.com"))
            let active = try await team.admin.get("/vendor/partners?status=active")
            #expect(!active.contains("Pat Lee") && active.contains("sam@example.com"))
            let wildcard = try await team.admin.get("/vendor/partners?q=%25")
            #expect(!wildcard.contains("Pat Lee"), "% is a character, not a wildcard")
        }
    }

    @Test func rolesAreEnforcedOnTheServer() async throws {
        try await TestApp.with { t in
            let (team, partnership) = try await setUp(t)
            let id = try partnership.requireID().pathText
            let list = try await team.readOnly.get("/vendor/partners")
            #expect(list.status == .ok && list.contains("Pat Lee"))
            #expect(!list.contains("/review") && !list.contains("Invite a partner"))
            #expect(!(try await team.readOnly.get("/vendor/partners/\(id)").contains("Status and group")))
            #expect(try await team.readOnly.post("/vendor/partners/\(id)/review", [("status", "active")]).status == .forbidden)
            #expect(try await team.readOnly.post("/vendor/partners/invite", [("program", "acme"), ("email", "x@example.com")]).status == .forbidden)
            #expect(try await Partnership.find(partnership.requireID(), on: t.store.db)?.status == .applied)
            #expect(try await Partnership.query(on: t.store.db).count() == 1)
        }
    }

    @Test func anotherCompanysPartnerIsNotFound() async throws {
        try await TestApp.with { t in
            let (_, partnership) = try await setUp(t)
            let id = try partnership.requireID().pathText
            let globex = try await t.vendorTeam("Globex")
            #expect(!(try await globex.admin.get("/vendor/partners").contains("Pat Lee")))
            #expect(try await globex.admin.get("/vendor/partners/\(id)").status == .notFound)
            #expect(try await globex.admin.post("/vendor/partners/\(id)/review", [("status", "active")]).status == .notFound)
            #expect(try await globex.admin.post("/vendor/partners/invite", [("program", "acme"), ("email", "x@example.com")]).status == .unprocessableContent)
            #expect(try await Partnership.find(partnership.requireID(), on: t.store.db)?.status == .applied)
        }
    }
}
