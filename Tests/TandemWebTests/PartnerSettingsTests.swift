import FluentKit
import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

/// A partner account with one signed-in teammate per role, enrolled in Acme's program.
struct PartnerCrew {
    let vendor: APIClient
    let accountID: UUID
    let browsers: [PartnerRole: Browser]
    static let password = "correct horse battery"

    func browser(_ role: PartnerRole) -> Browser { browsers[role]! }
}

extension TestEnvironment {
    func partnerCrew() async throws -> PartnerCrew {
        try await TestApp.makePartner(email: "owner@crew.example", password: PartnerCrew.password, name: "Olive Owner", store: store, clock: clock)
        guard let owner = try await AccountQueries.user(email: "owner@crew.example", on: store.db),
              let membership = try await PartnerMember.query(on: store.db).filter(\.$user.$id == owner.requireID()).first() else { throw TestFailure("owner") }
        let accountID = membership.$account.id
        let hash = try await PasswordHasher(cost: 4).hash(PartnerCrew.password)
        for role in [PartnerRole.admin, .finance, .member] {
            try await AccountQueries.addPartnerMember(accountID: accountID, name: role.label, email: "\(role.rawValue)@crew.example",
                                                      passwordHash: hash, role: role, now: clock.now, on: store.db)
        }
        let vendor = try await vendor()
        try await program(vendor)
        _ = try await enrol(vendor, email: "owner@crew.example")
        var browsers: [PartnerRole: Browser] = [:]
        for role in PartnerRole.allCases {
            let browser = self.browser
            let answer = try await browser.logIn("\(role.rawValue)@crew.example", PartnerCrew.password)
            guard answer.status == .seeOther else { throw TestFailure("login \(role): \(answer.status)") }
            browsers[role] = browser
        }
        return PartnerCrew(vendor: vendor, accountID: accountID, browsers: browsers)
    }

    func lastMail(to address: String) async throws -> OutboxEmail? {
        try await OutboxEmail.query(on: store.db).filter(\.$toAddress == address).sort(\.$createdAt, .descending).first()
    }
}

@Suite struct PartnerKeysPageTests {
    @Test func theOwnerMakesAKeyThatWorksUntilRevoked() async throws {
        try await TestApp.with { t in
            let crew = try await t.partnerCrew()
            let owner = crew.browser(.owner)
            let empty = try await owner.submit("/partner/settings/api-keys", [("label", "  ")])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.contains("Give the key a label"))

            let made = try await owner.submit("/partner/settings/api-keys", [("label", "My tracker")])
            #expect(made.status == .created)
            let secret = try #require(made.body.firstMatch(of: /value="(tdm_pk_[A-Za-z0-9_-]+)"/)?.1).description
            #expect(made.contains("shown only this once"))
            let stored = try #require(try await APIKey.query(on: t.store.db).filter(\.$label == "My tracker").first())
            #expect(stored.secretHash == SecureToken.hash(secret) && stored.secretHash != secret, "only the hash is kept")
            #expect(stored.$partnerAccount.id == crew.accountID)

            let api = t.api.with(key: secret)
            #expect(try await api.get("/api/v1/partner/programs").status == .ok)
            let list = try await owner.get("/partner/settings/api-keys")
            #expect(!list.contains(secret), "never shown again")
            #expect(list.contains("My tracker") && list.contains(String(secret.prefix(11))))
            #expect(!list.contains(">Never<"), "its last use is shown")

            let keyID = try stored.requireID()
            let revoked = try await owner.post("/partner/settings/api-keys/\(keyID.pathText)/revoke", [])
            #expect(revoked.location == "/partner/settings/api-keys?done=revoked")
            #expect(try await api.get("/api/v1/partner/programs").status == .unauthorized)
            #expect(try await owner.get("/partner/settings/api-keys").contains("Revoked"))
        }
    }

    @Test func onlyTheOwnerSeesOrTouchesKeys() async throws {
        try await TestApp.with { t in
            let crew = try await t.partnerCrew()
            _ = try await crew.browser(.owner).submit("/partner/settings/api-keys", [("label", "Owner key")])
            let keyID = try #require(try await APIKey.query(on: t.store.db).filter(\.$label == "Owner key").first()?.requireID())
            for role in [PartnerRole.admin, .finance, .member] {
                let browser = crew.browser(role)
                #expect(try await browser.get("/partner/settings/api-keys").status == .forbidden, "\(role)")
                #expect(try await browser.post("/partner/settings/api-keys", [("label", "Mine")]).status == .forbidden, "\(role)")
                #expect(try await browser.post("/partner/settings/api-keys/\(keyID.pathText)/revoke", []).status == .forbidden, "\(role)")
                #expect(!(try await browser.get("/partner/settings").contains("/partner/settings/api-keys")), "no tab for \(role)")
            }
            #expect(try await APIKey.query(on: t.store.db).filter(\.$revokedAt == nil).filter(\.$label == "Owner key").count() == 1)
            #expect(try await APIKey.query(on: t.store.db).filter(\.$label == "Mine").count() == 0)
        }
    }

    @Test func anotherAccountsKeyIsA404() async throws {
        try await TestApp.with { t in
            let crew = try await t.partnerCrew()
            try await TestApp.makePartner(email: "other@example.com", password: PartnerCrew.password, name: "Other", store: t.store, clock: t.clock)
            let other = t.browser
            _ = try await other.logIn("other@example.com", PartnerCrew.password)
            _ = try await other.submit("/partner/settings/api-keys", [("label", "Other key")])
            let theirs = try #require(try await APIKey.query(on: t.store.db).filter(\.$label == "Other key").first()?.requireID())
            #expect(try await crew.browser(.owner).post("/partner/settings/api-keys/\(theirs.pathText)/revoke", []).status == .notFound)
            #expect(try await APIKey.query(on: t.store.db).filter(\.$id == theirs).first()?.revokedAt == nil)
            #expect(!(try await crew.browser(.owner).get("/partner/settings/api-keys").contains("Other key")))
        }
    }
}

@Suite struct PartnerTeamPageTests {
    @Test func theOwnerInvitesANewPersonWhoChoosesAPassword() async throws {
        try await TestApp.with { t in
            let crew = try await t.partnerCrew()
            let bad = try await crew.browser(.owner).submit("/partner/settings/team", [("email", "nope"), ("name", ""), ("role", "member")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.contains(#"value="nope""#))
            let sent = try await crew.browser(.owner).submit("/partner/settings/team", [("email", "New@Crew.example"), ("name", "Nia <New>"), ("role", "finance")])
            #expect(sent.location == "/partner/settings/team?done=invited")
            let mail = try #require(try await t.lastMail(to: "new@crew.example"))
            #expect(mail.subject.contains("Olive Owner invited you"))
            let link = try #require(DevMailPage.links(in: mail.textBody).first)
            let path = String(link.dropFirst("http://tandem.test".count))
            let newcomer = t.browser
            #expect(try await newcomer.submit(path, [("password", "a fresh password 1"), ("password_confirmation", "a fresh password 1")]).status == .seeOther)
            #expect(try await newcomer.logIn("new@crew.example", "a fresh password 1").status == .seeOther)
            let team = try await newcomer.get("/partner/settings/team")
            #expect(team.contains("Nia &lt;New&gt;") && team.contains("Finance"))
            #expect(!team.contains("Send invitation"), "finance does not manage the team")
            // Invited twice: refused, nothing new.
            let twice = try await crew.browser(.owner).submit("/partner/settings/team", [("email", "new@crew.example"), ("name", ""), ("role", "member")])
            #expect(twice.status == .conflict)
            #expect(twice.contains("already on this team"))
        }
    }

    @Test func rolesAreEnforcedOnTheServer() async throws {
        try await TestApp.with { t in
            let crew = try await t.partnerCrew()
            let memberID = try #require(try await PartnerMember.query(on: t.store.db).filter(\.$role == .member).first()?.requireID())
            for role in [PartnerRole.finance, .member] {
                let browser = crew.browser(role)
                #expect(try await browser.get("/partner/settings/team").status == .ok, "everyone sees the team")
                #expect(try await browser.post("/partner/settings/team", [("email", "x@crew.example"), ("role", "owner")]).status == .forbidden)
                #expect(try await browser.post("/partner/settings/team/\(memberID.pathText)", [("role", "owner")]).status == .forbidden)
                #expect(try await browser.post("/partner/settings/team/\(memberID.pathText)/remove", []).status == .forbidden)
            }
            #expect(try await PartnerMember.query(on: t.store.db).filter(\.$id == memberID).first()?.role == .member)
            // An admin manages the team.
            let changed = try await crew.browser(.admin).post("/partner/settings/team/\(memberID.pathText)", [("role", "finance")])
            #expect(changed.location == "/partner/settings/team?done=saved")
            #expect(try await PartnerMember.query(on: t.store.db).filter(\.$id == memberID).first()?.role == .finance)
            // Money: only the owner and finance choose the payout provider and withdraw; the others do not see where it goes.
            for role in [PartnerRole.admin] {
                let browser = crew.browser(role)
                #expect(try await browser.post("/partner/rewards/payout-method", [("provider", "paypal"), ("paypal_email", "a@b.example"), ("password", PartnerCrew.password)]).status == .forbidden)
                #expect(try await browser.post("/partner/rewards/withdraw", [("currency", "USD")]).status == .forbidden)
            }
            let saved = try await crew.browser(.finance).post("/partner/rewards/payout-method", [("provider", "paypal"), ("paypal_email", "money@crew.example"), ("password", PartnerCrew.password)])
            #expect(saved.location == "/partner/rewards?done=method")
            #expect(try await crew.browser(.owner).get("/partner/rewards").contains("money@crew.example"))
            let adminView = try await crew.browser(.admin).get("/partner/rewards")
            #expect(adminView.status == .ok && adminView.contains("PayPal"))
            #expect(!adminView.contains("money@crew.example"), "an admin sees the numbers, not the payout details")
        }
    }

    @Test func anAccountKeepsAnOwnerAndARemovedTeammateIsLoggedOut() async throws {
        try await TestApp.with { t in
            let crew = try await t.partnerCrew()
            let ownerID = try #require(try await PartnerMember.query(on: t.store.db).filter(\.$role == .owner).first()?.requireID())
            let demoted = try await crew.browser(.owner).post("/partner/settings/team/\(ownerID.pathText)", [("role", "member")])
            #expect(demoted.status == .conflict)
            #expect(demoted.contains("An account keeps at least one owner"))
            #expect(try await crew.browser(.admin).post("/partner/settings/team/\(ownerID.pathText)/remove", []).status == .conflict)
            #expect(try await PartnerMember.query(on: t.store.db).filter(\.$role == .owner).count() == 1)

            let memberID = try #require(try await PartnerMember.query(on: t.store.db).filter(\.$role == .member).first()?.requireID())
            #expect(try await crew.browser(.member).get("/partner").status == .ok)
            let removed = try await crew.browser(.owner).post("/partner/settings/team/\(memberID.pathText)/remove", [])
            #expect(removed.location == "/partner/settings/team?done=removed")
            #expect(try await crew.browser(.member).get("/partner").status == .seeOther, "logged out at once")
        }
    }

    @Test func anotherAccountsTeammateIsA404() async throws {
        try await TestApp.with { t in
            let crew = try await t.partnerCrew()
            try await TestApp.makePartner(email: "other@example.com", password: PartnerCrew.password, name: "Other", store: t.store, clock: t.clock)
            let otherUser = try #require(try await AccountQueries.user(email: "other@example.com", on: t.store.db))
            let theirs = try #require(try await PartnerMember.query(on: t.store.db).filter(\.$user.$id == otherUser.requireID()).first()?.requireID())
            #expect(try await crew.browser(.owner).post("/partner/settings/team/\(theirs.pathText)", [("role", "member")]).status == .notFound)
            #expect(try await crew.browser(.owner).post("/partner/settings/team/\(theirs.pathText)/remove", []).status == .notFound)
            #expect(try await PartnerMember.query(on: t.store.db).filter(\.$id == theirs).first()?.role == .owner)
            #expect(!(try await crew.browser(.owner).get("/partner/settings/team").contains("other@example.com")))
            // Someone who already has a partner account cannot be pulled into a second one.
            let poached = try await crew.browser(.owner).submit("/partner/settings/team", [("email", "other@example.com"), ("name", ""), ("role", "member")])
            #expect(poached.status == .conflict)
            #expect(poached.contains("already belongs to another partner account"))
        }
    }

    /// Anyone can open a partner account and each invitation is an email from the instance:
    /// a team is capped, through the API and the page alike, and the refused one is not mailed.
    @Test func aTeamHoldsAtMostFiftyPeople() async throws {
        try await TestApp.with { t in
            try await TestApp.makePartner(email: "pat@example.com", store: t.store, clock: t.clock)
            let api = try await t.partnerKey(email: "pat@example.com")
            for n in 1..<PartnerTeam.memberLimit {
                let invited = try await api.post("/api/v1/partner/team", ["email": "m\(n)@example.com", "role": "member"])
                try #require(invited.status == .created, "invitation \(n)")
            }
            let full = try await api.post("/api/v1/partner/team", ["email": "one-more@example.com", "role": "member"])
            #expect(full.status == .conflict && full.errorCode == "team_full")
            #expect(try await t.mails(to: "one-more@example.com").isEmpty)
            #expect(try await AccountQueries.user(email: "one-more@example.com", on: t.store.db) == nil)
            #expect(try await api.get("/api/v1/partner/team").data.count == PartnerTeam.memberLimit)

            let owner = t.browser
            #expect(try await owner.logIn("pat@example.com", "correct horse battery").status == .seeOther)
            let page = try await owner.submit("/partner/settings/team", [("email", "page-one@example.com"), ("name", ""), ("role", "member")])
            #expect(page.status == .conflict)
            #expect(page.contains("at most \(PartnerTeam.memberLimit) people"))
            #expect(try await t.mails(to: "page-one@example.com").isEmpty)

            // Removing someone makes room again.
            let someone = try #require(try await api.get("/api/v1/partner/team").data.last?["id"] as? String)
            #expect(try await api.delete("/api/v1/partner/team/\(someone)").status == .noContent)
            #expect(try await api.post("/api/v1/partner/team", ["email": "one-more@example.com", "role": "member"]).status == .created)
        }
    }

    @Test func theTeamThroughThePartnerAPI() async throws {
        try await TestApp.with { t in
            try await TestApp.makePartner(email: "pat@example.com", store: t.store, clock: t.clock)
            let api = try await t.partnerKey(email: "pat@example.com")
            let listed = try await api.get("/api/v1/partner/team")
            #expect(listed.status == .ok && listed.data.count == 1 && listed.data.first?["role"] as? String == "owner")
            let ownerID = try #require(listed.data.first?["id"] as? String)
            #expect(try await api.post("/api/v1/partner/team", ["email": "not an address", "role": "admin"]).errorCode == "invalid_field")
            #expect(try await api.post("/api/v1/partner/team", ["email": "fin@example.com", "role": "boss"]).errorCode == "invalid_field")
            let invited = try await api.post("/api/v1/partner/team", ["email": "fin@example.com", "name": "Fin", "role": "finance"])
            #expect(invited.status == .created && invited.string("object") == "teammate" && invited.string("role") == "finance")
            #expect(try await t.mails(to: "fin@example.com").contains { $0.textBody.contains("/password/reset/") }, "the invitation link")
            #expect(try await api.post("/api/v1/partner/team", ["email": "fin@example.com", "role": "member"]).errorCode == "already_a_teammate")
            let finID = try #require(invited.string("id"))
            #expect(try await api.patch("/api/v1/partner/team/\(finID)", ["role": "admin"]).string("role") == "admin")
            #expect(try await api.patch("/api/v1/partner/team/\(ownerID)", ["role": "member"]).errorCode == "last_owner")
            #expect(try await api.delete("/api/v1/partner/team/\(ownerID)").errorCode == "last_owner")

            // Another account's key, a vendor key and no key reach nothing of this team.
            try await TestApp.makePartner(email: "eve@example.com", name: "Eve", store: t.store, clock: t.clock)
            let eve = try await t.partnerKey(email: "eve@example.com")
            #expect(try await eve.patch("/api/v1/partner/team/\(finID)", ["role": "owner"]).status == .notFound)
            #expect(try await eve.delete("/api/v1/partner/team/\(finID)").status == .notFound)
            #expect(try await eve.get("/api/v1/partner/team").data.count == 1)
            let vendor = try await t.vendor()
            #expect(try await vendor.get("/api/v1/partner/team").status == .forbidden)
            #expect(try await api.with(key: nil).get("/api/v1/partner/team").status == .unauthorized)

            #expect(try await api.delete("/api/v1/partner/team/\(finID)").status == .noContent)
            #expect(try await api.get("/api/v1/partner/team").data.count == 1)
        }
    }
}

@Suite struct PartnerProfileTests {
    @Test func sessionsAreListedAndOneCanBeEnded() async throws {
        try await TestApp.with { t in
            try await TestApp.makePartner(email: "pat@example.com", store: t.store, clock: t.clock)
            let laptop = t.browser, phone = t.browser
            _ = try await laptop.logIn("pat@example.com", "correct horse battery")
            _ = try await phone.logIn("pat@example.com", "correct horse battery")
            let page = try await laptop.get("/partner/settings")
            #expect(page.contains("This browser"))
            let ends = page.body.matches(of: /action="(\/partner\/settings\/sessions\/[^"]+\/end)"/).map { String($0.1) }
            #expect(ends.count == 1, "one other browser")
            let ended = try await laptop.post(try #require(ends.first), [])
            #expect(ended.location == "/partner/settings?saved=session")
            #expect(try await phone.get("/partner").status == .seeOther, "the phone is logged out")
            #expect(try await laptop.get("/partner").status == .ok, "this browser stays")

            // Someone else's session id is not found, and stays.
            try await TestApp.makePartner(email: "other@example.com", store: t.store, clock: t.clock)
            let other = t.browser
            _ = try await other.logIn("other@example.com", "correct horse battery")
            let otherUser = try #require(try await AccountQueries.user(email: "other@example.com", on: t.store.db))
            let theirs = try #require(try await UserSession.query(on: t.store.db).filter(\.$user.$id == otherUser.requireID()).first()?.requireID())
            #expect(try await laptop.post("/partner/settings/sessions/\(theirs.pathText)/end", []).status == .notFound)
            #expect(try await other.get("/partner").status == .ok)
        }
    }

    @Test func aNewLoginAddressIsConfirmedFromIt() async throws {
        try await TestApp.with { t in
            try await TestApp.makePartner(email: "pat@example.com", store: t.store, clock: t.clock)
            try await TestApp.makePartner(email: "taken@example.com", store: t.store, clock: t.clock)
            let browser = t.browser
            _ = try await browser.logIn("pat@example.com", "correct horse battery")
            let noPassword = try await browser.submit("/partner/settings", to: "/partner/settings/email", [("new_email", "pat@new.example"), ("password", "")])
            #expect(noPassword.status == .unprocessableContent)
            #expect(noPassword.contains("Enter your password") && noPassword.contains(#"value="pat@new.example""#))
            let taken = try await browser.submit("/partner/settings", to: "/partner/settings/email", [("new_email", "Taken@example.com"), ("password", "correct horse battery")])
            #expect(taken.status == .unprocessableContent)
            #expect(taken.contains("already someone"))

            let asked = try await browser.submit("/partner/settings", to: "/partner/settings/email", [("new_email", "Pat@New.example"), ("password", "correct horse battery")])
            #expect(asked.location == "/partner/settings?saved=email")
            #expect(try await t.lastMail(to: "pat@example.com") != nil, "the old address is told")
            let mail = try #require(try await t.lastMail(to: "pat@new.example"))
            let link = try #require(DevMailPage.links(in: mail.textBody).first)
            let path = String(link.dropFirst("http://tandem.test".count))
            #expect(try await browser.get("/partner/settings").contains("pat@example.com"), "nothing changes before the link")

            let stranger = t.browser  // the link needs no login: it proves the inbox
            let confirmed = try await stranger.get(path)
            #expect(confirmed.location == "/login?email=1")
            #expect(try await browser.get("/partner").status == .seeOther, "every session ended")
            #expect(try await browser.logIn("pat@example.com", "correct horse battery").status == .unauthorized)
            #expect(try await browser.logIn("pat@new.example", "correct horse battery").status == .seeOther)
            let again = try await stranger.get(path)
            #expect(again.status == .gone)
            #expect(again.contains("Your login address was not changed"))
            #expect(try await t.browser.get("/email/confirm/not-a-token").status == .gone)
        }
    }

}
