import FluentKit
import Foundation
import Hummingbird
import SQLKit
import TandemDomain
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

/// Amounts: bounded at the edge, summed without trapping, and a partner with the largest
/// allowed amounts still sees every page.
@Suite struct AmountLimitTests {
    @Test func everyAmountPastTheLimitIsRefusedWithItsField() async throws {
        try await TestApp.with { t in
            let setUp = try await MoneySetUp.make(t, rules: [["trigger": "signup", "kind": "flat", "amount": 500]])
            let partnership = setUp.link.id
            let tooMuch = AmountLimit.maximum + 1
            _ = try await setUp.vendor.post("/api/v1/customers", ["program": "acme", "key": "c1", "partner_key": setUp.link.key])
            let cases: [(String, [String: Any], String)] = [
                ("/api/v1/rewards", ["partnership": partnership, "amount": Int64.max, "description": "x"], "amount"),
                ("/api/v1/rewards", ["partnership": partnership, "amount": tooMuch, "description": "x"], "amount"),
                ("/api/v1/rewards", ["partnership": partnership, "amount": -tooMuch, "description": "x"], "amount"),
                ("/api/v1/transactions", ["program": "acme", "customer_key": "c1", "external_id": "t1", "amount": tooMuch, "currency": "USD"], "amount"),
                ("/api/v1/deals", ["program": "acme", "partner_key": setUp.link.key, "name": "Big", "amount": tooMuch, "currency": "USD"], "amount"),
                ("/api/v1/programs/acme/reward-rules", ["trigger": "transaction", "kind": "flat", "amount": 100, "min_transaction_amount": tooMuch], "min_transaction_amount"),
                ("/api/v1/transactions/t1/refunds", ["program": "acme", "amount": tooMuch], "amount"),
            ]
            for (path, body, field) in cases {
                let answer = try await setUp.vendor.post(path, body)
                #expect(answer.status == .badRequest, "\(path) \(body): \(answer.text)")
                #expect(answer.errorCode == "amount_too_large", "\(path): \(answer.text)")
                #expect(answer.errorField == field)
            }
            let program = try await setUp.vendor.patch("/api/v1/programs/acme", ["min_withdrawal": tooMuch])
            #expect(program.errorCode == "amount_too_large")
            #expect(try await Reward.query(on: t.store.db).filter(\.$kind == .manual).count() == 0)
            let atTheLimit = try await setUp.vendor.post("/api/v1/rewards", ["partnership": partnership, "amount": AmountLimit.maximum, "description": "The most"])
            #expect(atTheLimit.status == .created)
        }
    }

    /// The issue's crash: rewards whose sum passes Int64 (only possible with amounts written
    /// past the API's limit, as an older version allowed) fail the withdrawal, not the process.
    @Test func aWithdrawalWhoseSumWouldOverflowIsRefusedNotACrash() async throws {
        try await TestApp.with { t in
            let setUp = try await MoneySetUp.make(t, rules: [["trigger": "signup", "kind": "flat", "amount": 500]])
            for n in 1...2 {
                _ = try await setUp.vendor.post("/api/v1/customers", ["program": "acme", "key": "c\(n)", "partner_key": setUp.link.key])
            }
            try await setUp.approveAll(t)
            try await t.store.sql.raw("UPDATE rewards SET amount = \(bind: Int64.max - 10)").run()
            let answer = try await setUp.partner.post("/api/v1/partner/withdrawals", ["currency": "USD"])
            #expect(answer.status == .conflict, "\(answer.text)")
            #expect(answer.errorCode == "amount_too_large")
            #expect(try await Withdrawal.query(on: t.store.db).count() == 0)
            // The server still answers.
            #expect(try await setUp.partner.get("/api/v1/partner/programs").status == .ok)
        }
    }

    @Test func aPartnerWithTheLargestAllowedAmountsSeesEveryPage() async throws {
        try await TestApp.with { t in
            try await TestApp.makePartner(email: "pat@example.com", password: "correct horse battery", store: t.store, clock: t.clock)
            let setUp = try await MoneySetUp.make(
                t, rules: [["trigger": "transaction", "kind": "percent", "percent": 100], ["trigger": "deal_won", "kind": "percent", "percent": 100]],
                program: ["min_withdrawal": 0, "features": ["deals": true, "leads": true, "links": true, "custom_links": true]]
            )
            let max = AmountLimit.maximum
            for n in 1...5 {
                let sale = try await setUp.sale("t\(n)", amount: max, customer: "c\(n)")
                #expect(sale.status == .created, "\(sale.text)")
            }
            for n in 1...3 {
                #expect(try await setUp.vendor.post("/api/v1/rewards", ["partnership": setUp.link.id, "amount": max, "description": "Bonus \(n)"]).status == .created)
            }
            let deal = try await setUp.vendor.post("/api/v1/deals", ["program": "acme", "partner_key": setUp.link.key, "name": "Huge", "amount": max, "currency": "USD"])
            #expect(deal.status == .created, "\(deal.text)")
            _ = try await setUp.vendor.patch("/api/v1/deals/\(try #require(deal.string("id")))", ["stage": "won"])
            _ = try await setUp.vendor.post("/api/v1/transactions/t1/refunds", ["program": "acme"])
            try await setUp.approveAll(t)
            let withdrawal = try await setUp.partner.post("/api/v1/partner/withdrawals", ["currency": "USD"])
            #expect(withdrawal.status == .created, "\(withdrawal.text)")
            // Five sales and three bonuses, less the refunded sale's reward, plus the deal: 8 × max.
            #expect(withdrawal.int("amount") == 8 * max)

            let browser = t.browser
            try await browser.logIn("pat@example.com", "correct horse battery")
            let id = setUp.link.id.lowercased()
            for path in [
                "/partner", "/partner/rewards", "/partner/reporting", "/partner/reporting/rewards", "/partner/reporting/export/overview",
                "/partner/reporting/export/rewards", "/partner/programs/\(id)", "/partner/programs/\(id)/performance",
                "/partner/programs/\(id)/performance?interval=day", "/partner/programs/\(id)/referrals", "/partner/programs/\(id)/deals",
            ] {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path): \(page.status)")
            }
            #expect(try await browser.get("/partner/rewards").contains("$80,000,000,000.00"), "the withdrawal's exact amount")
            let programs = try await setUp.partner.get("/api/v1/partner/programs")
            let stats = try #require(programs.data.first?["stats"] as? [String: Any])
            #expect((stats["sold"] as? NSNumber)?.int64Value == 4 * max, "five sales less one refunded, not capped")
            #expect((stats["pending"] as? NSNumber)?.int64Value == 8 * max)
            try await checkInvariant(t)
        }
    }
}

/// Text and times: control characters and implausible dates are refused with their field.
@Suite struct InputHardeningTests {
    @Test func controlCharactersAreRefusedWithTheFieldNamed() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            let nul = try await vendor.post("/api/v1/programs", [
                "name": "Acme\u{0}Partners", "slug": "acme", "currency": "USD", "default_destination": "https://shop.example.com/",
            ])
            #expect(nul.status == .badRequest)
            #expect(nul.errorField == "name")
            let nested = try await vendor.post("/api/v1/programs", [
                "name": "Acme", "slug": "acme", "currency": "USD", "default_destination": "https://shop.example.com/",
                "allowed_domains": ["shop.example.com", "evil\u{1B}.example"],
            ])
            #expect(nested.errorField == "allowed_domains[1]")
            try await t.program(vendor)
            // Line breaks are fine in long text, not in a name.
            let description = try await vendor.patch("/api/v1/programs/acme", ["description": "Line one\nLine two\tTabbed"])
            #expect(description.status == .ok)
            let newline = try await vendor.patch("/api/v1/programs/acme", ["name": "Two\nLines"])
            #expect(newline.errorField == "name")
            let query = try await vendor.get("/api/v1/rewards?program=acme%00")
            #expect(query.status == .badRequest)
            #expect(query.errorField == "program")
            let path = try await vendor.get("/api/v1/programs/acme%00")
            #expect(path.status == .notFound)
            #expect(try await Program.query(on: t.store.db).count() == 1)
        }
    }

    @Test func aFormWithAControlCharacterIsRefusedAndStoresNothing() async throws {
        try await TestApp.run { browser, store, _ in
            let answer = try await browser.submit("/signup", [("name", "Dana\u{0}Reyes"), ("email", "dana@example.com"), ("password", "long enough password")])
            #expect(answer.status == .badRequest)
            #expect(answer.contains("control characters"))
            #expect(try await User.query(on: store.db).count() == 0)
            let query = try await browser.get("/login?next=%00")
            #expect(query.status == .badRequest)
        }
    }

    @Test func eventTimesMustLieBetween2000AndTomorrow() async throws {
        try await TestApp.with { t in
            let setUp = try await MoneySetUp.make(t, rules: [])
            for date in ["0001-01-01T00:00:00Z", "1999-12-31T23:59:59Z", "9999-12-31T00:00:00Z"] {
                let customer = try await setUp.vendor.post("/api/v1/customers", ["program": "acme", "key": "c-\(date)", "partner_key": setUp.link.key, "signed_up_at": date])
                #expect(customer.status == .badRequest, "\(date)")
                #expect(customer.errorField == "signed_up_at")
            }
            _ = try await setUp.vendor.post("/api/v1/customers", ["program": "acme", "key": "c1", "partner_key": setUp.link.key])
            let future = ISO8601DateFormatter().string(from: t.clock.now.addingTimeInterval(2 * 86_400))
            let sale = try await setUp.sale("t1", amount: 100, customer: "c1", occurredAt: future)
            #expect(sale.errorField == "occurred_at")
            let tomorrow = ISO8601DateFormatter().string(from: t.clock.now.addingTimeInterval(86_000))
            #expect(try await setUp.sale("t2", amount: 100, customer: "c1", occurredAt: tomorrow).status == .created)
            #expect(try await SaleTransaction.query(on: t.store.db).count() == 1)
        }
    }

    @Test func destinationsAreStoredPercentEncoded() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor, extra: ["features": ["links": true, "custom_links": true]])
            _ = try await t.enrol(vendor, email: "pat@example.com")
            let partner = try await t.partnerKey(email: "pat@example.com")
            let link = try await partner.post("/api/v1/partner/links", [
                "program": "acme", "slug": "quoted", "destination": #"https://shop.example.com/p?q="><script>&x=a b"#,
            ])
            #expect(link.status == .created, "\(link.text)")
            #expect(link.string("destination") == "https://shop.example.com/p?q=%22%3E%3Cscript%3E&x=a%20b")
            let stored = try #require(try await Link.query(on: t.store.db).filter(\.$slug == "quoted").first())
            #expect(!stored.destination.contains("\""))
            #expect(!stored.destination.contains("<"))
        }
    }

    @Test(arguments: [
        ("/partner/rewards", "/partner/rewards"),
        ("/\t/evil.example", "/partner"),
        ("/\n/evil.example", "/partner"),
        ("//evil.example", "/partner"),
        ("/\\evil.example", "/partner"),
        ("https://evil.example/", "/partner"),
        ("/ /evil.example", "/partner"),
    ])
    func nextIsFollowedOnlyWhenItIsALocalPath(next: String, expected: String) async throws {
        try await TestApp.run { browser, store, clock in
            try await TestApp.makePartner(store: store, clock: clock)
            try await browser.get("/login")
            let answer = try await browser.post("/login", [("email", "dana@example.com"), ("password", "correct horse battery"), ("next", next)])
            #expect(answer.location == expected)
        }
    }
}

/// Links follow the program's current rules.
@Suite struct RedirectRulesTests {
    @Test func aLinkToADomainNoLongerAllowedLeadsToTheDefaultDestination() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor, extra: [
                "allowed_domains": ["shop.example.com", "blog.example.org"], "features": ["links": true, "custom_links": true],
            ])
            let enrolled = try await t.enrol(vendor, email: "pat@example.com")
            let partner = try await t.partnerKey(email: "pat@example.com")
            let link = try await partner.post("/api/v1/partner/links", ["program": "acme", "slug": "blog", "destination": "https://blog.example.org/post"])
            #expect(link.status == .created)
            let agent: HTTPFields = [.userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0"]
            let before = try await t.browser.get("/r/acme/blog", headers: agent)
            #expect(before.location?.hasPrefix("https://blog.example.org/post?tdm_click=") == true)

            #expect(try await vendor.patch("/api/v1/programs/acme", ["allowed_domains": ["shop.example.com"]]).status == .ok)
            let after = try await t.browser.get("/r/acme/blog", headers: agent)
            #expect(after.status == .found)
            #expect(after.location?.hasPrefix("https://shop.example.com/welcome?ref=tandem&tdm_click=") == true, "\(after.location ?? "")")
            // The default link is unchanged, and the click still counts.
            #expect(try await t.browser.get(enrolled.path, headers: agent).location?.hasPrefix("https://shop.example.com/welcome") == true)
            try await t.tracking.recorder.flush()
            #expect(try await t.store.sql.raw("SELECT COUNT(*) AS n FROM clicks").first(decoding: Count.self)?.n == 3)
        }
    }

    /// The console's forms change what redirects do on this node at once, as the API does.
    @Test func theConsoleNarrowingDomainsOrArchivingAPartnerAppliesToRedirectsAtOnce() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            try await t.program(team.api, extra: [
                "allowed_domains": ["shop.example.com", "blog.example.org"], "features": ["links": true, "custom_links": true],
            ])
            let enrolled = try await t.enrol(team.api, email: "pat@example.com")
            let partner = try await t.partnerKey(email: "pat@example.com")
            _ = try await partner.post("/api/v1/partner/links", ["program": "acme", "slug": "blog", "destination": "https://blog.example.org/post"])
            let agent: HTTPFields = [.userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0"]
            #expect(try await t.browser.get("/r/acme/blog", headers: agent).location?.hasPrefix("https://blog.example.org/post") == true)

            let program = try #require(try await Program.query(on: t.store.db).first())
            var values = ProgramSettingsPage.values(program)
            values["allowed_domains"] = "shop.example.com"
            let saved = try await team.manager.submit("/vendor/programs/acme/settings", values.map { ($0.key, $0.value) })
            #expect(saved.status == .seeOther)
            #expect(try await t.browser.get("/r/acme/blog", headers: agent).location?.hasPrefix("https://shop.example.com/welcome") == true)

            #expect(try await t.browser.get(enrolled.path, headers: agent).status == .found)
            let archived = try await team.manager.submit("/vendor/partners", to: "/vendor/partners/\(enrolled.id)/review", [("status", "archived")])
            #expect(archived.status == .seeOther)
            #expect(try await t.browser.get(enrolled.path, headers: agent).status == .notFound, "an archived partner's link stops at once")
        }
    }

    struct Count: Decodable { let n: Int }
}

/// What the OpenAPI document promises of every body and list.
@Suite struct ContractTests {
    @Test func unknownFieldsAndBadIdempotencyKeysAreRefused() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            let typo = try await vendor.post("/api/v1/programs", [
                "name": "Acme", "slug": "acme", "currency": "USD", "default_destination": "https://shop.example.com/", "colour": "red",
            ])
            #expect(typo.status == .badRequest)
            #expect(typo.errorCode == "unknown_field")
            #expect(typo.errorField == "colour")
            let nested = try await vendor.post("/api/v1/programs", [
                "name": "Acme", "slug": "acme", "currency": "USD", "default_destination": "https://shop.example.com/", "features": ["link": true],
            ])
            #expect(nested.errorField == "features.link")
            #expect(try await Program.query(on: t.store.db).count() == 0)
            let spaced = try await vendor.post("/api/v1/programs", ["name": "Acme"], idempotencyKey: "two words")
            #expect(spaced.errorCode == "invalid_idempotency_key")
            try await t.program(vendor)
            // A workflow's refusal is an API answer like any other: rate-limit headers, and kept for its idempotency key.
            let refusal = try await vendor.post("/api/v1/rewards", ["partnership": UUID().uuidString, "amount": 100, "description": "x"], idempotencyKey: "k-1")
            #expect(refusal.status == .notFound)
            #expect(refusal.headers[.init("RateLimit-Limit")!] != nil)
            let replay = try await vendor.post("/api/v1/rewards", ["partnership": UUID().uuidString, "amount": 100, "description": "x"], idempotencyKey: "k-1")
            #expect(replay.errorCode == "idempotency_key_reused", "the first answer was stored under the key")
            let unknownPage = try await vendor.get("/api/v1/programs?starting_after=\(UUID().uuidString)")
            #expect(unknownPage.status == .notFound)
            #expect(unknownPage.errorField == "starting_after")
        }
    }
}

/// `GET /api/v1/partner/stats`: the partner's numbers over time; nobody else's.
@Suite struct PartnerStatsAPITests {
    @Test func theSeriesCoversEveryPeriodWithTheRollupsFigures() async throws {
        try await TestApp.with { t in
            let setUp = try await MoneySetUp.make(t, rules: [["trigger": "transaction", "kind": "percent", "percent": 10]])
            let twoMonthsAgo = RewardMath.adding(months: -2, to: t.clock.now)
            _ = try await setUp.vendor.post("/api/v1/customers", ["program": "acme", "key": "c1", "partner_key": setUp.link.key, "signed_up_at": twoMonthsAgo.formatted(.iso8601)])
            _ = try await setUp.sale("t1", amount: 10_000, customer: "c1", occurredAt: twoMonthsAgo.formatted(.iso8601))
            _ = try await setUp.sale("t2", amount: 5_000, customer: "c1")

            let stats = try await setUp.partner.get("/api/v1/partner/stats?program=acme")
            #expect(stats.status == .ok, "\(stats.text)")
            let series = try #require(stats["series"] as? [[String: Any]])
            #expect(series.count == 12, "the last 12 months by month")
            let totals = try #require(stats["totals"] as? [String: Any])
            #expect((totals["sold"] as? NSNumber)?.int64Value == 15_000)
            #expect((totals["referred"] as? NSNumber)?.int64Value == 1)
            #expect((totals["pending"] as? NSNumber)?.int64Value == 1_500)
            let sold = series.map { ($0["sold"] as? NSNumber)?.int64Value ?? -1 }
            #expect(sold.suffix(3) == [10_000, 0, 5_000])
            #expect(series.last?["period"] as? String == String(ClickDay.string(t.clock.now).prefix(7)))

            let byDay = try await setUp.partner.get("/api/v1/partner/stats?program=acme&interval=day&from=\(ClickDay.string(t.clock.now))")
            #expect((byDay["series"] as? [[String: Any]])?.count == 1)
            #expect(try await setUp.partner.get("/api/v1/partner/stats?interval=week").errorField == "interval")
            #expect(try await setUp.partner.get("/api/v1/partner/stats?from=1999-12-31").errorField == "from")
        }
    }

    @Test func aVendorKeyIsRefusedAndAnotherPartnersProgramIsNotFound() async throws {
        try await TestApp.with { t in
            let setUp = try await MoneySetUp.make(t, rules: [])
            #expect(try await setUp.vendor.get("/api/v1/partner/stats").status == .forbidden)
            let other = try await t.vendor("Globex")
            try await t.program(other, slug: "globex")
            _ = try await t.enrol(other, program: "globex", email: "sam@example.com")
            let sam = try await t.partnerKey(email: "sam@example.com")
            #expect(try await sam.get("/api/v1/partner/stats?program=acme").status == .notFound)
            #expect(try await sam.get("/api/v1/partner/stats?program=globex").status == .ok)
            #expect(try await t.api.get("/api/v1/partner/stats").status == .unauthorized)
        }
    }
}
