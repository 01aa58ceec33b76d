import AsyncKit
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import TandemDomain
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

/// The lockout holds under concurrency, and every door people knock on has a limit.
@Suite struct LockoutTests {
    @Test func sixtyParallelWrongGuessesCheckAtMostSixPasswordsAndLockTheAddress() async throws {
        try await TestApp.run(configure: { $0.authRateLimitPer10Minutes = 0 }) { browser, store, clock in
            try await TestApp.makePartner(store: store, clock: clock)
            try await browser.get("/login")
            let token = try #require(browser.csrfToken)
            let answers = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for n in 1...60 {
                    group.addTask {
                        try await browser.post("/login", [("email", "dana@example.com"), ("password", "wrong guess \(n)")], csrf: token).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(answers.filter { $0 == .unauthorized }.count <= LoginThrottle.maxFailures, "passwords checked: \(answers)")
            #expect(answers.filter { $0 == .tooManyRequests }.count >= 60 - LoginThrottle.maxFailures)
            #expect(!answers.contains(.internalServerError))
            let record = try #require(try await LoginThrottleRecord.query(on: store.db).filter(\.$email == "dana@example.com").first())
            #expect(record.failures == 60, "every attempt was counted")
            #expect(record.lockedUntil != nil)

            let right = try await browser.post("/login", [("email", "dana@example.com"), ("password", "correct horse battery")])
            #expect(right.status == .tooManyRequests, "the right password is refused while locked")
            #expect(right.headers[.retryAfter].flatMap(Int.init).map { $0 > 0 && $0 <= 900 } == true)
            #expect(!browser.cookies.keys.contains("tdm_session"))

            clock.advance(by: 15 * 60 + 1)
            let later = try await browser.post("/login", [("email", "dana@example.com"), ("password", "correct horse battery")])
            #expect(later.status == .seeOther, "the lock ends after 15 minutes")
        }
    }

    @Test func theSixthWrongPasswordLocksAndARightOneBeforeItClears() async throws {
        try await TestApp.run(configure: { $0.authRateLimitPer10Minutes = 0 }) { browser, store, clock in
            try await TestApp.makePartner(store: store, clock: clock)
            try await browser.get("/login")
            for _ in 1...5 {
                #expect(try await browser.post("/login", [("email", "dana@example.com"), ("password", "nope nope nope")]).status == .unauthorized)
            }
            #expect(try await browser.post("/login", [("email", "dana@example.com"), ("password", "correct horse battery")]).status == .seeOther)
            #expect(try await LoginThrottleRecord.query(on: store.db).count() == 0, "a right password clears the count")
            _ = try await browser.post("/logout", [])
            try await browser.get("/login")
            for _ in 1...5 { _ = try await browser.post("/login", [("email", "dana@example.com"), ("password", "nope nope nope")]) }
            let sixth = try await browser.post("/login", [("email", "dana@example.com"), ("password", "nope nope nope")])
            #expect(sixth.status == .tooManyRequests)
            #expect(sixth.contains("locked for 15 minutes"))
        }
    }
}

@Suite struct RateLimitTests {
    @Test func logInSignUpAndResetShareALimitPerClientAddress() async throws {
        try await TestApp.run(configure: { $0.authRateLimitPer10Minutes = 4 }) { browser, store, clock in
            try await TestApp.makePartner(store: store, clock: clock)
            try await browser.get("/login")
            _ = try await browser.post("/login", [("email", "a@example.com"), ("password", "nope nope nope")])
            _ = try await browser.post("/login", [("email", "b@example.com"), ("password", "nope nope nope")])
            _ = try await browser.post("/signup", [("name", "C"), ("email", "c@example.com"), ("password", "long enough password")])
            _ = try await browser.post("/password/forgot", [("email", "d@example.com")])
            let fifth = try await browser.post("/signup", [("name", "E"), ("email", "e@example.com"), ("password", "long enough password")])
            #expect(fifth.status == .tooManyRequests)
            #expect(fifth.headers[.retryAfter].flatMap(Int.init).map { $0 > 0 } == true)
            #expect(fifth.contains("Too many attempts from your network"))
            #expect(try await AccountQueries.user(email: "e@example.com", on: store.db) == nil)
            let login = try await browser.post("/login", [("email", "dana@example.com"), ("password", "correct horse battery")])
            #expect(login.status == .tooManyRequests, "even the right password waits: the limit is per address")
            clock.advance(by: 600)
            #expect(try await browser.post("/login", [("email", "dana@example.com"), ("password", "correct horse battery")]).status == .seeOther)
        }
    }

    @Test func atMostThreeResetMailsPerAddressPerHour() async throws {
        try await TestApp.run { browser, store, clock in
            try await TestApp.makePartner(store: store, clock: clock)
            try await browser.get("/password/forgot")
            for _ in 1...3 {
                #expect(try await browser.post("/password/forgot", [("email", "dana@example.com")]).status == .ok)
            }
            let fourth = try await browser.post("/password/forgot", [("email", "dana@example.com")])
            #expect(fourth.status == .tooManyRequests)
            #expect(fourth.headers[.retryAfter] != nil)
            // An address without an account is limited the same way: the answer reveals nothing.
            for _ in 1...3 { _ = try await browser.post("/password/forgot", [("email", "nobody@example.com")]) }
            #expect(try await browser.post("/password/forgot", [("email", "nobody@example.com")]).status == .tooManyRequests)
            #expect(try await OutboxEmail.query(on: store.db).count() == 3)
        }
    }

    @Test func theAPILimitsEachKeyAndSaysSoInHeaders() async throws {
        try await TestApp.with(configure: { $0.apiRateLimitPerMinute = 3 }) { t in
            let vendor = try await t.vendor()
            let other = try await t.vendor("Other")
            let first = try await vendor.get("/api/v1/programs")
            #expect(first.status == .ok)
            #expect(first.headers[.init("RateLimit-Limit")!] == "3")
            #expect(first.headers[.init("RateLimit-Remaining")!] == "2")
            #expect(first.headers[.init("RateLimit-Reset")!].flatMap(Int.init).map { $0 > 0 } == true)
            let missing = try await vendor.get("/api/v1/programs/nope")
            #expect(missing.status == .notFound)
            #expect(missing.headers[.init("RateLimit-Remaining")!] == "1", "errors carry the headers too")
            _ = try await vendor.get("/api/v1/programs")
            let limited = try await vendor.get("/api/v1/programs")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.errorCode == "rate_limited")
            #expect(limited.headers[.retryAfter].flatMap(Int.init).map { $0 >= 1 && $0 <= 20 } == true)
            #expect(limited.headers[.init("RateLimit-Remaining")!] == "0")
            #expect(try await other.get("/api/v1/programs").status == .ok, "another key has its own bucket")
            t.clock.advance(by: 20)
            #expect(try await vendor.get("/api/v1/programs").status == .ok, "a token back after 20 s")
        }
    }

    @Test func guessingKeysIsLimitedPerAddress() async throws {
        try await TestApp.with { t in
            var statuses: [HTTPResponse.Status] = []
            for n in 0..<(RequestLimits.unauthenticatedAPIPerMinute + 1) {
                statuses.append(try await t.api.with(key: "tdm_sk_guess\(n)").get("/api/v1/programs").status)
            }
            #expect(statuses.dropLast().allSatisfy { $0 == .unauthorized })
            #expect(statuses.last == .tooManyRequests)
        }
    }

    /// No key at all guesses nothing: it stays a 401 however often it is sent (a client
    /// that forgot its key, or a fuzzer checking the 401, must not be told to wait).
    @Test func noKeyAtAllIsAlwaysA401() async throws {
        try await TestApp.with { t in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<(RequestLimits.unauthenticatedAPIPerMinute + 5) {
                statuses.append(try await t.api.get("/api/v1/programs").status)
            }
            #expect(statuses.allSatisfy { $0 == .unauthorized })
            #expect(try await t.api.with(key: "tdm_sk_guess").get("/api/v1/programs").status == .unauthorized,
                    "keyless requests did not use up the address's guesses")
        }
    }

    @Test func aZeroLimitTurnsTheAPILimitOff() async throws {
        try await TestApp.with(configure: { $0.apiRateLimitPerMinute = 0 }) { t in
            let vendor = try await t.vendor()
            for _ in 1...5 { #expect(try await vendor.get("/api/v1/programs").status == .ok) }
            #expect(try await vendor.get("/api/v1/programs").headers[.init("RateLimit-Limit")!] == nil)
        }
    }
}

@Suite struct OverloadAndMethodTests {
    /// A route that fails the way a full connection pool does.
    static func app(_ path: String) async throws -> some ApplicationProtocol {
        let router = Router(context: AppRequestContext.self)
        router.middlewares.add(ErrorMiddleware(renderer: try await Renderer(secretKey: TestApp.secretKey, showDevMail: false)))
        router.get(RouterPath(path)) { _, _ -> Response in throw ConnectionPoolTimeoutError.connectionRequestTimeout }
        return Application(router: router)
    }

    @Test func noDatabaseConnectionInTimeIsA503WithRetryAfter() async throws {
        try await Self.app("/api/v1/busy").test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/busy", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "2")
            #expect(String(buffer: response.body).contains(#""code":"overloaded""#))
        }
        try await Self.app("/partner/busy").test(.router) { client in
            let response = try await client.execute(uri: "/partner/busy", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "2")
            #expect(String(buffer: response.body).contains("Tandem is busy right now"))
        }
    }

    @Test func aHundredParallelLoginsGiveNo500() async throws {
        try await TestApp.run(configure: { $0.authRateLimitPer10Minutes = 0 }) { browser, store, clock in
            for n in 1...100 { try await TestApp.makePartner(email: "p\(n)@example.com", store: store, clock: clock) }
            try await browser.get("/login")
            let token = try #require(browser.csrfToken)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for n in 1...100 {
                    group.addTask {
                        try await browser.post("/login", [("email", "p\(n)@example.com"), ("password", "correct horse battery")], csrf: token).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .seeOther || $0 == .serviceUnavailable }, "\(Set(statuses))")
            #expect(statuses.contains(.seeOther))
        }
    }

    @Test func anUnservedMethodIs405WithAllow() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            let put = try await vendor.send(.put, "/api/v1/programs")
            #expect(put.status == .methodNotAllowed)
            #expect(put.headers[.allow] == "GET, HEAD, POST")
            #expect(put.errorCode == "method_not_allowed")
            let trace = try await t.api.send(.init("TRACE")!, "/api/v1/rewards")
            #expect(trace.status == .methodNotAllowed)
            let options = try await t.api.send(.options, "/login")
            #expect(options.status == .methodNotAllowed)
            #expect(options.headers[.allow] == "GET, HEAD, POST")
            // An unknown id under a served method stays a 404.
            #expect(try await vendor.get("/api/v1/programs/nope").status == .notFound)
            #expect(try await t.api.get("/no/such/page").status == .notFound)
        }
    }
}

@Suite struct DevMailboxTests {
    @Test(arguments: [
        (["TANDEM_ENV": "development"], "127.0.0.1", true),
        (["TANDEM_ENV": "development"], "0.0.0.0", false),
        (["TANDEM_ENV": "production", "SECRET_KEY": String(repeating: "k", count: 40)], "127.0.0.1", false),
        (["TANDEM_ENV": "production", "SECRET_KEY": String(repeating: "k", count: 40), "DEV_MAILBOX": "true"], "0.0.0.0", true),
        (["DEV_MAILBOX": "false"], "127.0.0.1", false),
    ])
    func theMailboxIsOnOnlyWhereNobodyElseCanReadIt(env: [String: String], host: String, on: Bool) throws {
        let secretFile = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-test-\(UUID().uuidString).secret").path
        defer { try? FileManager.default.removeItem(atPath: secretFile) }
        let config = try AppConfig.fromEnvironment(env, hostname: host, secretFile: secretFile)
        #expect(config.devMailbox == on)
    }

    @Test func aPublicAddressServesNoMailbox() async throws {
        try await TestApp.run(configure: { $0.hostname = "0.0.0.0" }) { browser, _, _ in
            let page = try await browser.get("/dev/mail")
            #expect(page.status == .notFound)
        }
        try await TestApp.run { browser, _, _ in
            let page = try await browser.get("/dev/mail")
            #expect(page.status == .ok)
        }
    }

    @Test func aBadSettingStopsStartUpNamingIt() {
        #expect(throws: ConfigError.self) { try AppConfig.fromEnvironment(["DEV_MAILBOX": "maybe"], secretFile: "/tmp/unused") }
        #expect(throws: ConfigError.self) { try AppConfig.fromEnvironment(["API_RATE_LIMIT_PER_MINUTE": "-1"], secretFile: "/tmp/unused") }
    }
}

