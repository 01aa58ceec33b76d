import FluentKit
import Foundation
import TandemDomain
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

/// Reporting: Overview and Rewards tabs, their filters and CSV exports, read live from the events.
@Suite struct ReportingPageTests {
    /// 2026-11-18 12:00 UTC: the default window is 2025-12-01 … 2026-11-18.
    static let start = Date(timeIntervalSince1970: 1_795_003_200)

    struct SetUp {
        let vendor: APIClient
        let acme: (id: String, key: String, path: String)
        let browser: Browser
    }

    /// Pat (who can log in) in "acme" (USD) with a 20% payment rule and a $5 signup reward:
    /// two customers, three payments, one partly refunded. Signed in.
    static func make(_ t: TestEnvironment) async throws -> SetUp {
        try await TestApp.makePartner(email: "pat@example.com", password: "correct horse battery", store: t.store, clock: t.clock)
        let vendor = try await t.vendor()
        try await t.program(vendor)
        for rule: [String: Any] in [["trigger": "transaction", "kind": "percent", "percent": 20], ["trigger": "signup", "kind": "flat", "amount": 500]] {
            #expect(try await vendor.post("/api/v1/programs/acme/reward-rules", rule).status == .created)
        }
        let acme = try await t.enrol(vendor, email: "pat@example.com")
        try await customer(vendor, "cus_1", name: "Ann Buyer", key: acme.key, at: "2026-09-10T09:00:00Z")
        try await customer(vendor, "cus_2", name: "Bob Buyer", key: acme.key, at: "2026-10-05T09:00:00Z")
        try await sale(vendor, "pay_1", customer: "cus_1", amount: 10_000, at: "2026-09-12T10:00:00Z")
        #expect(try await vendor.post("/api/v1/transactions/pay_1/refunds", ["program": "acme", "amount": 2000]).status == .created)
        try await sale(vendor, "pay_2", customer: "cus_1", amount: 5000, at: "2026-10-01T10:00:00Z")
        try await sale(vendor, "pay_3", customer: "cus_2", amount: 3000, at: "2026-10-20T10:00:00Z")
        let browser = t.browser
        #expect(try await browser.logIn("pat@example.com", "correct horse battery").status == .seeOther)
        return SetUp(vendor: vendor, acme: acme, browser: browser)
    }

    static func customer(_ vendor: APIClient, _ key: String, name: String, key partnerKey: String, program: String = "acme", at: String) async throws {
        let answer = try await vendor.post("/api/v1/customers", ["program": program, "key": key, "name": name, "partner_key": partnerKey, "signed_up_at": at])
        #expect(answer.status == .created, "\(answer.text)")
    }

    static func sale(_ vendor: APIClient, _ id: String, customer: String, amount: Int64, currency: String = "USD", program: String = "acme", at: String) async throws {
        let answer = try await vendor.post("/api/v1/transactions", [
            "program": program, "customer_key": customer, "external_id": id, "amount": amount, "currency": currency, "occurred_at": at,
        ])
        #expect(answer.status == .created, "\(answer.text)")
    }

    static func row(_ cells: String...) -> String {
        "<tr><td class=\"nowrap\">\(cells[0])</td>" + cells.dropFirst().map { "<td class=\"num\">\($0)</td>" }.joined() + "</tr>"
    }

    @Test func theRewardsTabPagesAHundredAtATimeAndRewardsPagesTwentyFive() async throws {
        try await TestApp.with(clock: TestClock(Self.start)) { t in
            let setUp = try await Self.make(t)
            // The story's 5 rewards and 96 manual ones, each a second apart: 101, newest first.
            for n in 1...96 {
                t.clock.advance(by: 1)
                let made = try await setUp.vendor.post("/api/v1/rewards", ["partnership": setUp.acme.id, "amount": 100 + n, "currency": "USD", "description": "Bonus \(n)"])
                #expect(made.status == .created)
            }
            let first = try await setUp.browser.get("/partner/reporting/rewards")
            #expect(first.contains("Page 1 of 2"))
            #expect(first.body.components(separatedBy: "<tr>").count - 1 == 1 + 100, "a header row and a hundred rewards")
            #expect(first.contains("Bonus 96"), "newest first")
            #expect(!first.contains("rel=\"prev\""))
            let next = try #require(first.body.firstMatch(of: /href="([^"]*)" rel="next"/)?.1)
            let second = try await setUp.browser.get(String(next).replacingOccurrences(of: "&amp;", with: "&"))
            #expect(second.contains("Page 2 of 2"))
            #expect(second.body.components(separatedBy: "<tr>").count - 1 == 1 + 1)
            #expect(second.contains("rel=\"prev\"") && !second.contains("rel=\"next\""))
            #expect(!second.contains("Bonus 96"))
            // Out of range or not a number: the nearest page, never an error.
            #expect(try await setUp.browser.get("/partner/reporting/rewards?page=99").contains("Page 2 of 2"))
            #expect(try await setUp.browser.get("/partner/reporting/rewards?page=x").contains("Page 1 of 2"))
            // Rewards & Withdrawals pages by 25, withdrawals first, and points here for filters.
            let summary = try await setUp.browser.get("/partner/rewards")
            #expect(summary.contains("Rewards 1–25"))
            #expect(summary.body.components(separatedBy: "<tr>").count - 1 == 1 + 25)
            let withdrawalsAt = try #require(summary.body.range(of: "id=\"withdrawals\"")).lowerBound
            let rewardsAt = try #require(summary.body.range(of: "id=\"rewards\"")).lowerBound
            #expect(withdrawalsAt < rewardsAt, "the withdrawal history is above the long list")
            #expect(summary.contains(#"href="/partner/rewards?page=2#rewards" rel="next""#))
            let last = try await setUp.browser.get("/partner/rewards?page=5")
            #expect(last.contains("Rewards 101–101") && last.contains("rel=\"prev\"") && !last.contains("rel=\"next\""))
            #expect(last.body.components(separatedBy: "<tr>").count - 1 == 1 + 1)
            let pending = try await setUp.browser.get("/partner/rewards?status=pending&page=2")
            #expect(pending.contains(#"href="/partner/rewards?status=pending#rewards" rel="prev""#), "paging keeps the filter")
            #expect(try await setUp.browser.get("/partner/rewards?page=-3").contains("Rewards 1–25"), "a bad page is the first")
            // The export is not paged.
            let csv = try await setUp.browser.get("/partner/reporting/export/rewards")
            #expect(csv.body.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 1 + 101)
        }
    }

    @Test func theOverviewCountsClicksAndSplitsRewardsIntoPaidAndPending() async throws {
        try await TestApp.with { t in
            try await TestApp.makePartner(email: "pat@example.com", password: "correct horse battery", store: t.store, clock: t.clock)
            let vendor = try await t.vendor()
            try await t.program(vendor, extra: ["min_withdrawal": 0])
            _ = try await vendor.post("/api/v1/programs/acme/reward-rules", ["trigger": "signup", "kind": "flat", "amount": 500])
            try await t.program(vendor, slug: "deals-only", extra: ["name": "Deals Only", "features": ["links": false, "custom_links": false, "deals": true]])
            let link = try await t.enrol(vendor, email: "pat@example.com")
            let dealsOnly = try await t.enrol(vendor, program: "deals-only", email: "pat@example.com")
            for _ in 0..<3 { try await t.browser.get(link.path, headers: [.userAgent: browserAgent]) }
            try await t.tracking.recorder.flush()
            for n in 1...2 { _ = try await vendor.post("/api/v1/customers", ["program": "acme", "key": "c\(n)", "partner_key": link.key]) }
            for reward in try await Reward.query(on: t.store.db).all() { _ = try await vendor.post("/api/v1/rewards/\(try reward.requireID())/approve", [String: Any]()) }
            let partner = try await t.partnerKey(email: "pat@example.com")
            _ = try await partner.send(.put, "/api/v1/partner/payout-method", json: ["provider": "paypal", "paypal_email": "pat@paypal.example"])
            let made = try await partner.post("/api/v1/partner/withdrawals", ["currency": "USD"])
            _ = try await vendor.post("/api/v1/withdrawals/\(try #require(made.string("id")))/mark-paid", [String: Any]())
            _ = try await vendor.post("/api/v1/customers", ["program": "acme", "key": "c3", "partner_key": link.key])

            let browser = t.browser
            try await browser.logIn("pat@example.com", "correct horse battery")
            let page = try await browser.get("/partner/reporting?program=\(link.id)")
            #expect(page.contains(#"<div class="stat__label">Clicks</div><div class="stat__value">1</div>"#), "unique clicks: one visitor")
            #expect(page.contains(#"<div class="stat__label">Rewards paid (USD)</div><div class="stat__value">$10.00</div>"#))
            #expect(page.contains(#"<div class="stat__label">Rewards pending (USD)</div><div class="stat__value">$5.00</div>"#))
            #expect(page.contains("<th class=\"num\">Clicks</th>"))
            let noLinks = try await browser.get("/partner/reporting?program=\(dealsOnly.id)")
            #expect(noLinks.status == .ok && !noLinks.contains("Clicks"), "a program without links shows no clicks")
        }
    }

    @Test func withoutProgramsThereAreNoRowsOfZeros() async throws {
        try await TestApp.with(clock: TestClock(Self.start)) { t in
            try await TestApp.makePartner(email: "new@example.com", password: "correct horse battery", store: t.store, clock: t.clock)
            let browser = t.browser
            try await browser.logIn("new@example.com", "correct horse battery")
            let page = try await browser.get("/partner/reporting")
            #expect(page.status == .ok)
            #expect(page.contains("No programs yet"))
            #expect(!page.contains(#"<td class="nowrap">"#), "no twelve rows of zeros under it")
            #expect(!page.contains("<svg"))
        }
    }

    @Test func theOverviewAddsUpTheEventsByMonth() async throws {
        try await TestApp.with(clock: TestClock(Self.start)) { t in
            let setUp = try await Self.make(t)
            let page = try await setUp.browser.get("/partner/reporting")
            #expect(page.status == .ok)
            #expect(page.contains("Dec 1, 2025 to Nov 18, 2026, by month"), "the default: last 12 months by month")
            #expect(page.contains("<td class=\"nowrap\">Dec 2025</td>"))
            #expect(!page.contains("<td class=\"nowrap\">Nov 2025</td>"))
            // Period, clicks, signups, paid customers (first payment in the period), payments, gross, net of refunds, rewards paid, rewards pending.
            #expect(page.contains(Self.row("Sep 2026", "0", "1", "1", "1", "$100.00", "$80.00", "$0.00", "$0.00")), "gross and net of the refund")
            #expect(page.contains(Self.row("Oct 2026", "0", "1", "1", "2", "$80.00", "$80.00", "$0.00", "$0.00")), "Ann paid again, Bob paid first")
            // Rewards are dated when earned (now): 2 × $5 signup + 20% of 80 + 50 + 30 (the refund scaled the first down).
            let rewards = try await Reward.query(on: t.store.db).all().filter { $0.status != .declined }.reduce(Int64(0)) { $0 + $1.amount }
            #expect(rewards == 1000 + 1600 + 1000 + 600)
            #expect(page.contains(Self.row("Nov 2026 (so far)", "0", "0", "0", "0", "$0.00", "$0.00", "$0.00", "$42.00")))
            #expect(page.contains("<th scope=\"row\">Total</th><td class=\"num\">0</td><td class=\"num\">2</td><td class=\"num\">2</td><td class=\"num\">3</td><td class=\"num\">$180.00</td><td class=\"num\">$160.00</td><td class=\"num\">$0.00</td><td class=\"num\">$42.00</td>"),
                    "each paying customer counts once, in the period of their first payment")
            #expect(page.contains("net of refunds"))
            #expect(page.contains("<svg"), "a chart")

            // Live: a new payment shows at once.
            try await Self.sale(setUp.vendor, "pay_4", customer: "cus_2", amount: 1234, at: "2026-11-02T00:00:00Z")
            let again = try await setUp.browser.get("/partner/reporting")
            #expect(again.contains(Self.row("Nov 2026 (so far)", "0", "0", "0", "1", "$12.34", "$12.34", "$0.00", "$44.47")), "Bob had paid before")
        }
    }

    @Test func byDayOverACustomRange() async throws {
        try await TestApp.with(clock: TestClock(Self.start)) { t in
            let setUp = try await Self.make(t)
            let page = try await setUp.browser.get("/partner/reporting?from=2026-09-01&to=2026-09-30&interval=day")
            #expect(page.status == .ok)
            #expect(page.contains("Sep 1, 2026 to Sep 30, 2026, by day"))
            #expect(page.contains(Self.row("Sep 10, 2026", "0", "1", "0", "0", "$0.00", "$0.00", "$0.00", "$0.00")))
            #expect(page.contains(Self.row("Sep 12, 2026", "0", "0", "1", "1", "$100.00", "$80.00", "$0.00", "$0.00")))
            #expect(page.contains("<td class=\"nowrap\">Sep 30, 2026</td>"))
            #expect(!page.contains("<td class=\"nowrap\">Oct 1, 2026</td>"))
            #expect(!page.contains("<td class=\"nowrap\">Sep 2026</td>"))
            let tooLong = try await setUp.browser.get("/partner/reporting?from=2025-01-01&to=2026-11-18&interval=day")
            #expect(tooLong.status == .badRequest)
            #expect(tooLong.contains("By day, a report covers at most 400 days"))
        }
    }

    @Test func aProgramFilterKeepsCurrenciesApart() async throws {
        try await TestApp.with(clock: TestClock(Self.start)) { t in
            let setUp = try await Self.make(t)
            try await t.program(setUp.vendor, slug: "euro", extra: ["name": "Euro Partners", "currency": "EUR"])
            let euro = try await t.enrol(setUp.vendor, program: "euro", email: "pat@example.com")
            try await Self.customer(setUp.vendor, "eu_1", name: "Eva", key: euro.key, program: "euro", at: "2026-09-15T09:00:00Z")
            try await Self.sale(setUp.vendor, "eu_pay", customer: "eu_1", amount: 777, currency: "EUR", program: "euro", at: "2026-09-16T00:00:00Z")

            let all = try await setUp.browser.get("/partner/reporting")
            #expect(all.contains("Sales, net of refunds (USD)") && all.contains("Sales, net of refunds (EUR)"))
            // Columns per currency (EUR, then USD): gross, net, rewards; never one sum of both.
            #expect(all.contains(Self.row("Sep 2026", "0", "2", "2", "2", "€7.77", "€7.77", "€0.00", "€0.00", "$100.00", "$80.00", "$0.00", "$0.00")))
            #expect(all.contains("<td class=\"num\">€7.77</td><td class=\"num\">€7.77</td><td class=\"num\">€0.00</td><td class=\"num\">€0.00</td><td class=\"num\">$180.00</td>"), "totals per currency")

            let onlyEuro = try await setUp.browser.get("/partner/reporting?program=\(euro.id)")
            #expect(onlyEuro.status == .ok)
            #expect(onlyEuro.contains(Self.row("Sep 2026", "0", "1", "1", "1", "€7.77", "€7.77", "€0.00", "€0.00")))
            #expect(!onlyEuro.contains("Sales, net of refunds (USD)"))
            let onlyAcme = try await setUp.browser.get("/partner/reporting?program=\(setUp.acme.id)")
            #expect(onlyAcme.contains(Self.row("Sep 2026", "0", "1", "1", "1", "$100.00", "$80.00", "$0.00", "$0.00")))
            #expect(!onlyAcme.contains("Sales, net of refunds (EUR)"))
        }
    }

    @Test(arguments: [
        ("from=2026-10-01&to=2026-09-01", "is after"),
        ("from=2026-02-30", "“From” must be a date written YYYY-MM-DD"),
        ("to=yesterday", "“To” must be a date written YYYY-MM-DD"),
        ("interval=week", "Group by must be day or month"),
        ("from=2020-01-01&to=2026-01-01", "at most 3 years"),
        ("program=not-a-uuid", "That program is not one of yours"),
        ("program=5D1B7F43-7A1E-4C0E-9C38-8A1C6D0E4B21", "That program is not one of yours"),
    ])
    func badFiltersGiveAClearMessage(query: String, message: String) async throws {
        try await TestApp.with(clock: TestClock(Self.start)) { t in
            let setUp = try await Self.make(t)
            for path in ["/partner/reporting", "/partner/reporting/export/overview"] {
                let page = try await setUp.browser.get("\(path)?\(query)")
                #expect(page.status == .badRequest, "\(path)?\(query)")
                #expect(page.contains(message), "\(path)?\(query)")
                #expect(page.contains("alert--error"))
            }
        }
    }

    @Test func anotherPartnersProgramIsRefusedAndNeverShown() async throws {
        try await TestApp.with(clock: TestClock(Self.start)) { t in
            let setUp = try await Self.make(t)
            let other = try await t.enrol(setUp.vendor, email: "other@example.com")
            try await Self.customer(setUp.vendor, "cus_other", name: "Olga Other", key: other.key, at: "2026-09-20T00:00:00Z")
            for path in ["/partner/reporting", "/partner/reporting/rewards", "/partner/reporting/export/rewards"] {
                let page = try await setUp.browser.get("\(path)?program=\(other.id)")
                #expect(page.status == .badRequest, "\(path)")
                #expect(page.contains("That program is not one of yours"), "\(path)")
                #expect(!page.contains("Olga Other"))
            }
            // All programs means Pat's only: Olga's signup is not counted.
            let all = try await setUp.browser.get("/partner/reporting")
            #expect(all.contains(Self.row("Sep 2026", "0", "1", "1", "1", "$100.00", "$80.00", "$0.00", "$0.00")))
            let rewards = try await setUp.browser.get("/partner/reporting/rewards")
            #expect(!rewards.body.contains("Olga Other"))
        }
    }

    @Test func theRewardsTabListsAndFiltersRewards() async throws {
        try await TestApp.with(clock: TestClock(Self.start)) { t in
            let setUp = try await Self.make(t)
            let signup = try #require(try await Reward.query(on: t.store.db).filter(\.$source ~~ "signup:").sort(\.$amount).first())
            let declined = try await setUp.vendor.post("/api/v1/rewards/\(try signup.requireID())/decline", ["reason": "Duplicate <account>"])
            #expect(declined.status == .ok, "\(declined.text)")

            let page = try await setUp.browser.get("/partner/reporting/rewards")
            #expect(page.status == .ok)
            #expect(page.contains("Ann Buyer") && page.contains("Bob Buyer"))
            #expect(page.contains("Acme Partners"))
            #expect(page.contains("Payment") && page.contains("Signup"))
            #expect(page.contains("$16.00"), "20% of the payment net of its refund")
            #expect(page.contains("Duplicate &lt;account&gt;"), "the decline reason, escaped")
            #expect(page.body.components(separatedBy: "<td class=\"num\">").count - 1 == 5, "five rewards")
            #expect(page.contains("$37.00"), "the total leaves out the declined $5")

            let onlyDeclined = try await setUp.browser.get("/partner/reporting/rewards?status=declined")
            #expect(onlyDeclined.body.components(separatedBy: "<td class=\"num\">").count - 1 == 1)
            #expect(onlyDeclined.contains("badge--declined"))
            #expect(!onlyDeclined.contains("badge--pending"))
            #expect(onlyDeclined.contains("<td>—</td>"), "a declined reward never becomes available: no date")
            #expect(!onlyDeclined.contains("<td>Dec 18, 2026</td>"))
            #expect(page.contains("<td>Dec 18, 2026</td>"), "a pending one says when")

            let none = try await setUp.browser.get("/partner/reporting/rewards?status=paid")
            #expect(none.contains("No rewards match"))
            let earlier = try await setUp.browser.get("/partner/reporting/rewards?to=2026-11-17")
            #expect(earlier.contains("No rewards match"), "all were earned on 2026-11-18")

            let bad = try await setUp.browser.get("/partner/reporting/rewards?status=stolen")
            #expect(bad.status == .badRequest)
            #expect(bad.contains("Status must be one of"))
            let backwards = try await setUp.browser.get("/partner/reporting/rewards?from=2026-11-18&to=2026-11-01")
            #expect(backwards.status == .badRequest)
            #expect(backwards.contains("is after"))
        }
    }

    @Test func exportsAreCSVOfTheFilteredRowsWithHostileTextNeutralised() async throws {
        try await TestApp.with(clock: TestClock(Self.start)) { t in
            let setUp = try await Self.make(t)
            try await Self.customer(setUp.vendor, "evil", name: #"=HYPERLINK("http://evil.example","click")"#, key: setUp.acme.key, at: "2026-11-01T00:00:00Z")
            try await Self.customer(setUp.vendor, "comma", name: #"Doe, "Jo""#, key: setUp.acme.key, at: "2026-11-02T00:00:00Z")

            let rewards = try await setUp.browser.get("/partner/reporting/export/rewards")
            #expect(rewards.status == .ok)
            #expect(rewards.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(rewards.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"tandem-rewards") == true)
            let lines = rewards.body.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.first == "reward_id,created_at,program,customer,customer_email,event,description,amount,currency,status,available_at,updated_at,decline_reason")
            #expect(lines.count == 1 + 7, "every reward: 4 signups, 3 payments")
            #expect(rewards.body.contains(#""'=HYPERLINK(""http://evil.example"",""click"")""#), "a formula is neutralised and quoted")
            #expect(!rewards.body.contains(",=HYPERLINK"))
            #expect(rewards.body.contains(#","Doe, ""Jo""","#), "commas and quotes are quoted and doubled")
            #expect(rewards.body.contains(",16.00,USD,pending,"))

            let filtered = try await setUp.browser.get("/partner/reporting/export/rewards?status=pending&from=2026-11-18&to=2026-11-18&program=\(setUp.acme.id)")
            #expect(filtered.body.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 1 + 7)
            let none = try await setUp.browser.get("/partner/reporting/export/rewards?status=declined")
            #expect(none.body.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 1, "just the header")

            let overview = try await setUp.browser.get("/partner/reporting/export/overview?from=2026-09-01&to=2026-10-31")
            #expect(overview.status == .ok)
            #expect(overview.headers[.contentDisposition] == "attachment; filename=\"tandem-overview-2026-09-01-to-2026-10-31.csv\"")
            #expect(overview.body == """
                period,period_start,clicks,signups,paid_customers,payments,sales_gross_USD,sales_net_USD,rewards_USD,rewards_paid_USD,rewards_pending_USD\r
                2026-09,2026-09-01,0,1,1,1,100.00,80.00,0.00,0.00,0.00\r
                2026-10,2026-10-01,0,1,1,2,80.00,80.00,0.00,0.00,0.00\r

                """)
        }
    }

    @Test func csvCellsAreEscaped() {
        #expect(CSV.escape(.text("plain")) == "plain")
        #expect(CSV.escape(.text("a,b")) == "\"a,b\"")
        #expect(CSV.escape(.text("say \"hi\"")) == "\"say \"\"hi\"\"\"")
        #expect(CSV.escape(.text("line\nbreak")) == "\"line\nbreak\"")
        for hostile in ["=1+2", "+1", "-1", "@SUM(A1)"] { #expect(CSV.escape(.text(hostile)) == "'" + hostile) }
        #expect(CSV.escape(.number("-12.50")) == "-12.50", "numbers Tandem writes are not text")
        #expect(CSV.decimal(-5, currencyCode: "USD") == "-0.05")
        #expect(CSV.decimal(1200, currencyCode: "JPY") == "1200")
    }
}
