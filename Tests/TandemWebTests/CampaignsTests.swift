import FluentKit
import Foundation
import Hummingbird
import SQLKit
import TandemDomain
import TandemJobs
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

@Suite struct CampaignsTests {
    func campaignService(_ t: TestEnvironment) -> CampaignService {
        CampaignService(store: t.store, baseURL: "http://tandem.test", now: t.clock.function)
    }

    /// Saves a campaign through the page and returns its id.
    func create(_ browser: Browser, _ fields: [(String, String)]) async throws -> UUID {
        let saved = try await browser.submit("/vendor/programs/acme/campaigns", fields + [("intent", "save")])
        guard saved.status == .seeOther, let location = saved.location,
              let id = location.split(separator: "/").last?.split(separator: "?").first.flatMap({ UUID(uuidString: String($0)) }) else {
            throw TestFailure("create: \(saved.status) \(saved.body.prefix(300))")
        }
        return id
    }

    @Test func aWelcomeCampaignMailsEachNewPartnerOnceAndTheLinkUnsubscribes() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            try await t.program(team.api)
            _ = try await t.enrol(team.api, email: "early@example.com")

            // The preview renders the Markdown (HTML shown as text) and saves nothing.
            let fields = [("name", "Welcome"), ("trigger", "partner_joined"), ("days", ""), ("subject", "Welcome to Acme"),
                          ("body", "Hello **partner** <script>alert(1)</script>\n\n[Kit](https://acme.example/kit)")]
            let preview = try await team.admin.submit("/vendor/programs/acme/campaigns", fields + [("intent", "preview")])
            #expect(preview.status == .ok)
            #expect(preview.contains("<strong>partner</strong>") && preview.contains("&lt;script&gt;alert(1)"))
            #expect(!preview.contains("<script>alert"))
            #expect(preview.contains(#"value="Welcome""#), "what was typed stays in the form")
            #expect(try await Campaign.query(on: t.store.db).count() == 0)

            let id = try await create(team.admin, fields)
            let draft = try await team.admin.get("/vendor/programs/acme/campaigns/\(id.pathText)?done=created")
            #expect(draft.contains("Draft") && draft.contains("saved as a draft"))
            #expect(try await campaignService(t).runOnce() == 0, "a draft sends nothing")
            t.clock.advance(by: 60)

            let on = try await team.admin.post("/vendor/programs/acme/campaigns/\(id.pathText)/status", [("action", "activate")])
            #expect(on.location == "/vendor/programs/acme/campaigns/\(id.pathText)?done=activate")
            #expect(try await campaignService(t).runOnce() == 0, "who joined before it was turned on is not mailed")

            t.clock.advance(by: 60)
            _ = try await t.enrol(team.api, email: "pat@example.com")
            _ = try await t.enrol(team.api, email: "sam@example.com")
            // Two nodes at once, then a rerun: each partner is mailed once.
            async let first = campaignService(t).runOnce()
            async let second = campaignService(t).runOnce()
            #expect(try await first + second == 2)
            #expect(try await campaignService(t).runOnce() == 0)
            #expect(try await t.mails(to: "early@example.com").filter { $0.subject == "Welcome to Acme" }.isEmpty)
            let mail = try #require(try await t.mails(to: "pat@example.com").first { $0.subject == "Welcome to Acme" })
            #expect(mail.textBody.contains("Hello **partner**"))
            #expect(try await CampaignSend.query(on: t.store.db).count() == 2)

            // The vendor sees the counts: waiting until the mail job runs, then sent.
            #expect(try await team.admin.get("/vendor/programs/acme/campaigns").contains(#"<td class="num">0</td><td class="num">0</td><td class="num">2</td>"#))
            let runner = JobRunner(store: t.store, handlers: [DeliverEmailJob(transport: nil, from: "t@tandem.test")], now: t.clock.function)
            while try await runner.runOnce() {}
            #expect(try await team.admin.get("/vendor/programs/acme/campaigns").contains(#"<td class="num">2</td><td class="num">0</td><td class="num">0</td>"#))
            #expect(try await team.admin.get("/vendor/programs/acme/campaigns/\(id.pathText)").contains(#"<div class="stat__label">Sent</div><div class="stat__value">2</div>"#))

            // The unsubscribe link works without logging in: it asks, then stops the program's campaigns.
            let link = try #require(mail.textBody.split(separator: " ").last.map(String.init)?.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(link.hasPrefix("http://tandem.test/unsubscribe/"))
            let path = String(link.dropFirst("http://tandem.test".count))
            let stranger = t.browser
            let ask = try await stranger.get(path)
            #expect(ask.status == .ok && ask.contains("Stop emails from Acme Partners?"))
            let done = try await stranger.post(path, [])
            #expect(done.status == .ok && done.contains("You are unsubscribed"))
            struct Row: Decodable { let campaigns_unsubscribed_at: Date? }
            let rows = try await t.store.sql.raw("""
                SELECT s.campaigns_unsubscribed_at FROM partnerships s JOIN partner_members m ON m.partner_account_id = s.partner_account_id
                JOIN users u ON u.id = m.user_id WHERE u.email = 'pat@example.com'
                """).all(decoding: Row.self)
            #expect(rows.count == 1 && rows[0].campaigns_unsubscribed_at != nil)
            #expect(try await stranger.get("/unsubscribe/not-a-token").status == .notFound)
            #expect(try await stranger.post("/unsubscribe/not-a-token", []).status == .notFound)

            // A broadcast afterwards reaches sam and early, not pat.
            let news = try await create(team.admin, [("name", "News"), ("trigger", "broadcast"), ("days", ""), ("subject", "News"), ("body", "Big news.")])
            let page = try await team.admin.get("/vendor/programs/acme/campaigns/\(news.pathText)")
            #expect(page.contains("Send to 2 partners"))
            #expect(try await team.admin.post("/vendor/programs/acme/campaigns/\(news.pathText)/status", [("action", "send")]).status == .seeOther)
            #expect(try await campaignService(t).runOnce() == 2)
            #expect(try await t.mails(to: "pat@example.com").filter { $0.subject == "News" }.isEmpty)
            #expect(try await t.mails(to: "sam@example.com").filter { $0.subject == "News" }.count == 1)
        }
    }

    @Test func aBroadcastReachesItsGroupsOnceAndIsThenFinal() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            try await t.program(team.api)
            let vip = try #require(try await team.api.post("/api/v1/programs/acme/groups", ["name": "VIP"]).string("id"))
            _ = try await t.enrol(team.api, email: "plain@example.com")
            let star = try await t.enrol(team.api, email: "star@example.com")
            #expect(try await team.api.patch("/api/v1/partnerships/\(star.id)", ["group": vip]).status == .ok)

            let id = try await create(team.admin, [("name", "VIP news"), ("trigger", "broadcast"), ("days", ""), ("groups", vip),
                                                   ("subject", "For VIPs"), ("body", "Thanks.")])
            #expect(try await team.admin.get("/vendor/programs/acme/campaigns/\(id.pathText)").contains("Send to 1 partners"))
            #expect(try await team.admin.post("/vendor/programs/acme/campaigns/\(id.pathText)/status", [("action", "activate")]).status == .conflict,
                    "a broadcast is not turned on")
            #expect(try await team.admin.post("/vendor/programs/acme/campaigns/\(id.pathText)/status", [("action", "send")]).status == .seeOther)
            #expect(try await team.admin.post("/vendor/programs/acme/campaigns/\(id.pathText)/status", [("action", "send")]).status == .conflict)
            t.clock.advance(by: 60)
            let late = try await t.enrol(team.api, email: "late@example.com")
            #expect(try await team.api.patch("/api/v1/partnerships/\(late.id)", ["group": vip]).status == .ok)
            #expect(try await campaignService(t).runOnce() == 1)
            #expect(try await t.mails(to: "star@example.com").contains { $0.subject == "For VIPs" })
            #expect(try await t.mails(to: "plain@example.com").allSatisfy { $0.subject != "For VIPs" })
            #expect(try await t.mails(to: "late@example.com").allSatisfy { $0.subject != "For VIPs" }, "who joined after it was sent is not mailed")

            let edit = try await team.admin.post("/vendor/programs/acme/campaigns/\(id.pathText)", [
                ("name", "X"), ("trigger", "broadcast"), ("subject", "X"), ("body", "X"), ("intent", "save"),
            ])
            #expect(edit.status == .conflict && edit.contains("can no longer change"))
            let delete = try await team.admin.post("/vendor/programs/acme/campaigns/\(id.pathText)/delete", [])
            #expect(delete.status == .conflict)
            #expect(try await Campaign.query(on: t.store.db).count() == 1)
        }
    }

    @Test func triggersCountFromWhatHappensToThePartner() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            try await t.program(team.api)
            func turnOn(_ name: String, _ trigger: String, days: String = "") async throws {
                let id = try await create(team.admin, [("name", name), ("trigger", trigger), ("days", days), ("subject", name), ("body", name)])
                #expect(try await team.admin.post("/vendor/programs/acme/campaigns/\(id.pathText)/status", [("action", "activate")]).status == .seeOther)
            }
            // A trigger that counts days needs them.
            let missing = try await team.admin.submit("/vendor/programs/acme/campaigns", [
                ("name", "Week"), ("trigger", "days_after_joining"), ("days", "0"), ("subject", "S"), ("body", "B"), ("intent", "save"),
            ])
            #expect(missing.status == .unprocessableContent && missing.contains("number of days from 1 to 365"))
            try await turnOn("Week one", "days_after_joining", days: "7")
            try await turnOn("Wake up", "inactive", days: "30")
            try await turnOn("First signup", "first_signup")
            try await turnOn("Reward", "reward_earned")
            let pat = try await t.enrol(team.api, email: "pat@example.com")
            func subjects() async throws -> Set<String> { Set(try await t.mails(to: "pat@example.com").map(\.subject)) }

            #expect(try await campaignService(t).runOnce() == 0)
            let customer = try await team.api.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "partner_key": pat.key])
            #expect(customer.status == .created)
            #expect(try await team.api.post("/api/v1/rewards", ["partnership": pat.id, "amount": 500, "currency": "USD", "description": "Bonus"]).status == .created)
            #expect(try await campaignService(t).runOnce() == 2)
            #expect(try await subjects().isSuperset(of: ["First signup", "Reward"]))
            #expect(try await team.api.post("/api/v1/customers", ["program": "acme", "key": "cus_2", "partner_key": pat.key]).status == .created)
            #expect(try await campaignService(t).runOnce() == 0, "the second signup is not the first")

            t.clock.advance(by: 7 * 86_400 + 60)
            #expect(try await campaignService(t).runOnce() == 1)
            #expect(try await subjects().contains("Week one"))
            #expect(!(try await subjects().contains("Wake up")), "a signup 7 days ago is activity")
            t.clock.advance(by: 30 * 86_400)
            #expect(try await campaignService(t).runOnce() == 1)
            #expect(try await subjects().contains("Wake up"))
            t.clock.advance(by: 60 * 86_400)
            #expect(try await campaignService(t).runOnce() == 0, "each campaign reaches a partner once")
        }
    }

    @Test func rolesAndTenantsAreEnforced() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            try await t.program(team.api)
            let fields = [("name", "Hello"), ("trigger", "partner_joined"), ("days", ""), ("subject", "Hi"), ("body", "Hi")]
            #expect(try await team.readOnly.get("/vendor/programs/acme/campaigns").status == .ok)
            #expect(!(try await team.readOnly.get("/vendor/programs/acme/campaigns").contains("New campaign")))
            #expect(try await team.readOnly.post("/vendor/programs/acme/campaigns", fields + [("intent", "save")]).status == .forbidden)
            let id = try await create(team.manager, fields)
            let page = "/vendor/programs/acme/campaigns/\(id.pathText)"
            #expect(try await team.readOnly.get(page).status == .ok)
            #expect(try await team.readOnly.post(page + "/status", [("action", "activate")]).status == .forbidden)
            #expect(try await team.readOnly.post(page + "/delete", []).status == .forbidden)
            #expect(try await team.readOnly.post(page, fields + [("intent", "save")]).status == .forbidden)
            #expect(try await team.admin.post(page + "/status", [("action", "activate")]).status == .seeOther)

            let globex = try await t.vendorTeam("Globex")
            try await t.program(globex.api, slug: "globex")
            #expect(try await globex.admin.get("/vendor/programs/acme/campaigns").status == .notFound)
            #expect(try await globex.admin.get(page).status == .notFound)
            #expect(try await globex.admin.get("/vendor/programs/globex/campaigns/\(id.pathText)").status == .notFound, "another program's campaign")
            #expect(try await globex.admin.post("/vendor/programs/globex/campaigns/\(id.pathText)/delete", []).status == .notFound)
            #expect(try await globex.admin.post("/vendor/programs/globex/campaigns/\(id.pathText)/status", [("action", "pause")]).status == .notFound)
            // A group of another program is refused.
            let foreign = try #require(try await ProgramGroup.query(on: t.store.db).join(Program.self, on: \ProgramGroup.$program.$id == \Program.$id)
                .filter(Program.self, \.$slug == "globex").first()?.requireID())
            let wrong = try await team.admin.submit("/vendor/programs/acme/campaigns", fields + [("groups", foreign.pathText), ("intent", "save")])
            #expect(wrong.status == .unprocessableContent && wrong.contains("Choose the program&#39;s groups") || wrong.contains("Choose the program"))
            #expect(try await Campaign.query(on: t.store.db).count() == 1)

            try await TestApp.makePartner(email: "eve@example.com", name: "Eve", store: t.store, clock: t.clock)
            let eve = t.browser
            _ = try await eve.logIn("eve@example.com", "correct horse battery")
            #expect(try await eve.get("/vendor/programs/acme/campaigns").status != .ok)
        }
    }

    @Test func theAPIWritesAndRunsCampaignsAsTheConsoleDoes() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            try await t.program(team.api)
            let api = team.api
            let vip = try #require(try await api.post("/api/v1/programs/acme/groups", ["name": "VIP"]).string("id"))
            let missingDays = try await api.post("/api/v1/programs/acme/campaigns", ["name": "Week", "subject": "S", "body": "B", "trigger": "inactive"])
            #expect(missingDays.status == .badRequest && missingDays.errorCode == "missing_field" && missingDays.errorField == "days")
            let unknown = try await api.post("/api/v1/programs/acme/campaigns", ["name": "W", "subject": "S", "body": "B", "trigger": "broadcast", "colour": "red"])
            #expect(unknown.errorCode == "unknown_field")

            let made = try await api.post("/api/v1/programs/acme/campaigns", [
                "name": "VIP news", "subject": "News", "body": "**Hi**", "trigger": "broadcast", "groups": [vip],
            ])
            #expect(made.status == .created)
            #expect(made.string("status") == "draft" && made.string("object") == "campaign")
            #expect((made["groups"] as? [String])?.map { $0.lowercased() } == [vip.lowercased()])
            let id = try #require(made.string("id"))
            let path = "/api/v1/programs/acme/campaigns/\(id)"
            let patched = try await api.patch(path, ["subject": "VIP news"])
            #expect(patched.status == .ok && patched.string("subject") == "VIP news" && patched.string("body") == "**Hi**")
            #expect(try await api.post(path + "/activate", [:]).errorCode == "broadcast")

            let star = try await t.enrol(api, email: "star@example.com")
            #expect(try await api.patch("/api/v1/partnerships/\(star.id)", ["group": vip]).status == .ok)
            let sent = try await api.post(path + "/send", [:])
            #expect(sent.status == .ok && sent.string("status") == "sent" && sent["sent_at"] is String)
            #expect(try await campaignService(t).runOnce() == 1)
            let listed = try await api.get("/api/v1/programs/acme/campaigns")
            #expect(listed.status == .ok)
            #expect((listed.data.first?["counts"] as? [String: Any])?["waiting"] as? Int == 1)
            #expect(try await api.patch(path, ["subject": "Again"]).errorCode == "campaign_sent")
            #expect(try await api.delete(path).errorCode == "campaign_has_sends")

            let draft = try #require(try await api.post("/api/v1/programs/acme/campaigns", ["name": "D", "subject": "S", "body": "B", "trigger": "partner_joined"]).string("id"))
            #expect(try await api.delete("/api/v1/programs/acme/campaigns/\(draft)").status == .noContent)
            #expect(try await api.get("/api/v1/programs/acme/campaigns/\(draft)").status == .notFound)

            // Another company, a partner key, and no key.
            let globex = try await t.vendorTeam("Globex")
            try await t.program(globex.api, slug: "globex")
            #expect(try await globex.api.get(path).status == .notFound)
            #expect(try await globex.api.get("/api/v1/programs/globex/campaigns/\(id)").status == .notFound)
            #expect(try await globex.api.post("/api/v1/programs/globex/campaigns/\(id)/pause", [:]).status == .notFound)
            #expect(try await globex.api.delete("/api/v1/programs/globex/campaigns/\(id)").status == .notFound)
            #expect(try await globex.api.get("/api/v1/programs/globex/campaigns").data.isEmpty)
            let partner = try await t.partnerKey(email: "star@example.com")
            #expect(try await partner.get("/api/v1/programs/acme/campaigns").status == .forbidden)
            #expect(try await api.with(key: nil).get("/api/v1/programs/acme/campaigns").status == .unauthorized)
        }
    }

    @Test func aPartnerStopsAndResumesAProgramsEmailsFromSettings() async throws {
        try await TestApp.with { t in
            let cast = try await t.programWithPartner()
            let (team, owner, partnershipID) = (cast.team, cast.partner, cast.partnershipID)
            let settings = try await owner.get("/partner/settings")
            #expect(settings.contains("Program emails") && settings.contains("Receiving"))
            let stop = try await owner.submit("/partner/settings", to: "/partner/settings/program-emails", [("partnership", partnershipID), ("receive", "0")])
            #expect(stop.location == "/partner/settings?saved=emails")
            #expect(try await owner.get("/partner/settings").contains("Stopped"))

            func broadcast(_ subject: String) async throws {
                let id = try #require(try await team.api.post("/api/v1/programs/acme/campaigns", ["name": subject, "subject": subject, "body": "B", "trigger": "broadcast"]).string("id"))
                #expect(try await team.api.post("/api/v1/programs/acme/campaigns/\(id)/send", [:]).status == .ok)
                _ = try await campaignService(t).runOnce()
            }
            try await broadcast("While stopped")
            #expect(try await t.mails(to: "pat@example.com").allSatisfy { $0.subject != "While stopped" })
            #expect(try await owner.submit("/partner/settings", to: "/partner/settings/program-emails", [("partnership", partnershipID), ("receive", "1")]).status == .seeOther)
            try await broadcast("After resuming")
            #expect(try await t.mails(to: "pat@example.com").contains { $0.subject == "After resuming" })

            // A member sees the state but does not change it; another account's partnership is not found.
            let account = try #require(try await PartnerMember.query(on: t.store.db).first()?.$account.id)
            let hash = try await PasswordHasher(cost: 4).hash("member password 1")
            try await AccountQueries.addPartnerMember(accountID: account, name: "Mo", email: "mo@example.com", passwordHash: hash, role: .member, now: t.clock.now, on: t.store.db)
            let member = t.browser
            _ = try await member.logIn("mo@example.com", "member password 1")
            let seen = try await member.get("/partner/settings")
            #expect(seen.contains("Receiving") && !seen.contains(">Stop<"))
            #expect(try await member.post("/partner/settings/program-emails", [("partnership", partnershipID), ("receive", "0")]).status == .forbidden)
            try await TestApp.makePartner(email: "eve@example.com", name: "Eve", store: t.store, clock: t.clock)
            let eve = t.browser
            _ = try await eve.logIn("eve@example.com", "correct horse battery")
            #expect(try await eve.submit("/partner/settings", to: "/partner/settings/program-emails", [("partnership", partnershipID), ("receive", "0")]).status == .notFound)
            #expect(try await CampaignReads.unsubscribed(partnershipIDs: [try #require(UUID(uuidString: partnershipID))], on: t.store.sql).isEmpty)
        }
    }
}
