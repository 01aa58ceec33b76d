import FluentKit
import Foundation
import Hummingbird
import SQLKit
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

let browserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Safari/537.36"

struct ClickCounts: Decodable, Equatable {
    let clicks: Int64
    let unique_clicks: Int64
}

func rollup(_ store: Store) async throws -> ClickCounts {
    try await store.sql.raw("SELECT CAST(COALESCE(SUM(clicks), 0) AS BIGINT) AS clicks, CAST(COALESCE(SUM(unique_clicks), 0) AS BIGINT) AS unique_clicks FROM click_daily")
        .first(decoding: ClickCounts.self) ?? ClickCounts(clicks: 0, unique_clicks: 0)
}

func rawClickCount(_ store: Store) async throws -> Int {
    struct Row: Decodable { let n: Int }
    return try await store.sql.raw("SELECT COUNT(*) AS n FROM clicks").first(decoding: Row.self)?.n ?? 0
}

@Suite struct RedirectTests {
    @Test func redirectsWithAClickIDAndSetsTheVisitorCookie() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            let link = try await t.enrol(vendor, email: "pat@example.com")
            let browser = t.browser
            let answer = try await browser.get(link.path, headers: [.userAgent: browserAgent])
            #expect(answer.status == .found)
            let location = try #require(answer.location)
            #expect(location.hasPrefix("https://shop.example.com/welcome?ref=tandem&tdm_click="), "keeps the destination's own query")
            let clickID = String(location.split(separator: "=").last!)
            #expect(clickID.count == 32)
            let cookie = try #require(answer.setCookies.first { $0.hasPrefix("tdm_vid=") })
            #expect(cookie.contains("Max-Age=31536000"))
            #expect(cookie.contains("HttpOnly"))

            try await t.tracking.recorder.flush()
            let stored = try #require(try await ClickQueries.click(id: clickID, on: t.store.sql))
            #expect(stored.partnership_id.uuidString.lowercased() == link.id.lowercased())
            #expect(try await rollup(t.store) == ClickCounts(clicks: 1, unique_clicks: 1))
        }
    }

    @Test func aClickCountsOncePerVisitorPerLinkPerDay() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            let link = try await t.enrol(vendor, email: "pat@example.com")
            let browser = t.browser
            for _ in 1...3 { try await browser.get(link.path, headers: [.userAgent: browserAgent]) }
            try await t.tracking.recorder.flush()
            #expect(try await rollup(t.store) == ClickCounts(clicks: 3, unique_clicks: 1))

            // Another browser (another cookie) is another visitor.
            let other = t.browser
            other.setCookie("tdm_vid", String(repeating: "a", count: 32))
            try await other.get(link.path, headers: [.userAgent: browserAgent])
            try await t.tracking.recorder.flush()
            #expect(try await rollup(t.store) == ClickCounts(clicks: 4, unique_clicks: 2))

            // The next day the first visitor counts again.
            t.clock.advance(by: 86_400)
            try await browser.get(link.path, headers: [.userAgent: browserAgent])
            try await t.tracking.recorder.flush()
            #expect(try await rollup(t.store) == ClickCounts(clicks: 5, unique_clicks: 3))
        }
    }

    @Test func withoutACookieTheSameIPAndAgentIsOneVisitor() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            let link = try await t.enrol(vendor, email: "pat@example.com")
            // A client that keeps no cookies: every request comes bare.
            for _ in 1...3 {
                let answer = try await t.api.client.executeRequest(uri: link.path, method: .get, headers: [.userAgent: browserAgent], body: nil)
                #expect(answer.status == .found)
            }
            try await t.tracking.recorder.flush()
            #expect(try await rollup(t.store) == ClickCounts(clicks: 3, unique_clicks: 1))
        }
    }

    @Test(arguments: [
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "Twitterbot/1.0", "facebookexternalhit/1.1",
        "LinkedInBot/1.0", "Mozilla/5.0 (compatible; Discordbot/2.0)", "WhatsApp/2.23", "TelegramBot (like TwitterBot)",
        "Mozilla/5.0 (compatible; Googlebot/2.1)", "Mozilla/5.0 (compatible; bingbot/2.0)", "curl/8.4.0", "python-requests/2.31", "",
    ])
    func botsAreRedirectedButNotCounted(agent: String) async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            let link = try await t.enrol(vendor, email: "pat@example.com")
            let answer = try await t.browser.get(link.path, headers: agent.isEmpty ? [:] : [.userAgent: agent])
            #expect(answer.status == .found)
            #expect(answer.location == "https://shop.example.com/welcome?ref=tandem")
            try await t.tracking.recorder.flush()
            #expect(try await rawClickCount(t.store) == 0)
        }
    }

    @Test func headRequestsAreNotCounted() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            let link = try await t.enrol(vendor, email: "pat@example.com")
            let answer = try await t.api.client.executeRequest(uri: link.path, method: .head, headers: [.userAgent: browserAgent], body: nil)
            #expect(answer.status == .found)
            try await t.tracking.recorder.flush()
            #expect(try await rawClickCount(t.store) == 0)
        }
    }

    @Test func anUnknownOrArchivedLinkIsA404PageNeverARedirect() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            let unknown = try await t.browser.get("/r/no-such-key", headers: [.userAgent: browserAgent])
            #expect(unknown.status == .notFound)
            #expect(unknown.location == nil)
            #expect(unknown.contains("Page not found"))

            let link = try await t.enrol(vendor, email: "pat@example.com")
            #expect(try await t.browser.get(link.path, headers: [.userAgent: browserAgent]).status == .found)
            let archived = try await vendor.patch("/api/v1/partnerships/\(link.id)", ["status": "archived"])
            #expect(archived.status == .ok)
            let after = try await t.browser.get(link.path, headers: [.userAgent: browserAgent])
            #expect(after.status == .notFound)
            #expect(after.location == nil)
        }
    }

    @Test func theRedirectSkipsThePageMiddlewareAndIsMeasured() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            let link = try await t.enrol(vendor, email: "pat@example.com")
            let before = try await t.browser.get("/metrics").body
            let answer = try await t.browser.get(link.path, headers: [.userAgent: browserAgent])
            #expect(answer.status == .found)
            #expect(answer.headers[.init("X-Request-Id")!] == nil, "answered before the router's middleware")
            try await t.tracking.recorder.flush()
            let after = try await t.browser.get("/metrics").body
            // Other tests redirect in parallel in this process, so only "went up" is certain.
            #expect(Self.redirectCount(after) > Self.redirectCount(before))
            #expect(after.contains("\ntandem_click_flush_lag_max_seconds "), "the worst wait for a commit is reported")
        }
    }

    /// The process-wide counter's value in a Prometheus text page (0 before the first redirect).
    static func redirectCount(_ metrics: String) -> Int {
        let line = metrics.split(separator: "\n").first { $0.hasPrefix("tandem_redirects ") }
        return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
    }
}

/// Each node keeps its own link cache; a link archived through another node must stop here too.
@Suite struct LinkCacheAcrossNodesTests {
    @Test func aLinkArchivedByAnotherNodeStopsHereSoonAfterTheTTL() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            let link = try await t.enrol(vendor, email: "pat@example.com")
            let otherNode = LinkDirectory(store: t.store, ttl: .milliseconds(50))
            #expect(try await otherNode.target(forKey: link.key) != nil)

            try await t.store.sql.raw("UPDATE links SET archived_at = \(bind: Date())").run()
            #expect(try await otherNode.target(forKey: link.key) != nil, "fresh for the ttl")
            var stopped = false
            for _ in 0..<100 where !stopped {
                try await Task.sleep(for: .milliseconds(20))
                stopped = try await otherNode.target(forKey: link.key) == nil
            }
            #expect(stopped, "past the ttl, the reload finds the link archived")
        }
    }

    /// Expired links reload together: one query a link made the database answer a query per
    /// redirect, once each link was clicked about every ttl.
    @Test func expiredLinksReloadTogetherAndArchivedOnesStop() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            let first = try await t.enrol(vendor, email: "pat@example.com")
            guard let model = try await Link.query(on: t.store.db).filter(\.$key == first.key).first() else {
                Issue.record("the enrolment made no link")
                return
            }
            let keys = (0..<200).map { "bulk-link-\($0)" }
            for key in keys {
                try await Link(
                    programID: model.$program.id, partnershipID: model.$partnership.id, key: key, slug: nil,
                    destination: model.destination, isDefault: false, createdAt: Date()
                ).create(on: t.store.db)
            }
            let otherNode = LinkDirectory(store: t.store, ttl: .milliseconds(600))
            for key in keys { #expect(try await otherNode.target(forKey: key) != nil) }
            let archived = Set(keys.prefix(50))
            try await t.store.sql.raw("UPDATE links SET archived_at = \(bind: Date()) WHERE key IN (\(binds: Array(archived)))").run()

            try await Task.sleep(for: .milliseconds(700))
            let before = otherNode.reloadQueries
            for key in keys { #expect(try await otherNode.target(forKey: key) != nil, "an expired entry still answers while it reloads") }
            // Keys join the reload as they are asked for, so under a loaded test run the later
            // ones may sit in a second batch: wait for the last archived one, not the first.
            var reloaded = false
            for _ in 0..<400 where !reloaded {
                try await Task.sleep(for: .milliseconds(5))
                reloaded = try await otherNode.target(forKey: keys[archived.count - 1]) == nil
            }
            #expect(reloaded, "the reload finds the archived link")
            let queries = otherNode.reloadQueries - before
            #expect(queries >= 1 && queries <= 10, "200 expired links took \(queries) reload queries")
            for key in keys {
                let answer = try await otherNode.target(forKey: key)
                #expect((answer == nil) == archived.contains(key), "\(key): archived ones stop, the others go on")
            }
        }
    }
}
