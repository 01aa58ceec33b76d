import FluentKit
import Foundation
import TandemJobs
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

@Suite struct PasswordResetTests {
    /// Asks for a reset and returns the link from the queued email.
    func requestResetLink(_ browser: Browser, store: Store, email: String = "dana@example.com") async throws -> String {
        let answer = try await browser.submit("/password/forgot", [("email", email)])
        #expect(answer.status == .ok)
        #expect(answer.contains("Check your email"))
        let mail = try #require(try await OutboxEmail.query(on: store.db).sort(\.$createdAt, .descending).first())
        let link = try #require(DevMailPage.links(in: mail.textBody).first)
        return String(link.dropFirst("http://tandem.test".count))
    }

    @Test func aResetLinkChangesThePasswordOnce() async throws {
        try await TestApp.run { browser, store, clock in
            try await TestApp.makePartner(store: store, clock: clock)
            let path = try await requestResetLink(browser, store: store)
            #expect(path.hasPrefix("/password/reset/"))
            let token = String(path.dropFirst("/password/reset/".count))
            let stored = try #require(try await PasswordReset.query(on: store.db).first())
            #expect(stored.tokenHash == SecureToken.hash(token))
            #expect(stored.tokenHash != token)

            let form = try await browser.get(path)
            #expect(form.status == .ok)
            let changed = try await browser.post(path, [("password", "a brand new password"), ("password_confirmation", "a brand new password")])
            #expect(changed.status == .seeOther)
            #expect(changed.location == "/login?reset=1")

            #expect(try await browser.logIn("dana@example.com", "correct horse battery").status == .unauthorized)
            #expect(try await browser.logIn("dana@example.com", "a brand new password").status == .seeOther)

            // Used once: the same link is now a clear page, and posting to it changes nothing.
            let reused = try await browser.get(path)
            #expect(reused.status == .gone)
            #expect(reused.contains("This reset link can no longer be used"))
            let again = try await browser.post(path, [("password", "yet another password"), ("password_confirmation", "yet another password")])
            #expect(again.status == .gone)
            #expect(try await browser.logIn("dana@example.com", "a brand new password").status == .seeOther)
        }
    }

    @Test func aLinkExpiresAfterOneHour() async throws {
        try await TestApp.run { browser, store, clock in
            try await TestApp.makePartner(store: store, clock: clock)
            let path = try await requestResetLink(browser, store: store)
            clock.advance(by: 3599)
            #expect(try await browser.get(path).status == .ok)
            clock.advance(by: 1)
            let late = try await browser.get(path)
            #expect(late.status == .gone)
            let posted = try await browser.post(path, [("password", "a brand new password"), ("password_confirmation", "a brand new password")])
            #expect(posted.status == .gone)
            #expect(try await browser.logIn("dana@example.com", "correct horse battery").status == .seeOther)
        }
    }

    @Test func anUnknownEmailGetsTheSameAnswerAndNoMail() async throws {
        try await TestApp.run { browser, store, _ in
            let answer = try await browser.submit("/password/forgot", [("email", "ghost@example.com")])
            #expect(answer.status == .ok)
            #expect(answer.contains("If an account exists for ghost@example.com"))
            #expect(try await OutboxEmail.query(on: store.db).count() == 0)
        }
    }

    @Test func aBadNewPasswordKeepsTheLinkUsable() async throws {
        try await TestApp.run { browser, store, clock in
            try await TestApp.makePartner(store: store, clock: clock)
            let path = try await requestResetLink(browser, store: store)
            try await browser.get(path)
            let short = try await browser.post(path, [("password", "short"), ("password_confirmation", "short")])
            #expect(short.status == .unprocessableContent)
            #expect(short.contains("Use at least 10 characters."))
            let mismatch = try await browser.post(path, [("password", "a brand new password"), ("password_confirmation", "different password!")])
            #expect(mismatch.contains("The two passwords are not the same."))
            #expect(try await browser.get(path).status == .ok)
        }
    }

    @Test func resettingSignsOutEveryBrowser() async throws {
        try await TestApp.run { browser, store, clock in
            try await TestApp.makePartner(store: store, clock: clock)
            try await browser.logIn("dana@example.com", "correct horse battery")
            #expect(try await UserSession.query(on: store.db).count() == 1)
            let path = try await requestResetLink(browser, store: store)
            try await browser.get(path)
            try await browser.post(path, [("password", "a brand new password"), ("password_confirmation", "a brand new password")])
            #expect(try await UserSession.query(on: store.db).count() == 0)
        }
    }

    @Test func theEmailIsDeliveredByTheJobOrKeptForDevMail() async throws {
        try await TestApp.run { browser, store, clock in
            try await TestApp.makePartner(store: store, clock: clock)
            _ = try await requestResetLink(browser, store: store)

            // Without SMTP the job keeps it, and /dev/mail shows the clickable link.
            let keeper = JobRunner(store: store, handlers: [DeliverEmailJob(transport: nil, from: "t@x.test")], now: clock.function)
            #expect(try await keeper.runOnce())
            #expect(try await OutboxEmail.query(on: store.db).first()?.status == .kept)
            let mailbox = try await browser.get("/dev/mail")
            #expect(mailbox.contains("Reset your Tandem password"))
            #expect(mailbox.contains(#"<a href="http://tandem.test/password/reset/"#))

            // With SMTP it is sent.
            _ = try await requestResetLink(browser, store: store)
            let transport = CapturingMailTransport()
            let sender = JobRunner(store: store, handlers: [DeliverEmailJob(transport: transport, from: "t@x.test")], now: clock.function)
            #expect(try await sender.runOnce())
            let sent = transport.sent.withLock { $0 }
            #expect(sent.count == 1)
            #expect(sent.first?.to == "dana@example.com")
            #expect(sent.first?.textBody.contains("http://tandem.test/password/reset/") == true)
        }
    }

    @Test func devMailIsNotServedInProduction() async throws {
        try await TestApp.run(mode: .production) { browser, _, _ in
            let page = try await browser.get("/dev/mail")
            #expect(page.status == .notFound)
        }
    }
}
