import FluentKit
import Foundation
import SnapshotTesting
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

/// The whole HTML of every partner page, from one fixed story: a partner in a program with
/// a custom link, a lead, a deal, three payments (one partly refunded), a paid-out
/// withdrawal and a pending reward. The test store hands out ids, keys and tokens from a
/// counter (`Identifiers.sequential`), so the whole page must match the recorded one byte
/// for byte, with nothing scrubbed.
/// A change to a page shows up here as a diff to read, and is accepted by deleting the
/// stale file under `__Snapshots__` and running the tests again.
@Suite(.snapshots(record: .missing)) struct PageSnapshotTests {
    static let start = Date(timeIntervalSince1970: 1_795_003_200)  // 2026-11-18 08:00 UTC

    struct Story {
        let browser: Browser
        let program: String
    }

    static func story(_ t: TestEnvironment) async throws -> Story {
        try await TestApp.makePartner(email: "pat@example.com", password: "correct horse battery", store: t.store, clock: t.clock)
        let vendor = try await t.vendor()
        try await t.program(vendor, extra: [
            "features": ["leads": true, "deals": true], "hold_days": 0, "min_withdrawal": 1000,
            "description": "Tools for <small> shops.", "category": "Software", "marketplace": true,
        ])
        for rule: [String: Any] in [
            ["trigger": "transaction", "kind": "percent", "percent": 20, "duration_months": 12],
            ["trigger": "signup", "kind": "flat", "amount": 500],
        ] {
            guard try await vendor.post("/api/v1/programs/acme/reward-rules", rule).status == .created else { throw TestFailure("rule") }
        }
        let link = try await t.enrol(vendor, email: "pat@example.com")
        func step() { t.clock.advance(by: 60) }
        for (key, name, at) in [("cus_1", "Ann Buyer", "2026-09-10T09:00:00Z"), ("cus_2", "Bob Buyer", "2026-10-05T09:00:00Z")] {
            step()
            let body: [String: Any] = ["program": "acme", "key": key, "name": name, "email": "\(key)@buyer.example", "partner_key": link.key, "signed_up_at": at]
            guard try await vendor.post("/api/v1/customers", body).status == .created else { throw TestFailure("customer") }
        }
        for (id, customer, amount, at) in [("pay_1", "cus_1", 10_000, "2026-09-12T10:00:00Z"), ("pay_2", "cus_1", 5000, "2026-10-01T10:00:00Z"),
                                           ("pay_3", "cus_2", 3000, "2026-10-20T10:00:00Z")] {
            step()
            let body: [String: Any] = ["program": "acme", "customer_key": customer, "external_id": id, "amount": amount, "currency": "USD", "occurred_at": at]
            guard try await vendor.post("/api/v1/transactions", body).status == .created else { throw TestFailure("sale") }
        }
        step()
        guard try await vendor.post("/api/v1/transactions/pay_1/refunds", ["program": "acme", "amount": 2000]).status == .created else { throw TestFailure("refund") }
        step()
        try await RewardLedger.releaseDue(now: t.clock.now, on: t.store.db)
        let partner = try await t.partnerKey(email: "pat@example.com")
        _ = try await partner.send(.put, "/api/v1/partner/payout-method", json: ["provider": "paypal", "paypal_email": "pat@paypal.example"])
        step()
        let withdrawal = try await partner.post("/api/v1/partner/withdrawals", ["currency": "USD"])
        guard withdrawal.status == .created, let withdrawalID = withdrawal.string("id") else { throw TestFailure("withdrawal: \(withdrawal.text)") }
        step()
        guard try await vendor.post("/api/v1/withdrawals/\(withdrawalID)/mark-paid", ["reference": "bank-123"]).status == .ok else { throw TestFailure("paid") }
        step()
        let body: [String: Any] = ["program": "acme", "customer_key": "cus_2", "external_id": "pay_4", "amount": 3000, "currency": "USD", "occurred_at": "2026-11-17T10:00:00Z"]
        guard try await vendor.post("/api/v1/transactions", body).status == .created else { throw TestFailure("sale") }

        let browser = t.browser
        _ = try await browser.logIn("pat@example.com", "correct horse battery")
        let program = "/partner/programs/\(link.id.lowercased())"
        step()
        _ = try await browser.post(program + "/links", [("slug", "spring"), ("destination", "https://shop.example.com/spring?x=<1>")])
        step()
        _ = try await browser.submit(program + "/referrals", to: program + "/leads", [("name", "Lee <b>Park</b>"), ("email", "lee@prospect.example"), ("company", "Parks")])
        step()
        _ = try await browser.submit(program + "/deals", [("name", "Big <Corp>"), ("amount", "1,250.00")])
        step()
        _ = try await browser.submit(program + "/messages", [("body", "Hello <b>team</b>,\nwhen is the next payout?")])
        return Story(browser: browser, program: program)
    }

    @Test(arguments: [
        ("home", "/partner"),
        ("rewards", "/partner/rewards"),
        ("reporting", "/partner/reporting"),
        ("reporting-rewards", "/partner/reporting/rewards"),
        ("marketplace", "/partner/marketplace"),
        ("settings", "/partner/settings"),
        ("faqs", "/partner/faqs"),
        ("support", "/partner/support"),
        ("program-summary", ""),
        ("program-performance-month", "/performance"),
        ("program-performance-day", "/performance?interval=day"),
        ("program-links", "/links"),
        ("program-referrals", "/referrals"),
        ("program-deals", "/deals"),
        ("program-messages", "/messages"),
        ("messages", "/partner/messages"),
        ("settings-team", "/partner/settings/team"),
    ])
    func page(name: String, path: String) async throws {
        try await TestApp.with(clock: TestClock(Self.start)) { t in
            let story = try await Self.story(t)
            let page = try await story.browser.get(path.hasPrefix("/partner") ? path : story.program + path)
            #expect(page.status == .ok)
            assertSnapshot(of: page.body, as: .lines, named: name)
        }
    }
}
