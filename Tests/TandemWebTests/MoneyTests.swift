import AsyncHTTPClient
import FluentKit
import Foundation
import Hummingbird
import TandemDomain
import TandemIntegrations
import TandemJobs
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

/// A program with rules, one partner with a payout method: the money tests' common start.
struct MoneySetUp {
    let vendor: APIClient
    let partner: APIClient
    let link: (id: String, key: String, path: String)

    static func make(_ t: TestEnvironment, rules: [[String: Any]], program: [String: Any] = [:], method: [String: Any]? = ["provider": "stripe", "stripe_account": "acct_1PgafTB7WZ01zgkW"]) async throws -> MoneySetUp {
        let vendor = try await t.vendor()
        try await t.program(vendor, extra: ["hold_days": 30, "min_withdrawal": 1000].merging(program) { $1 })
        for rule in rules {
            let answer = try await vendor.post("/api/v1/programs/acme/reward-rules", rule)
            guard answer.status == .created else { throw TestFailure("rule: \(answer.text)") }
        }
        let link = try await t.enrol(vendor, email: "pat@example.com")
        let partner = try await t.partnerKey(email: "pat@example.com")
        if let method { _ = try await partner.send(.put, "/api/v1/partner/payout-method", json: method) }
        return MoneySetUp(vendor: vendor, partner: partner, link: link)
    }

    /// A customer of the partner and a payment; returns the transaction answer.
    @discardableResult
    func sale(_ externalID: String, amount: Int64, customer: String = "cus_1", occurredAt: String? = nil) async throws -> APIClient.Answer {
        _ = try await vendor.post("/api/v1/customers", ["program": "acme", "key": customer, "partner_key": link.key])
        var body: [String: Any] = ["program": "acme", "customer_key": customer, "external_id": externalID, "amount": amount, "currency": "USD"]
        if let occurredAt { body["occurred_at"] = occurredAt }
        return try await vendor.post("/api/v1/transactions", body)
    }

    func approveAll(_ t: TestEnvironment) async throws {
        for reward in try await Reward.query(on: t.store.db).filter(\.$status == .pending).all() {
            _ = try await vendor.post("/api/v1/rewards/\(try reward.requireID())/approve", [String: Any]())
        }
    }
}

/// available + pending + held + in withdrawal + paid equals every non-declined reward, clawbacks included;
/// and every partnership's daily rollup equals what its events add up to.
func checkInvariant(_ t: TestEnvironment, accountEmail: String = "pat@example.com") async throws {
    try await checkRollups(t.store)
    let user = try #require(try await AccountQueries.user(email: accountEmail, on: t.store.db))
    let member = try #require(try await PartnerMember.query(on: t.store.db).filter(\.$user.$id == user.requireID()).first())
    let balances = try await Balances.of(accountID: member.$account.id, on: t.store.sql)
    let rewards = try await Reward.query(on: t.store.db)
        .join(Partnership.self, on: \Reward.$partnership.$id == \Partnership.$id)
        .filter(Partnership.self, \.$partnerAccount.$id == member.$account.id).all()
    for balance in balances {
        let nonDeclined = rewards.filter { $0.currencyCode == balance.currency && $0.status != .declined }.reduce(Int64(0)) { $0 + $1.amount }
        #expect(balance.available + balance.pending + balance.held + balance.inWithdrawal + balance.paid == nonDeclined)
        let withdrawals = try await Withdrawal.query(on: t.store.db).filter(\.$partnerAccount.$id == member.$account.id).filter(\.$status == .paid).all()
        #expect(withdrawals.reduce(Int64(0)) { $0 + $1.amount } == rewards.filter { $0.status == .paid && $0.currencyCode == balance.currency }.reduce(Int64(0)) { $0 + $1.amount },
                "what was paid out equals the rewards marked paid")
    }
}

@Suite struct RewardEventTests {
    @Test func eventsEarnTheirRewardsOnceWithTheRightAmount() async throws {
        try await TestApp.with { t in
            let setUp = try await MoneySetUp.make(t, rules: [
                ["trigger": "transaction", "kind": "percent", "percent": 20.0, "duration_months": 12, "description": "20% for a year"],
                ["trigger": "signup", "kind": "flat", "amount": 500],
            ])
            let sale = try await setUp.sale("pay_1", amount: 4999)
            #expect(sale.status == .created)
            let rewards = sale["rewards"] as? [[String: Any]] ?? []
            #expect(rewards.count == 1)
            #expect((rewards.first?["amount"] as? NSNumber)?.int64Value == 1000, "20% of 49.99 rounds half-up to 10.00")
            #expect(rewards.first?["status"] as? String == "pending")
            // The same transaction again: the same answer, no new reward.
            let again = try await setUp.sale("pay_1", amount: 4999)
            #expect(again.status == .ok)
            #expect(try await Reward.query(on: t.store.db).count() == 2, "one for the signup, one for the payment")
            let signup = try #require(try await Reward.query(on: t.store.db).filter(\.$source ~~ "signup:").first())
            #expect(signup.amount == 500)
            try await checkInvariant(t)
        }
    }

    @Test(arguments: [(11, 1), (12, 0), (13, 0)])
    func paymentsInTheRulesMonthsOnly(month: Int, rewards: Int) async throws {
        try await TestApp.with { t in
            let setUp = try await MoneySetUp.make(t, rules: [["trigger": "transaction", "kind": "flat", "amount": 100, "duration_months": 12]])
            // Signed up 14 months ago: every payment of the test lies in the past.
            let signedUp = RewardMath.adding(months: -14, to: t.clock.now)
            _ = try await setUp.vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "partner_key": setUp.link.key, "signed_up_at": signedUp.formatted(.iso8601)])
            let paidAt = RewardMath.adding(months: month, to: signedUp)
            let sale = try await setUp.vendor.post("/api/v1/transactions", ["program": "acme", "customer_key": "cus_1", "external_id": "p", "amount": 1000, "currency": "USD", "occurred_at": paidAt.formatted(.iso8601)])
            #expect((sale["rewards"] as? [Any])?.count == rewards, "month \(month)")
        }
    }

    @Test func leadsDealsAndJoiningEarnTheirRules() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor, extra: ["features": ["leads": true, "deals": true]])
            for rule: [String: Any] in [
                ["trigger": "lead_qualified", "kind": "flat", "amount": 2500],
                ["trigger": "deal_won", "kind": "percent", "percent": 10],
                ["trigger": "partner_joined", "kind": "flat", "amount": 1000],
            ] { #expect(try await vendor.post("/api/v1/programs/acme/reward-rules", rule).status == .created) }
            let link = try await t.enrol(vendor, email: "pat@example.com")
            let lead = try #require(try await vendor.post("/api/v1/leads", ["program": "acme", "partner_key": link.key, "email": "l@corp.example", "name": "Lee"]).string("id"))
            for status in ["qualified", "new", "qualified"] { _ = try await vendor.patch("/api/v1/leads/\(lead)", ["status": status]) }
            let deal = try #require(try await vendor.post("/api/v1/deals", ["program": "acme", "partner_key": link.key, "name": "Big", "amount": 123_456]).string("id"))
            _ = try await vendor.patch("/api/v1/deals/\(deal)", ["stage": "won"])
            let amounts = try await Reward.query(on: t.store.db).all().map(\.amount).sorted()
            #expect(amounts == [1000, 2500, 12_346], "joined once, lead once though qualified twice, 10% of the deal rounded half-up")
        }
    }

    @Test func badRulesAreRefused() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            let cases: [([String: Any], String)] = [
                (["trigger": "transaction", "kind": "percent", "percent": 120], "percent"),
                (["trigger": "transaction", "kind": "percent", "percent": 0], "percent"),
                (["trigger": "transaction", "kind": "percent", "percent": 12.345], "percent"),
                (["trigger": "transaction", "kind": "flat", "amount": -100], "amount"),
                (["trigger": "transaction", "kind": "flat", "amount": 0], "amount"),
                (["trigger": "birthday", "kind": "flat", "amount": 100], "trigger"),
                (["trigger": "signup", "kind": "percent", "percent": 10], "trigger"),
                (["trigger": "transaction", "kind": "flat", "amount": 100, "duration_months": -1], "duration_months"),
            ]
            for (body, field) in cases {
                let answer = try await vendor.post("/api/v1/programs/acme/reward-rules", body)
                #expect(answer.status == .badRequest, "\(body)")
                #expect(answer.errorField == field, "\(body): \(answer.text)")
            }
            #expect(try await RewardRuleRecord.query(on: t.store.db).count() == 0)
        }
    }
}

@Suite struct RewardReviewTests {
    @Test func theHoldEndsExactlyOnTime() async throws {
        try await TestApp.with { t in
            let setUp = try await MoneySetUp.make(t, rules: [["trigger": "signup", "kind": "flat", "amount": 500]])
            _ = try await setUp.vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "partner_key": setUp.link.key])
            let release = RewardReleaseService(store: t.store, now: t.clock.function)
            t.clock.advance(by: 30 * 86_400 - 1)
            #expect(try await release.runOnce() == 0)
            #expect(try await Reward.query(on: t.store.db).first()?.status == .pending)
            t.clock.advance(by: 1)
            #expect(try await release.runOnce() == 1)
            #expect(try await Reward.query(on: t.store.db).first()?.status == .available)
            #expect(try await release.runOnce() == 0, "released once")
            // The balances the pages read moved with it.
            let partnershipID = try #require(UUID(uuidString: setUp.link.id))
            let balances = try await RewardBalances.of(partnershipIDs: [partnershipID], on: t.store.sql)[partnershipID]
            #expect(balances?[.available] == RewardBalances.Tally(rewards: 1, amount: 500))
            #expect((balances?[.pending]?.rewards ?? 0) == 0)
            try await checkRollups(t.store)
            let events = try await MoneyEvent.query(on: t.store.db).filter(\.$subject == "reward").sort(\.$createdAt).all()
            #expect(events.map(\.toStatus) == ["pending", "available"])
            #expect(events.last?.actor == "system")
        }
    }

    @Test func approveHoldAndDecline() async throws {
        try await TestApp.with { t in
            let setUp = try await MoneySetUp.make(t, rules: [["trigger": "signup", "kind": "flat", "amount": 500]])
            _ = try await setUp.vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "partner_key": setUp.link.key])
            _ = try await setUp.vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_2", "partner_key": setUp.link.key])
            let ids = try await Reward.query(on: t.store.db).sort(\.$createdAt).all().map { try $0.requireID().uuidString }
            let vendor = setUp.vendor

            let held = try await vendor.post("/api/v1/rewards/\(ids[0])/hold", [String: Any]())
            #expect(held.string("status") == "held")
            t.clock.advance(by: 31 * 86_400)
            #expect(try await RewardReleaseService(store: t.store, now: t.clock.function).runOnce() == 1, "only the unheld one is released")
            #expect(try await Reward.find(UUID(uuidString: ids[0])!, on: t.store.db)?.status == .held)

            let noReason = try await vendor.post("/api/v1/rewards/\(ids[0])/decline", [String: Any]())
            #expect(noReason.status == .badRequest)
            #expect(noReason.errorField == "reason")
            #expect(try await Reward.find(UUID(uuidString: ids[0])!, on: t.store.db)?.status == .held, "a refused decline changes nothing")
            let declined = try await vendor.post("/api/v1/rewards/\(ids[0])/decline", ["reason": "Duplicate account"])
            #expect(declined.string("status") == "declined")
            #expect(declined.string("decline_reason") == "Duplicate account")
            let again = try await vendor.post("/api/v1/rewards/\(ids[0])/approve", [String: Any]())
            #expect(again.status == .conflict)
            #expect(again.errorCode == "invalid_transition")

            let partnerView = try await setUp.partner.get("/api/v1/partner/rewards?status=declined")
            #expect(partnerView.data.first?["decline_reason"] as? String == "Duplicate account")

            let globex = try await t.vendor("Globex")
            #expect(try await globex.post("/api/v1/rewards/\(ids[1])/hold", [String: Any]()).status == .notFound)
        }
    }

    @Test func manualRewards() async throws {
        try await TestApp.with { t in
            let setUp = try await MoneySetUp.make(t, rules: [])
            let made = try await setUp.vendor.post("/api/v1/rewards", ["partnership": setUp.link.id, "amount": 2500, "currency": "USD", "description": "Conference bonus"])
            #expect(made.status == .created)
            #expect(made.string("status") == "pending")
            #expect(made.string("kind") == "manual")
            #expect(try await setUp.vendor.post("/api/v1/rewards", ["partnership": setUp.link.id, "amount": 0, "description": "x"]).errorField == "amount")
            #expect(try await setUp.vendor.post("/api/v1/rewards", ["partnership": setUp.link.id, "amount": 100, "currency": "EUR", "description": "x"]).errorField == "currency")
            #expect(try await setUp.vendor.post("/api/v1/rewards", ["partnership": setUp.link.id, "amount": 100]).errorField == "description")
            #expect(try await Reward.query(on: t.store.db).count() == 1)
        }
    }
}

@Suite struct RefundTests {
    @Test func aRefundBeforePayoutDeclinesOrReducesTheRewards() async throws {
        try await TestApp.with { t in
            let setUp = try await MoneySetUp.make(t, rules: [["trigger": "transaction", "kind": "percent", "percent": 20]])
            try await setUp.sale("pay_1", amount: 5000)
            try await setUp.sale("pay_2", amount: 3000, customer: "cus_2")
            _ = try await setUp.vendor.post("/api/v1/transactions/pay_1/refunds", ["program": "acme", "amount": 2500])
            _ = try await setUp.vendor.post("/api/v1/transactions/pay_2/refunds", ["program": "acme"])
            let rewards = try await Reward.query(on: t.store.db).with(\.$transaction).all()
            let first = try #require(rewards.first { $0.transaction?.externalID == "pay_1" })
            let second = try #require(rewards.first { $0.transaction?.externalID == "pay_2" })
            #expect(first.amount == 500, "half refunded: 1000 → 500")
            #expect(first.status == .pending)
            #expect(second.status == .declined)
            #expect(second.declineReason == "refunded")
            try await checkInvariant(t)
        }
    }

    @Test func aRefundAfterPayoutIsAClawbackAgainstTheNextWithdrawal() async throws {
        try await TestApp.with { t in
            let setUp = try await MoneySetUp.make(t, rules: [["trigger": "transaction", "kind": "percent", "percent": 20]], program: ["min_withdrawal": 100])
            try await setUp.sale("pay_1", amount: 10_000)
            try await setUp.approveAll(t)
            let withdrawal = try await setUp.partner.post("/api/v1/partner/withdrawals", ["currency": "USD"])
            #expect(withdrawal.status == .created)
            #expect(withdrawal.int("amount") == 2000)
            let id = try #require(withdrawal.string("id"))
            #expect(try await setUp.vendor.post("/api/v1/withdrawals/\(id)/mark-paid", [String: Any]()).string("status") == "paid")

            _ = try await setUp.vendor.post("/api/v1/transactions/pay_1/refunds", ["program": "acme", "amount": 5000])
            let clawback = try #require(try await Reward.query(on: t.store.db).filter(\.$kind == .clawback).first())
            #expect(clawback.amount == -1000)
            #expect(clawback.status == .available)
            // The balance is negative: withdrawing is refused with a clear message.
            let refused = try await setUp.partner.post("/api/v1/partner/withdrawals", ["currency": "USD"])
            #expect(refused.status == .conflict)
            #expect(refused.errorCode == "negative_balance")
            // A new reward covers it: the next withdrawal is reduced by the clawback.
            try await setUp.sale("pay_2", amount: 25_000, customer: "cus_2")
            try await setUp.approveAll(t)
            let next = try await setUp.partner.post("/api/v1/partner/withdrawals", ["currency": "USD"])
            #expect(next.int("amount") == 4000)
            // Refunding the rest claws back exactly the remainder, never more.
            _ = try await setUp.vendor.post("/api/v1/transactions/pay_1/refunds", ["program": "acme"])
            let clawed = try await Reward.query(on: t.store.db).filter(\.$kind == .clawback).all().reduce(Int64(0)) { $0 + $1.amount }
            #expect(clawed == -2000)
            try await checkInvariant(t)
        }
    }
}

@Suite struct WithdrawalTests {
    @Test func withdrawingNeedsAMethodAndTheMinimum() async throws {
        try await TestApp.with { t in
            let setUp = try await MoneySetUp.make(t, rules: [["trigger": "signup", "kind": "flat", "amount": 500]], program: ["min_withdrawal": 1000], method: nil)
            let nothing = try await setUp.partner.post("/api/v1/partner/withdrawals", ["currency": "USD"])
            #expect(nothing.status == .conflict)
            #expect(nothing.errorCode == "no_payout_method")
            let badMethod = try await setUp.partner.send(.put, "/api/v1/partner/payout-method", json: ["provider": "paypal", "paypal_email": "not-an-email"])
            #expect(badMethod.errorField == "paypal_email")
            _ = try await setUp.partner.send(.put, "/api/v1/partner/payout-method", json: ["provider": "paypal", "paypal_email": "pat@paypal.example"])
            #expect(try await setUp.partner.post("/api/v1/partner/withdrawals", ["currency": "USD"]).errorCode == "nothing_available")
            _ = try await setUp.vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "partner_key": setUp.link.key])
            try await setUp.approveAll(t)
            let below = try await setUp.partner.post("/api/v1/partner/withdrawals", ["currency": "USD"])
            #expect(below.errorCode == "below_minimum")
            #expect(below.text.contains("$5.00 available; the minimum withdrawal is $10.00"))
            _ = try await setUp.vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_2", "partner_key": setUp.link.key])
            try await setUp.approveAll(t)
            let made = try await setUp.partner.post("/api/v1/partner/withdrawals", ["currency": "USD"])
            #expect(made.status == .created)
            #expect(made.int("amount") == 1000)
            #expect(made.string("provider") == "manual", "no PayPal credentials here: the vendor pays by hand")
            #expect((made["rewards"] as? [Any])?.count == 2)
        }
    }

    @Test func racingPaymentsOfOneCustomerCountItOnceAsPaying() async throws {
        try await TestApp.with { t in
            let setUp = try await MoneySetUp.make(t, rules: [["trigger": "transaction", "kind": "percent", "percent": 10.0]])
            _ = try await setUp.vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "partner_key": setUp.link.key])
            let vendor = setUp.vendor
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for n in 0..<12 {
                    group.addTask {
                        try await vendor.post("/api/v1/transactions", [
                            "program": "acme", "customer_key": "cus_1", "external_id": "pay_\(n)", "amount": 1000 + n, "currency": "USD",
                        ]).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .created }, "\(statuses.map(\.code))")
            let id = try #require(UUID(uuidString: setUp.link.id))
            let totals = try #require(try await PartnershipDaily.totals(partnershipIDs: [id], on: t.store.sql)[id])
            #expect(totals.payingCustomers == 1)
            #expect(totals.payments == 12)
            #expect(totals.gross == (0..<12).reduce(0) { $0 + 1000 + Int64($1) })
            try await checkInvariant(t)
        }
    }

    @Test func racingWithdrawalsNeverTakeTheSameReward() async throws {
        try await TestApp.with { t in
            let setUp = try await MoneySetUp.make(t, rules: [["trigger": "signup", "kind": "flat", "amount": 700]], program: ["min_withdrawal": 0])
            for n in 1...5 { _ = try await setUp.vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_\(n)", "partner_key": setUp.link.key]) }
            try await setUp.approveAll(t)
            let partner = setUp.partner
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<16 {
                    group.addTask { try await partner.post("/api/v1/partner/withdrawals", ["currency": "USD"]).status }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1)
            #expect(statuses.allSatisfy { $0 == .created || $0 == .conflict }, "\(statuses)")
            let withdrawals = try await Withdrawal.query(on: t.store.db).all()
            #expect(withdrawals.count == 1)
            #expect(withdrawals.first?.amount == 3500)
            let claimed = try await Reward.query(on: t.store.db).all().compactMap(\.withdrawalID)
            let withdrawalID = try withdrawals[0].requireID()
            #expect(claimed.count == 5 && Set(claimed) == [withdrawalID])
            try await checkInvariant(t)
        }
    }

    @Test func balancesOfProgramsInOneCurrencyAddUp() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            for slug in ["one", "two"] {
                try await t.program(vendor, slug: slug, extra: ["min_withdrawal": 500])
                _ = try await vendor.post("/api/v1/programs/\(slug)/reward-rules", ["trigger": "partner_joined", "kind": "flat", "amount": 300])
                _ = try await t.enrol(vendor, program: slug, email: "pat@example.com")
            }
            let partner = try await t.partnerKey(email: "pat@example.com")
            _ = try await partner.send(.put, "/api/v1/partner/payout-method", json: ["provider": "stripe", "stripe_account": "acct_1PgafTB7WZ01zgkW"])
            for reward in try await Reward.query(on: t.store.db).all() { _ = try await vendor.post("/api/v1/rewards/\(try reward.requireID())/approve", [String: Any]()) }
            let made = try await partner.post("/api/v1/partner/withdrawals", ["currency": "USD"])
            #expect(made.int("amount") == 600, "300 + 300 from two programs, over the 500 minimum neither reaches alone")
        }
    }
}

extension JobRunner {
    /// Runs every job that is due now; returns how many ran.
    func drain() async throws -> Int {
        var count = 0
        while try await runOnce() { count += 1 }
        return count
    }
}

@Suite struct PayoutJobTests {
    func runner(_ t: TestEnvironment, _ providers: [any PayoutProvider]) -> JobRunner {
        JobRunner(
            store: t.store,
            handlers: [SendPayoutJob(providers: providers), PollPayoutJob(providers: providers), DeliverEmailJob(transport: nil, from: "t@x.test")],
            now: t.clock.function, backoff: Backoff(base: 1, cap: 1)
        )
    }

    @Test func stripePaysOnceEvenWhenItsAnswerIsLost() async throws {
        try await withFakeStripe { stripe in
            let client = StripePayoutClient(configuration: stripe.configuration, httpClient: .shared)
            try await TestApp.with(payoutProviders: [client]) { t in
                let setUp = try await MoneySetUp.make(t, rules: [["trigger": "signup", "kind": "flat", "amount": 1500]])
                _ = try await setUp.vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "partner_key": setUp.link.key])
                try await setUp.approveAll(t)
                let made = try await setUp.partner.post("/api/v1/partner/withdrawals", ["currency": "USD"])
                #expect(made.string("provider") == "stripe")
                let id = try #require(made.string("id").flatMap(UUID.init(uuidString:)))

                // Stripe makes the transfer but the answer never arrives, as if we crashed mid-call.
                stripe.loseNextTransferResponses(1)
                let jobs = runner(t, [client])
                #expect(try await jobs.drain() >= 1)
                #expect(try await Withdrawal.find(id, on: t.store.db)?.status == .processing)
                t.clock.advance(by: 2)
                #expect(try await jobs.drain() == 1, "the retry runs with the same idempotency key")
                #expect(stripe.transfersCreated == 1)
                #expect(stripe.transfers.first?.amount == 1500)
                let paid = try #require(try await Withdrawal.find(id, on: t.store.db))
                #expect(paid.status == .paid)
                #expect(paid.providerReference?.hasPrefix("tr_") == true)
                #expect(try await Reward.query(on: t.store.db).all().allSatisfy { $0.status == .paid })
                let trail = try await MoneyEvent.query(on: t.store.db).filter(\.$subjectID == id).sort(\.$createdAt).all().map(\.toStatus)
                #expect(trail == ["requested", "processing", "paid"])
                try await checkInvariant(t)
            }
        }
    }

    @Test func aRefusedPayoutFailsAndTheMoneyIsAvailableAgain() async throws {
        try await withFakeStripe { stripe in
            stripe.setBalance(0, currency: "usd")
            let client = StripePayoutClient(configuration: stripe.configuration, httpClient: .shared)
            try await TestApp.with(payoutProviders: [client]) { t in
                let setUp = try await MoneySetUp.make(t, rules: [["trigger": "signup", "kind": "flat", "amount": 1500]])
                _ = try await setUp.vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "partner_key": setUp.link.key])
                try await setUp.approveAll(t)
                let id = try #require(try await setUp.partner.post("/api/v1/partner/withdrawals", ["currency": "USD"]).string("id"))
                #expect(try await runner(t, [client]).drain() >= 1)
                let failed = try #require(try await Withdrawal.find(UUID(uuidString: id)!, on: t.store.db))
                #expect(failed.status == .failed)
                #expect(failed.failureReason?.isEmpty == false)
                #expect(try await Reward.query(on: t.store.db).filter(\.$withdrawalID == nil).filter(\.$status == .available).count() == 1)
                let listed = try await setUp.partner.get("/api/v1/partner/withdrawals")
                #expect(listed.data.first?["status"] as? String == "failed")
                #expect(try await setUp.partner.post("/api/v1/partner/withdrawals", ["currency": "USD"]).status == .created, "withdrawable again")
            }
        }
    }

    /// A withdrawal of $15.00 by the partner of a fresh program; returns its id.
    func withdrawal(_ t: TestEnvironment) async throws -> UUID {
        let setUp = try await MoneySetUp.make(t, rules: [["trigger": "signup", "kind": "flat", "amount": 1500]])
        _ = try await setUp.vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "partner_key": setUp.link.key])
        try await setUp.approveAll(t)
        return try #require(try await setUp.partner.post("/api/v1/partner/withdrawals", ["currency": "USD"]).string("id").flatMap(UUID.init(uuidString:)))
    }

    /// Runs the due jobs `times` times, two seconds apart (the runner's backoff here is one second).
    func attempt(_ jobs: JobRunner, _ t: TestEnvironment, times: Int) async throws {
        for _ in 0..<times {
            _ = try await jobs.drain()
            t.clock.advance(by: 2)
        }
    }

    /// How many times a payout is tried before it is given up.
    func payoutAttempts(_ t: TestEnvironment) async throws -> Int {
        try #require(try await JobRecord.query(on: t.store.db).filter(\.$kind == SendPayoutJob.kind).first()).maxAttempts
    }

    func trail(_ id: UUID, _ t: TestEnvironment) async throws -> [String] {
        try await MoneyEvent.query(on: t.store.db).filter(\.$subjectID == id).sort(\.$createdAt).all().map(\.toStatus)
    }

    // The client's timeout is seconds, not milliseconds: on a loaded machine a local answer can
    // take longer than 200 ms, and the retry that should succeed would time out too.
    @Test func aTransferAnsweredAfterTheClientGaveUpIsPaidOnce() async throws {
        try await withFakeStripe { stripe in
            let client = StripePayoutClient(configuration: stripe.configuration, httpClient: .shared, timeout: .seconds(2))
            try await TestApp.with(payoutProviders: [client]) { t in
                let id = try await withdrawal(t)
                stripe.answerNextTransfersLate(1, after: .seconds(6))
                let jobs = runner(t, [client])
                try await attempt(jobs, t, times: 1)
                #expect(try await Withdrawal.find(id, on: t.store.db)?.status == .processing, "no answer in time: not paid, not failed")
                #expect(stripe.transfersCreated == 1, "Stripe made it all the same")
                try await attempt(jobs, t, times: 1)
                let paid = try #require(try await Withdrawal.find(id, on: t.store.db))
                #expect(paid.status == .paid)
                #expect(paid.providerReference == stripe.transfers.first?.id, "the retry got the first request's transfer")
                #expect(stripe.transfersCreated == 1)
                #expect(try await trail(id, t) == ["requested", "processing", "paid"])
                try await checkInvariant(t)
            }
        }
    }

    @Test func aTimeoutBeforeStripeRanIsRetriedIntoOneTransfer() async throws {
        try await withFakeStripe { stripe in
            let client = StripePayoutClient(configuration: stripe.configuration, httpClient: .shared, timeout: .seconds(2))
            try await TestApp.with(payoutProviders: [client]) { t in
                let id = try await withdrawal(t)
                stripe.failNextTransfers(1, status: 504, stage: .beforeExecution, after: .seconds(6))
                let jobs = runner(t, [client])
                try await attempt(jobs, t, times: 1)
                #expect(stripe.transfersCreated == 0)
                #expect(try await Withdrawal.find(id, on: t.store.db)?.status == .processing)
                try await attempt(jobs, t, times: 1)
                #expect(try await Withdrawal.find(id, on: t.store.db)?.status == .paid)
                #expect(stripe.transfersCreated == 1)
            }
        }
    }

    @Test func aProviderFailingEveryAttemptEndsTheWithdrawalFailedWithItsReasonAndPaysNothing() async throws {
        try await withFakeStripe { stripe in
            let client = StripePayoutClient(configuration: stripe.configuration, httpClient: .shared)
            try await TestApp.with(payoutProviders: [client]) { t in
                let id = try await withdrawal(t)
                let attempts = try await payoutAttempts(t)
                stripe.failNextTransfers(attempts, status: 500)
                let jobs = runner(t, [client])
                try await attempt(jobs, t, times: attempts - 1)
                #expect(try await Withdrawal.find(id, on: t.store.db)?.status == .processing, "retried while attempts are left")
                try await attempt(jobs, t, times: 1)
                let failed = try #require(try await Withdrawal.find(id, on: t.store.db))
                #expect(failed.status == .failed)
                let reason = try #require(failed.failureReason)
                #expect(reason.hasPrefix("Stripe did not take the payout after \(attempts) attempts (last: "))
                #expect(reason.hasSuffix("Stripe has no transfer for this withdrawal. Nothing was paid; the rewards are available again."))
                #expect(stripe.transfersCreated == 0)
                #expect(stripe.requests.filter { $0.method == "GET" }.count == 1, "Stripe was asked once whether the transfer exists")
                #expect(try await JobRecord.query(on: t.store.db).filter(\.$kind == SendPayoutJob.kind).first()?.status == .done)
                #expect(try await Reward.query(on: t.store.db).filter(\.$withdrawalID == nil).filter(\.$status == .available).count() == 1)

                // Stripe is back: the partner withdraws again and is paid once.
                let partner = try await t.partnerKey(email: "pat@example.com")
                let again = try #require(try await partner.post("/api/v1/partner/withdrawals", ["currency": "USD"]).string("id").flatMap(UUID.init(uuidString:)))
                try await attempt(jobs, t, times: 1)
                #expect(try await Withdrawal.find(again, on: t.store.db)?.status == .paid)
                #expect(stripe.transfersCreated == 1)
                try await checkInvariant(t)
            }
        }
    }

    @Test func whenEveryAnswerIsLostTheLastAttemptFindsTheTransferAndMarksItPaid() async throws {
        try await withFakeStripe { stripe in
            let client = StripePayoutClient(configuration: stripe.configuration, httpClient: .shared)
            try await TestApp.with(payoutProviders: [client]) { t in
                let id = try await withdrawal(t)
                stripe.loseNextTransferResponses(1)
                let jobs = runner(t, [client])
                try await attempt(jobs, t, times: 1)
                #expect(stripe.transfersCreated == 1)
                let attempts = try await payoutAttempts(t)
                stripe.failNextTransfers(attempts - 1, status: 503)
                try await attempt(jobs, t, times: attempts - 2)
                #expect(try await Withdrawal.find(id, on: t.store.db)?.status == .processing)
                try await attempt(jobs, t, times: 1)
                let paid = try #require(try await Withdrawal.find(id, on: t.store.db))
                #expect(paid.status == .paid, "\(paid.failureReason ?? "")")
                #expect(paid.providerReference == stripe.transfers.first?.id)
                #expect(stripe.transfersCreated == 1)
                #expect(try await trail(id, t) == ["requested", "processing", "paid"])
                try await checkInvariant(t)
            }
        }
    }

    @Test func payPalIsPolledUntilPaid() async throws {
        try await withFakePayPal { paypal in
            paypal.setOutcomeOnPoll(.success)
            let client = PayPalPayoutClient(configuration: paypal.configuration, httpClient: .shared)
            try await TestApp.with(payoutProviders: [client]) { t in
                let setUp = try await MoneySetUp.make(t, rules: [["trigger": "signup", "kind": "flat", "amount": 1234]],
                                                     method: ["provider": "paypal", "paypal_email": "pat@paypal.example"])
                _ = try await setUp.vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "partner_key": setUp.link.key])
                try await setUp.approveAll(t)
                let id = try #require(try await setUp.partner.post("/api/v1/partner/withdrawals", ["currency": "USD"]).string("id").flatMap(UUID.init(uuidString:)))
                let jobs = runner(t, [client])
                #expect(try await jobs.drain() >= 1)
                #expect(try await Withdrawal.find(id, on: t.store.db)?.status == .processing)
                #expect(paypal.payoutsCreated == 1)
                #expect(try await jobs.drain() == 0, "the poll waits its turn")
                t.clock.advance(by: 5 * 60)
                #expect(try await jobs.drain() == 1)
                #expect(try await Withdrawal.find(id, on: t.store.db)?.status == .paid)
                #expect(paypal.payoutsCreated == 1)
                try await checkInvariant(t)
            }
        }
    }
}

/// The increments the writers add to the daily rollups never drift from the events.
func checkRollups(_ store: Store) async throws {
    let report = try await RollupCheck.run(on: store.sql)
    #expect(report.differences.isEmpty, "the daily rollups equal their events: \(report.differences)")
}

/// `tandem check-rollups` and the tests use one check; it must see a row that drifted.
@Suite struct RollupCheckTests {
    @Test func theCheckPassesOnWrittenDataAndNamesEveryRowThatDrifted() async throws {
        try await TestApp.with { t in
            let setUp = try await MoneySetUp.make(t, rules: [["trigger": "transaction", "kind": "percent", "percent": 10]], program: ["min_withdrawal": 100])
            try await setUp.sale("tx_1", amount: 5000)
            try await setUp.approveAll(t)
            #expect(try await setUp.partner.post("/api/v1/partner/withdrawals", ["currency": "USD"]).status == .created)
            for visitor in ["a", "b", "b"] {
                let browser = t.browser
                browser.setCookie("tdm_vid", String(repeating: visitor, count: 32))
                try await browser.get(setUp.link.path, headers: [.userAgent: browserAgent])
            }
            try await t.tracking.recorder.flush()
            let clean = try await RollupCheck.run(on: t.store.sql)
            #expect(clean.differences.isEmpty, "\(clean.differences)")
            #expect(clean.partnerships == 1)
            #expect(clean.partnershipDays == 1)
            #expect(clean.linkDays == 1)

            try await t.store.sql.raw("UPDATE partnership_daily SET gross = gross + 1").run()
            try await t.store.sql.raw("UPDATE click_daily SET unique_clicks = unique_clicks + 1").run()
            try await t.store.sql.raw("UPDATE links SET signups = 7").run()
            try await t.store.sql.raw("UPDATE reward_balances SET amount = amount + 1 WHERE state = 'in_withdrawal'").run()
            try await t.store.sql.raw("UPDATE withdrawals SET reward_count = 3").run()
            let drifted = try await RollupCheck.run(on: t.store.sql)
            #expect(drifted.differences.map(\.table) == ["partnership_daily", "click_daily", "links", "reward_balances", "withdrawals"])
            #expect(drifted.differences.last?.stored == "3 rewards")
            #expect(drifted.differences.last?.recomputed == "1 rewards")
            #expect(drifted.differences[2].stored == "7 signups")
            #expect(drifted.differences[2].recomputed == "0 signups")
            #expect(drifted.differences[3].row.hasSuffix(", in_withdrawal"))
            #expect(drifted.differences[3].stored == "1 rewards, 501")
            #expect(drifted.differences[3].recomputed == "1 rewards, 500")
            #expect(drifted.differences.first?.stored.contains("gross 5001") == true)
            #expect(drifted.differences.first?.recomputed.contains("gross 5000") == true)
            #expect(drifted.differences[1].stored == "3 clicks, 3 unique")
            #expect(drifted.differences[1].recomputed == "3 clicks, 2 unique")
        }
    }
}
