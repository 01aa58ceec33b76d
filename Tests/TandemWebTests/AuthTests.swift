import FluentKit
import Foundation
import Hummingbird
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

@Suite struct SignUpTests {
    @Test func signingUpCreatesAnOwnerAccountAndSignsIn() async throws {
        try await TestApp.run { browser, store, _ in
            let answer = try await browser.submit("/signup", [("name", "Dana Reyes"), ("email", " Dana@Example.com "), ("password", "long enough password")])
            #expect(answer.status == .seeOther)
            #expect(answer.location == "/partner")
            let cookie = try #require(answer.setCookies.first { $0.hasPrefix("tdm_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"), "http BASE_URL: no Secure flag")

            let home = try await browser.get("/partner")
            #expect(home.status == .ok)
            #expect(home.contains("Welcome, Dana"))

            let user = try #require(try await AccountQueries.user(email: "dana@example.com", on: store.db))
            #expect(user.passwordHash.hasPrefix("$2"))
            #expect(!user.passwordHash.contains("long enough password"))
            let members = try await PartnerMember.query(on: store.db).filter(\.$user.$id == user.requireID()).all()
            #expect(members.map(\.role) == [.owner])
        }
    }

    @Test func aShortPasswordIsAnInlineErrorThatKeepsWhatWasTyped() async throws {
        try await TestApp.run { browser, store, _ in
            let answer = try await browser.submit("/signup", [("name", "Dana <b>Reyes</b>"), ("email", "dana@example.com"), ("password", "short")])
            #expect(answer.status == .unprocessableContent)
            #expect(answer.contains("Use at least 10 characters."))
            #expect(answer.contains(#"value="Dana &lt;b&gt;Reyes&lt;/b&gt;""#))
            #expect(answer.contains(#"value="dana@example.com""#))
            #expect(!answer.contains("short\""), "the password is never echoed")
            #expect(try await User.query(on: store.db).count() == 0)
        }
    }

    @Test func anEmailAlreadyRegisteredIsAFieldError() async throws {
        try await TestApp.run { browser, store, clock in
            try await TestApp.makePartner(store: store, clock: clock)
            let answer = try await browser.submit("/signup", [("name", "Someone"), ("email", "DANA@example.com"), ("password", "long enough password")])
            #expect(answer.status == .unprocessableContent)
            #expect(answer.contains("An account with this email already exists."))
            #expect(try await User.query(on: store.db).count() == 1)
        }
    }
}

@Suite struct LogInTests {
    @Test func logInAndOut() async throws {
        try await TestApp.run { browser, store, clock in
            try await TestApp.makePartner(store: store, clock: clock)
            let answer = try await browser.logIn("dana@example.com", "correct horse battery")
            #expect(answer.status == .seeOther)
            #expect(answer.location == "/partner")
            #expect(try await UserSession.query(on: store.db).count() == 1)
            let session = try #require(browser.cookies["tdm_session"])
            let stored = try #require(try await UserSession.query(on: store.db).first())
            #expect(stored.tokenHash == SecureToken.hash(session), "only the hash of the session token is stored")

            let loggedOut = try await browser.post("/logout", [])
            #expect(loggedOut.location == "/login")
            #expect(browser.cookies["tdm_session"] == nil)
            #expect(try await UserSession.query(on: store.db).count() == 0)
            #expect(try await browser.get("/partner").location?.hasPrefix("/login") == true)
        }
    }

    @Test func aWrongPasswordSaysSoWithoutSayingWhichPart() async throws {
        try await TestApp.run { browser, store, clock in
            try await TestApp.makePartner(store: store, clock: clock)
            let wrong = try await browser.logIn("dana@example.com", "not the password")
            let unknown = try await browser.logIn("nobody@example.com", "not the password")
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(wrong.contains("That email and password do not match an account."))
            #expect(unknown.contains("That email and password do not match an account."))
            #expect(wrong.contains(#"value="dana@example.com""#))
        }
    }

    @Test func sixFailuresLockTheAccountForFifteenMinutes() async throws {
        try await TestApp.run { browser, store, clock in
            try await TestApp.makePartner(store: store, clock: clock)
            for attempt in 1...5 {
                let answer = try await browser.logIn("dana@example.com", "wrong \(attempt)")
                #expect(answer.status == .unauthorized)
            }
            let sixth = try await browser.logIn("dana@example.com", "wrong 6")
            #expect(sixth.status == .tooManyRequests)
            #expect(sixth.contains("locked for 15 minutes"))

            // Even the right password is refused while locked.
            let locked = try await browser.logIn("dana@example.com", "correct horse battery")
            #expect(locked.status == .tooManyRequests)
            #expect(browser.cookies["tdm_session"] == nil)

            clock.advance(by: 15 * 60 - 1)
            #expect(try await browser.logIn("dana@example.com", "correct horse battery").status == .tooManyRequests)
            clock.advance(by: 1)
            let after = try await browser.logIn("dana@example.com", "correct horse battery")
            #expect(after.status == .seeOther)
            #expect(browser.cookies["tdm_session"] != nil)
        }
    }

    @Test func anUnknownEmailLocksTheSameWaySoLockoutRevealsNothing() async throws {
        try await TestApp.run { browser, _, _ in
            for attempt in 1...5 {
                #expect(try await browser.logIn("ghost@example.com", "wrong \(attempt)").status == .unauthorized)
            }
            let sixth = try await browser.logIn("ghost@example.com", "wrong 6")
            #expect(sixth.status == .tooManyRequests)
            #expect(sixth.contains("locked for 15 minutes"))
        }
    }

    @Test func nextOnlyLeadsToLocalPages() async throws {
        try await TestApp.run { browser, store, clock in
            try await TestApp.makePartner(store: store, clock: clock)
            let evil = try await browser.submit("/login", [("email", "dana@example.com"), ("password", "correct horse battery"), ("next", "//evil.example/steal")])
            #expect(evil.location == "/partner")
            try await browser.post("/logout", [])
            let local = try await browser.submit("/login", [("email", "dana@example.com"), ("password", "correct horse battery"), ("next", "/partner/settings")])
            #expect(local.location == "/partner/settings")
        }
    }

    @Test func pagesNeedASession() async throws {
        try await TestApp.run { browser, _, _ in
            let answer = try await browser.get("/partner/rewards")
            #expect(answer.status == .seeOther)
            #expect(answer.location == "/login?next=/partner/rewards")
        }
    }

    @Test func secureCookiesWhenTheBaseURLIsHTTPS() async throws {
        try await TestDatabase.withStore { store in
            let clock = TestClock()
            var config = TestApp.config(store.location)
            config.baseURL = "https://partners.example.com"
            let app = try await buildApplication(config: config, store: store, dependencies: TestApp.dependencies(clock: clock))
            try await TestApp.makePartner(store: store, clock: clock)
            try await app.test(.router) { client in
                let browser = Browser(client)
                let answer = try await browser.logIn("dana@example.com", "correct horse battery")
                let cookie = try #require(answer.setCookies.first { $0.hasPrefix("tdm_session=") })
                #expect(cookie.contains("Secure"))
            }
        }
    }
}

@Suite struct CSRFTests {
    @Test func aFormWithoutTheTokenIsRefusedAndChangesNothing() async throws {
        try await TestApp.run { browser, store, _ in
            try await browser.get("/signup")
            let answer = try await browser.post("/signup", [("name", "Mallory"), ("email", "m@example.com"), ("password", "long enough password")], includeCSRF: false)
            #expect(answer.status == .forbidden)
            #expect(answer.contains("This form has expired"))
            #expect(try await User.query(on: store.db).count() == 0)
        }
    }

    @Test func aTokenFromAnotherBrowserIsRefused() async throws {
        try await TestApp.run { browser, store, _ in
            try await browser.get("/signup")
            let stolen = try #require(browser.csrfToken)
            browser.setCookie("tdm_csrf", "another-browser-cookie-value-0123456789abcdef")
            let answer = try await browser.post("/signup", [("name", "Mallory"), ("email", "m@example.com"), ("password", "long enough password")], csrf: stolen)
            #expect(answer.status == .forbidden)
            #expect(try await User.query(on: store.db).count() == 0)
        }
    }

    @Test func aForgedTokenIsRefused() async throws {
        try await TestApp.run { browser, store, clock in
            try await TestApp.makePartner(store: store, clock: clock)
            try await browser.logIn("dana@example.com", "correct horse battery")
            let answer = try await browser.post("/partner/settings", [("name", "Hacked")], csrf: "forged")
            #expect(answer.status == .forbidden)
            #expect(try await AccountQueries.user(email: "dana@example.com", on: store.db)?.name == "Dana Reyes")
        }
    }
}

@Suite struct SharedSessionTests {
    /// Two app instances on one database stand for two server nodes behind a load balancer.
    @Test func aSessionMadeOnOneNodeWorksOnAnother() async throws {
        try await TestDatabase.withSharedLocation { location in
            let clock = TestClock()
            let storeA = try await Store.open(location, connectionsPerEventLoop: TestDatabase.poolSize, connectionWait: TestDatabase.connectionWait)
            let storeB = try await Store.open(location, connectionsPerEventLoop: TestDatabase.poolSize, connectionWait: TestDatabase.connectionWait)
            do {
                try await storeA.migrate()
                try await TestApp.makePartner(store: storeA, clock: clock)
                let appA = try await buildApplication(config: TestApp.config(location), store: storeA, dependencies: TestApp.dependencies(clock: clock))
                let appB = try await buildApplication(config: TestApp.config(location), store: storeB, dependencies: TestApp.dependencies(clock: clock))
                let cookies = try await appA.test(.router) { client in
                    let browser = Browser(client)
                    try await browser.logIn("dana@example.com", "correct horse battery")
                    return browser.cookies
                }
                #expect(cookies["tdm_session"] != nil)
                try await appB.test(.router) { client in
                    let browser = Browser(client)
                    for (name, value) in cookies { browser.setCookie(name, value) }
                    let home = try await browser.get("/partner")
                    #expect(home.status == .ok)
                    #expect(home.contains("Welcome, Dana"))
                    // And a form made on node A's page posts fine to node B: the CSRF secret is shared config.
                    let saved = try await browser.post("/partner/settings", [("name", "Dana R.")])
                    #expect(saved.status == .seeOther)
                }
                #expect(try await AccountQueries.user(email: "dana@example.com", on: storeA.db)?.name == "Dana R.")
            } catch {
                await storeA.shutdown(); await storeB.shutdown()
                throw error
            }
            await storeA.shutdown(); await storeB.shutdown()
        }
    }
}
