import FluentKit
import Foundation
import Hummingbird
import TandemDomain
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

@Suite struct MessagesTests {
    struct Setup {
        let team: VendorTeam
        let partner: Browser
        let thread: String
        let partnershipID: String
    }

    func setUp(_ t: TestEnvironment) async throws -> Setup {
        let cast = try await t.programWithPartner()
        return Setup(team: cast.team, partner: cast.partner, thread: cast.base + "/messages", partnershipID: cast.partnershipID)
    }

    func mails(_ t: TestEnvironment, to address: String) async throws -> Int { try await t.mails(to: address).count }

    @Test func aConversationBothWaysWithUnreadCountsAndBatchedMail() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            let empty = try await s.partner.submit(s.thread, [("body", "   ")])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.contains("Write a message first."))

            let sent = try await s.partner.submit(s.thread, [("body", "Hello <script>x</script>\nsecond line")])
            #expect(sent.location == s.thread + "?sent=1")
            let mine = try await s.partner.get(s.thread)
            #expect(mine.contains("Hello &lt;script&gt;x&lt;/script&gt;\nsecond line"), "escaped, lines kept")
            #expect(try await mails(t, to: "admin@acme.example") == 1, "the team is mailed")
            #expect(try await mails(t, to: "manager@acme.example") == 1)
            #expect(try await mails(t, to: "readonly@acme.example") == 0)
            let mail = try #require(try await t.lastMail(to: "admin@acme.example"))
            #expect(mail.textBody.contains("http://tandem.test/vendor/messages/\(s.partnershipID)"), "a link back to the thread")

            _ = try await s.partner.submit(s.thread, [("body", "One more thing")])
            #expect(try await mails(t, to: "admin@acme.example") == 1, "at most one mail per thread per 10 minutes")

            // The vendor's top bar and inbox count them; opening the thread reads them.
            let inbox = try await s.team.manager.get("/vendor/messages")
            #expect(inbox.contains("Messages (2)"))
            #expect(inbox.contains("2 unread") && inbox.contains("Dana Reyes"))
            let thread = try await s.team.manager.get("/vendor/messages/\(s.partnershipID)")
            #expect(thread.contains("One more thing") && thread.contains("Dana Reyes · Dana Reyes"))
            #expect(!thread.contains("Messages (2)"), "read once opened")
            #expect(!(try await s.team.admin.get("/vendor/messages")).contains(" unread</span>"))
            let patMailsBefore = try await mails(t, to: "pat@example.com")

            let reply = try await s.team.manager.submit("/vendor/messages/\(s.partnershipID)", [("body", "Thanks, Dana!")])
            #expect(reply.location == "/vendor/messages/\(s.partnershipID)?sent=1")
            #expect(try await mails(t, to: "pat@example.com") == patMailsBefore + 1, "the partner is mailed")
            let home = try await s.partner.get("/partner")
            #expect(home.contains("Messages (1)"), "the partner's top bar counts the reply")
            #expect(try await s.partner.get("/partner/messages").contains("1 unread"))
            let opened = try await s.partner.get(s.thread)
            #expect(opened.contains("Thanks, Dana!") && opened.contains("Manager · Acme"))
            #expect(!(try await s.partner.get("/partner")).contains("Messages (1)"))

            // Ten minutes later a new message is mailed again.
            t.clock.advance(by: 601)
            _ = try await s.partner.submit(s.thread, [("body", "Back again")])
            #expect(try await mails(t, to: "admin@acme.example") == 2)
        }
    }

    @Test func readOnlyTeammatesReadButDoNotWrite() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            _ = try await s.partner.submit(s.thread, [("body", "Hi")])
            let page = try await s.team.readOnly.get("/vendor/messages/\(s.partnershipID)")
            #expect(page.status == .ok && page.contains("Hi"))
            #expect(!page.contains("Your message"), "no form")
            #expect(try await s.team.readOnly.post("/vendor/messages/\(s.partnershipID)", [("body", "Sneaky")]).status == .forbidden)
            #expect(try await Message.query(on: t.store.db).count() == 1)
        }
    }

    @Test func anotherTenantsThreadIsA404() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            _ = try await s.partner.submit(s.thread, [("body", "Private")])
            let globex = try await t.vendorTeam("Globex")
            #expect(try await globex.admin.get("/vendor/messages/\(s.partnershipID)").status == .notFound)
            #expect(try await globex.admin.post("/vendor/messages/\(s.partnershipID)", [("body", "Hi")]).status == .notFound)
            #expect(!(try await globex.admin.get("/vendor/messages")).contains("Dana Reyes"))
            try await TestApp.makePartner(email: "eve@example.com", name: "Eve", store: t.store, clock: t.clock)
            let eve = t.browser
            _ = try await eve.logIn("eve@example.com", "correct horse battery")
            #expect(try await eve.get(s.thread).status == .notFound)
            #expect(try await eve.post(s.thread, [("body", "Hi")]).status == .notFound)
            #expect(try await Message.query(on: t.store.db).count() == 1)
            #expect(try await globex.api.get("/api/v1/messages?partnership=\(s.partnershipID)").status == .notFound)
        }
    }

    @Test func theAPIReadsAndWritesTheSameThread() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            let partnerAPI = try await t.partnerKey(email: "pat@example.com")
            #expect(try await partnerAPI.get("/api/v1/partner/messages").status == .badRequest, "program is required")
            #expect(try await partnerAPI.get("/api/v1/partner/messages?program=nope").status == .notFound)
            let posted = try await partnerAPI.post("/api/v1/partner/messages", ["program": "acme", "body": "From my tracker"])
            #expect(posted.status == .created)
            #expect(posted.string("sender") == "partner")
            #expect(posted.string("sender_name")?.hasSuffix("(API)") == true)
            #expect(try await s.team.admin.get("/vendor/messages/\(s.partnershipID)").contains("From my tracker"))

            let vendorPosted = try await s.team.api.post("/api/v1/messages", ["partnership": s.partnershipID, "body": "From our CRM"])
            #expect(vendorPosted.status == .created)
            let listed = try await s.team.api.get("/api/v1/messages?partnership=\(s.partnershipID)")
            #expect(listed.status == .ok)
            #expect(listed.text.contains("From our CRM") && listed.text.contains("From my tracker"))
            #expect(try await s.team.api.post("/api/v1/messages", ["partnership": s.partnershipID, "body": ""]).status == .badRequest)
            #expect(try await partnerAPI.get("/api/v1/messages?partnership=\(s.partnershipID)").status == .forbidden, "a partner key is not a vendor key")
            #expect(try await s.partner.get(s.thread).contains("From our CRM"))
        }
    }
}
