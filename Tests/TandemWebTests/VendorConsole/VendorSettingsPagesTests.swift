import FluentKit
import Foundation
import Hummingbird
import TandemDomain
import TandemStore
import Testing
@testable import TandemWeb

@Suite struct VendorSettingsPagesTests {
    @Test func anAdminCreatesAKeySeesItOnceUsesItAndRevokesIt() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            let noLabel = try await team.admin.submit("/vendor/settings/api-keys", [("label", " ")])
            #expect(noLabel.status == .unprocessableContent && noLabel.contains("Give the key a label"))
            let created = try await team.admin.post("/vendor/settings/api-keys", [("label", "Billing sync")])
            #expect(created.status == .created)
            let secret = try #require(created.body.range(of: #"tdm_sk_[A-Za-z0-9]+"#, options: .regularExpression).map { String(created.body[$0]) })
            #expect(created.contains("it is shown only this once"))
            let stored = try #require(try await APIKey.query(on: t.store.db).filter(\.$label == "Billing sync").first())
            #expect(stored.secretHash != secret && !stored.secretHash.contains(secret), "only a hash is stored")
            let list = try await team.admin.get("/vendor/settings/api-keys")
            #expect(!list.contains(secret), "never shown again")
            #expect(list.contains("Billing sync") && list.contains("Never"))

            let api = t.api.with(key: secret)
            #expect(try await api.get("/api/v1/programs").status == .ok)
            #expect(try await APIKey.find(stored.requireID(), on: t.store.db)?.lastUsedAt != nil)
            let revoked = try await team.admin.post("/vendor/settings/api-keys/\(try stored.requireID().pathText)/revoke", [])
            #expect(revoked.location == "/vendor/settings/api-keys?done=revoked")
            #expect(try await api.get("/api/v1/programs").status == .unauthorized)
        }
    }

    @Test func onlyAnAdminSeesOrChangesKeysAndTeam() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            let key = try #require(try await APIKey.query(on: t.store.db).first()).requireID().pathText
            for browser in [team.manager, team.readOnly] {
                #expect(try await browser.get("/vendor/settings/api-keys").status == .forbidden)
                #expect(try await browser.post("/vendor/settings/api-keys", [("label", "x")]).status == .forbidden)
                #expect(try await browser.post("/vendor/settings/api-keys/\(key)/revoke", []).status == .forbidden)
                #expect(try await browser.post("/vendor/settings/team", [("email", "x@example.com"), ("role", "admin")]).status == .forbidden)
                #expect(try await browser.post("/vendor/settings/company", [("name", "Taken over")]).status == .forbidden)
                let view = try await browser.get("/vendor/settings/team")
                #expect(view.status == .ok && view.contains("manager@acme.example") && !view.contains("Send invitation"))
                #expect(!(try await browser.get("/vendor").contains("/vendor/settings/api-keys")), "the menu hides keys too")
            }
            #expect(try await APIKey.query(on: t.store.db).count() == 1)
            #expect(try await APIKey.query(on: t.store.db).first()?.revokedAt == nil)
            #expect(try await Company.query(on: t.store.db).first()?.name == "Acme")
        }
    }

    @Test func anAdminInvitesATeammateWhoChoosesAPasswordAndManagesRoles() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            let bad = try await team.admin.submit("/vendor/settings/team", [("email", "nope"), ("role", "manager")])
            #expect(bad.status == .unprocessableContent)
            let taken = try await team.admin.post("/vendor/settings/team", [("email", "manager@acme.example"), ("role", "manager")])
            #expect(taken.status == .conflict && taken.contains("is already on a vendor team"))
            let invited = try await team.admin.post("/vendor/settings/team", [("email", "kim@acme.example"), ("name", "Kim"), ("role", "read_only")])
            #expect(invited.location == "/vendor/settings/team?done=invited")
            let mail = try #require(try await OutboxEmail.query(on: t.store.db).filter(\.$toAddress == "kim@acme.example").first())
            let link = try #require(mail.textBody.range(of: #"/password/reset/[A-Za-z0-9_-]+"#, options: .regularExpression).map { String(mail.textBody[$0]) })
            let kim = t.browser
            let chosen = try await kim.submit(link, [("password", "kims long password"), ("password_confirmation", "kims long password")])
            #expect(chosen.status == .seeOther, "\(chosen.status)")
            _ = try await kim.logIn("kim@acme.example", "kims long password")
            #expect(try await kim.get("/vendor").status == .ok)
            #expect(try await kim.post("/vendor/programs/new", []).status == .forbidden, "read-only")

            let members = try await AccountQueries.team(companyID: team.companyID, on: t.store.db)
            let adminID = try #require(members.first { $0.role == .admin }).requireID().pathText
            let last = try await team.admin.post("/vendor/settings/team/\(adminID)", [("role", "manager")])
            #expect(last.status == .conflict && last.contains("A company keeps at least one admin"))
            #expect(try await team.admin.post("/vendor/settings/team/\(adminID)/remove", []).status == .conflict)
            let managerID = try #require(members.first { $0.role == .manager }).requireID().pathText
            #expect(try await team.admin.post("/vendor/settings/team/\(managerID)", [("role", "admin")]).location == "/vendor/settings/team?done=saved")
            #expect(try await team.admin.post("/vendor/settings/team/\(managerID)/remove", []).location == "/vendor/settings/team?done=removed")
            #expect(try await team.manager.get("/vendor").status == .forbidden, "removed: no longer a teammate")
            #expect(try await team.admin.submit("/vendor/settings/company", [("name", "Acme Corp")]).location == "/vendor/settings/company?done=saved")
            #expect(try await Company.query(on: t.store.db).first()?.name == "Acme Corp")
        }
    }

    @Test func anotherCompanysTeammatesAndKeysAreNotFound() async throws {
        try await TestApp.with { t in
            let acme = try await t.vendorTeam()
            let globex = try await t.vendorTeam("Globex")
            let key = try #require(try await APIKey.query(on: t.store.db).filter(\.$company.$id == acme.companyID).first()).requireID().pathText
            let member = try #require(try await AccountQueries.team(companyID: acme.companyID, on: t.store.db).first { $0.role == .manager }).requireID().pathText
            #expect(try await globex.admin.post("/vendor/settings/api-keys/\(key)/revoke", []).status == .notFound)
            #expect(try await globex.admin.post("/vendor/settings/team/\(member)", [("role", "read_only")]).status == .notFound)
            #expect(try await globex.admin.post("/vendor/settings/team/\(member)/remove", []).status == .notFound)
            #expect(!(try await globex.admin.get("/vendor/settings/team").contains("manager@acme.example")))
            #expect(!(try await globex.admin.get("/vendor/settings/api-keys").contains(key)))
            #expect(try await APIKey.query(on: t.store.db).filter(\.$revokedAt != nil).count() == 0)
            #expect(try await CompanyMember.query(on: t.store.db).filter(\.$company.$id == acme.companyID).count() == 3)
        }
    }
}
