import FluentKit
import Foundation
import Hummingbird
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

@Suite struct RewardsPageTests {
    /// A partner who can log in, in a program with a $5 signup reward and a $10 minimum.
    func setUp(_ t: TestEnvironment) async throws -> (APIClient, Browser, (id: String, key: String, path: String)) {
        try await TestApp.makePartner(email: "pat@example.com", password: "correct horse battery", store: t.store, clock: t.clock)
        let vendor = try await t.vendor()
        try await t.program(vendor, extra: ["min_withdrawal": 1000])
        _ = try await vendor.post("/api/v1/programs/acme/reward-rules", ["trigger": "signup", "kind": "flat", "amount": 500])
        let link = try await t.enrol(vendor, email: "pat@example.com")
        let browser = t.browser
        try await browser.logIn("pat@example.com", "correct horse battery")
        return (vendor, browser, link)
    }

    func approveAll(_ t: TestEnvironment, _ vendor: APIClient) async throws {
        for reward in try await Reward.query(on: t.store.db).filter(\.$status == .pending).all() {
            _ = try await vendor.post("/api/v1/rewards/\(try reward.requireID())/approve", [String: Any]())
        }
    }

    @Test func aPartnerChoosesAProviderAndWithdraws() async throws {
        try await TestApp.with { t in
            let (vendor, browser, link) = try await setUp(t)
            for n in 1...3 { _ = try await vendor.post("/api/v1/customers", ["program": "acme", "key": "c\(n)", "partner_key": link.key]) }
            let pending = try await browser.get("/partner/rewards")
            #expect(pending.contains("$15.00"), "three pending $5 rewards")
            #expect(pending.contains("Choose a payout provider first."))

            let wrongPassword = try await browser.submit("/partner/rewards", to: "/partner/rewards/payout-method", [
                ("provider", "paypal"), ("paypal_email", "pat@paypal.example"), ("password", "nope"),
            ])
            #expect(wrongPassword.status == .unprocessableContent)
            #expect(wrongPassword.contains("That is not your password."))
            #expect(wrongPassword.contains(#"value="pat@paypal.example""#), "what was typed is kept")
            let noPassword = try await browser.submit("/partner/rewards", to: "/partner/rewards/payout-method", [
                ("provider", "paypal"), ("paypal_email", "pat@paypal.example"), ("password", ""),
            ])
            #expect(noPassword.status == .unprocessableContent)
            #expect(noPassword.contains("Enter your password: it confirms"))
            #expect(!noPassword.contains("That is not your password."), "nothing was typed, so nothing was wrong")
            let badEmail = try await browser.post("/partner/rewards/payout-method", [("provider", "paypal"), ("paypal_email", "nope"), ("password", "correct horse battery")])
            #expect(badEmail.contains("Enter an email address like name@example.com."))
            #expect(try await PayoutMethod.query(on: t.store.db).count() == 0)
            let saved = try await browser.post("/partner/rewards/payout-method", [("provider", "paypal"), ("paypal_email", "pat@paypal.example"), ("password", "correct horse battery")])
            #expect(saved.location == "/partner/rewards?done=method")

            let beforeApproval = try await browser.get("/partner/rewards")
            #expect(beforeApproval.contains("Nothing is available yet."))
            try await approveAll(t, vendor)
            let ready = try await browser.get("/partner/rewards")
            #expect(ready.contains("Withdraws $15.00 to your PayPal account."))
            let withdrawn = try await browser.post("/partner/rewards/withdraw", [("currency", "USD")])
            #expect(withdrawn.location == "/partner/rewards?done=withdrawn")
            let after = try await browser.get("/partner/rewards?done=withdrawn")
            #expect(after.contains("Your withdrawal was requested."))
            #expect(after.contains("PayPal pat@paypal.example · sent by the vendor by hand"))
            #expect(try await Withdrawal.query(on: t.store.db).first()?.amount == 1500)
            // Pressing again: nothing left, a clear message, nothing new.
            let again = try await browser.post("/partner/rewards/withdraw", [("currency", "USD")])
            #expect(again.status == .conflict)
            #expect(again.contains("Nothing is available to withdraw in USD yet."))
            #expect(try await Withdrawal.query(on: t.store.db).count() == 1)
        }
    }

    @Test func aWithdrawalListsTheRewardsItCovered() async throws {
        try await TestApp.with { t in
            let (vendor, browser, link) = try await setUp(t)
            for n in 1...3 { _ = try await vendor.post("/api/v1/customers", ["program": "acme", "key": "c\(n)", "name": "Covered \(n)", "partner_key": link.key]) }
            _ = try await browser.post("/partner/rewards/payout-method", [("provider", "paypal"), ("paypal_email", "pat@paypal.example"), ("password", "correct horse battery")])
            try await approveAll(t, vendor)
            #expect(try await browser.post("/partner/rewards/withdraw", [("currency", "USD")]).status == .seeOther)
            t.clock.advance(by: 60)
            _ = try await vendor.post("/api/v1/customers", ["program": "acme", "key": "c4", "partner_key": link.key])  // after: not covered

            let withdrawal = try #require(try await Withdrawal.query(on: t.store.db).first())
            let href = "/partner/rewards?withdrawal=\(try withdrawal.requireID().uuidString.lowercased())"
            let page = try await browser.get("/partner/rewards")
            #expect(page.contains(#"<a href="\#(href)#rewards">3</a>"#), "the count links to the rewards")
            let covered = try await browser.get(href)
            #expect(covered.status == .ok)
            #expect(covered.contains("The rewards of your withdrawal of $15.00"))
            #expect(covered.body.components(separatedBy: "badge--processing").count - 1 == 3, "its three rewards, in the withdrawal")
            #expect(!covered.contains("badge--pending"), "not the reward earned after it")
            // Another partner's withdrawal is not found; a malformed id is ignored.
            #expect(try await browser.get("/partner/rewards?withdrawal=\(UUID().uuidString)").status == .notFound)
            #expect(try await browser.get("/partner/rewards?withdrawal=nope").status == .ok)
        }
    }

    /// One reward, one state: Rewards, Reporting → Rewards and its CSV all say it is in a withdrawal.
    @Test func aRewardInAWithdrawalIsNamedTheSameEverywhere() async throws {
        try await TestApp.with { t in
            let (vendor, browser, link) = try await setUp(t)
            for n in 1...2 { _ = try await vendor.post("/api/v1/customers", ["program": "acme", "key": "c\(n)", "partner_key": link.key]) }
            _ = try await browser.post("/partner/rewards/payout-method", [("provider", "paypal"), ("paypal_email", "pat@paypal.example"), ("password", "correct horse battery")])
            try await approveAll(t, vendor)
            #expect(try await browser.post("/partner/rewards/withdraw", [("currency", "USD")]).status == .seeOther)

            let rewards = try await browser.get("/partner/rewards")
            #expect(rewards.body.components(separatedBy: ">In withdrawal<").count - 1 == 2)
            let report = try await browser.get("/partner/reporting/rewards")
            #expect(report.body.components(separatedBy: ">In withdrawal<").count - 1 == 2, "the report names the state as the Rewards page does")
            #expect(!report.contains("badge--available"))
            let csv = try await browser.get("/partner/reporting/export/rewards")
            #expect(csv.body.components(separatedBy: ",in_withdrawal,").count - 1 == 2, "and so does the export")
        }
    }

    @Test func theMinimumIsExplained() async throws {
        try await TestApp.with { t in
            let (vendor, browser, link) = try await setUp(t)
            _ = try await vendor.post("/api/v1/customers", ["program": "acme", "key": "c1", "partner_key": link.key])
            try await approveAll(t, vendor)
            try await browser.submit("/partner/rewards", to: "/partner/rewards/payout-method", [("provider", "stripe"), ("stripe_account", "acct_1PgafTB7WZ01zgkW"), ("password", "correct horse battery")])
            let page = try await browser.get("/partner/rewards")
            #expect(page.contains("The minimum withdrawal is $10.00; you have $5.00 available."))
            #expect(page.contains("disabled"))
        }
    }

    @Test func declinedRewardsShowTheReasonAndFiltersWork() async throws {
        try await TestApp.with { t in
            let (vendor, browser, link) = try await setUp(t)
            _ = try await vendor.post("/api/v1/customers", ["program": "acme", "key": "c1", "partner_key": link.key])
            _ = try await vendor.post("/api/v1/customers", ["program": "acme", "key": "c2", "partner_key": link.key])
            let first = try #require(try await Reward.query(on: t.store.db).first())
            _ = try await vendor.post("/api/v1/rewards/\(try first.requireID())/decline", ["reason": "Customer <b>was</b> a test account"])
            let declined = try await browser.get("/partner/rewards?status=declined")
            #expect(declined.contains("Declined: Customer &lt;b&gt;was&lt;/b&gt; a test account"))
            #expect(declined.body.components(separatedBy: "badge badge--declined").count == 2, "one declined row")
            let bogus = try await browser.get("/partner/rewards?status=bogus")
            #expect(bogus.status == .ok, "an unknown filter shows everything, not a 500")
        }
    }

    @Test func formsNeedTheCSRFToken() async throws {
        try await TestApp.with { t in
            let (_, browser, _) = try await setUp(t)
            try await browser.get("/partner/rewards")
            let forged = try await browser.post("/partner/rewards/withdraw", [("currency", "USD")], includeCSRF: false)
            #expect(forged.status == .forbidden)
        }
    }
}
