import Foundation
import Hummingbird
import NIOCore
import FluentKit
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

@Suite struct ErrorAndSystemTests {
    @Test func anUnknownPageIsAnHTML404() async throws {
        try await TestApp.run { browser, _, _ in
            let page = try await browser.get("/no/such/page")
            #expect(page.status == .notFound)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.contains("Page not found"))
        }
    }

    @Test func anUnknownAPIPathIsAJSON404() async throws {
        try await TestApp.run { browser, _, _ in
            let answer = try await browser.get("/api/v1/nothing-here")
            #expect(answer.status == .notFound)
            #expect(answer.headers[.contentType]?.hasPrefix("application/json") == true)
            let json = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: [String: String]]
            #expect(json?["error"]?["code"] == "not_found")
            #expect(json?["error"]?["message"]?.isEmpty == false)
        }
    }

    @Test func anOversizedFormIs413() async throws {
        try await TestApp.run { browser, store, _ in
            try await browser.get("/signup")
            let huge = String(repeating: "x", count: 200_000)
            let answer = try await browser.post("/signup", [("name", huge), ("email", "a@example.com"), ("password", "long enough password")])
            #expect(answer.status == .contentTooLarge)
            #expect(answer.contains("Too large"))
            #expect(try await User.query(on: store.db).count() == 0)
        }
    }

    @Test func everyAnswerCarriesARequestIDAndSecurityHeaders() async throws {
        try await TestApp.run { browser, _, _ in
            let page = try await browser.get("/login")
            let requestID = try #require(page.headers[.init("X-Request-Id")!])
            #expect((16...32).contains(requestID.count) && requestID.allSatisfy(\.isHexDigit))
            #expect(page.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(page.headers[.xContentTypeOptions] == "nosniff")
        }
    }

    @Test func healthzChecksTheDatabase() async throws {
        try await TestApp.run { browser, _, _ in
            let health = try await browser.get("/healthz")
            #expect(health.status == .ok)
            #expect(health.contains(#""database":"ok""#))
        }
    }

    @Test func healthzSaysUnavailableWhenTheDatabaseIsGone() async throws {
        try await TestDatabase.withStore { store in
            let app = try await buildApplication(config: TestApp.config(store.location), store: store, dependencies: TestApp.dependencies(clock: TestClock()))
            await store.shutdown()
            try await app.test(.router) { client in
                let health = try await Browser(client).get("/healthz")
                #expect(health.status == .serviceUnavailable)
            }
        }
    }

    @Test func metricsCountRequestsByRoute() async throws {
        try await TestApp.run { browser, _, _ in
            try await browser.get("/login")
            let metrics = try await browser.get("/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.contains(#"http_route="/login""#))
            #expect(metrics.contains("http_server_request_duration"))
        }
    }

    @Test func theStylesheetIsServed() async throws {
        try await TestApp.run { browser, _, _ in
            let css = try await browser.get("/assets/styles.css")
            #expect(css.status == .ok)
            #expect(css.headers[.contentType]?.hasPrefix("text/css") == true)
            #expect(css.contains(".topbar"))
        }
    }
}
