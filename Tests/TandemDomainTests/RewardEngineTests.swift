import Foundation
import Testing
@testable import TandemDomain

@Suite struct RewardEngineTests {
    let signup = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    let group = UUID()

    func rule(_ trigger: RewardTrigger, _ amount: RewardAmount, months: Int? = nil, minimum: Int64? = nil, group: UUID? = nil, createdAt: Date? = nil) -> RewardRule {
        RewardRule(id: UUID(), trigger: trigger, amount: amount, durationMonths: months, minTransactionAmount: minimum, groupID: group, createdAt: createdAt ?? signup)
    }

    func payment(_ amount: Int64 = 10_000, monthsAfterSignup: Int = 0, plusSeconds: TimeInterval = 0, isFirst: Bool = false) -> RewardEngine.Event {
        .transaction(amount: amount, occurredAt: RewardMath.adding(months: monthsAfterSignup, to: signup).addingTimeInterval(plusSeconds), customerSignedUpAt: signup, isFirst: isFirst)
    }

    @Test(arguments: RewardTrigger.allCases)
    func flatRulesPayForTheirTriggerOnly(trigger: RewardTrigger) {
        let rules = [rule(trigger, .flat(500))]
        let events: [RewardEngine.Event] = [.signup, payment(), .leadQualified, .dealWon(amount: 1000), .partnerJoined]
        for event in events {
            let drafts = RewardEngine.evaluate(event, rules: rules, groupID: group)
            #expect(drafts.map(\.amount) == (event.trigger == trigger ? [500] : []), "\(event) under \(trigger)")
        }
    }

    @Test func percentOfTransactionsAndDeals() {
        let twenty = [rule(.transaction, .percent(basisPoints: 2000)), rule(.dealWon, .percent(basisPoints: 1250))]
        #expect(RewardEngine.evaluate(payment(4999), rules: twenty, groupID: group).map(\.amount) == [1000])  // 999.8 → 1000
        #expect(RewardEngine.evaluate(.dealWon(amount: 1_000_000), rules: twenty, groupID: group).map(\.amount) == [125_000])
        // A percentage of nothing is nothing: percent rules do not pay on signups.
        #expect(RewardEngine.evaluate(.signup, rules: [rule(.signup, .percent(basisPoints: 2000))], groupID: group).isEmpty)
    }

    @Test(arguments: [(Int64(3), Int64(1)), (2, 0), (7, 1), (8, 2), (-3, -1), (-2, 0)])
    func roundsHalfUpToTheMinorUnit(amount: Int64, expected: Int64) {
        // 20 % of 3 = 0.6 → 1; of 2 = 0.4 → 0; of 7 = 1.4 → 1; of 8 = 1.6 → 2; negatives mirror.
        #expect(RewardMath.percent(amount, basisPoints: 2000) == expected)
        #expect(RewardMath.percent(5, basisPoints: 1000) == 1, "0.5 rounds up")
        #expect(RewardMath.percent(-5, basisPoints: 1000) == -1, "-0.5 rounds away from zero")
    }

    @Test func hugeAmountsDoNotOverflow() {
        #expect(RewardMath.percent(Int64.max / 2, basisPoints: 10_000) == Int64.max / 2)
    }

    @Test(arguments: [(11, true), (12, false), (13, false)])
    func nMonthsFromSignup(month: Int, pays: Bool) {
        let rules = [rule(.transaction, .percent(basisPoints: 2000), months: 12)]
        let drafts = RewardEngine.evaluate(payment(monthsAfterSignup: month), rules: rules, groupID: group)
        #expect(drafts.isEmpty == !pays, "month \(month)")
    }

    @Test func theAnniversaryItselfIsOutside() {
        let rules = [rule(.transaction, .flat(100), months: 12)]
        #expect(RewardEngine.evaluate(payment(monthsAfterSignup: 12, plusSeconds: -1), rules: rules, groupID: group).count == 1)
        #expect(RewardEngine.evaluate(payment(monthsAfterSignup: 12), rules: rules, groupID: group).isEmpty)
    }

    @Test func firstTransactionOnlyAndLifetime() {
        let first = [rule(.transaction, .flat(100), months: 0)]
        #expect(RewardEngine.evaluate(payment(isFirst: true), rules: first, groupID: group).count == 1)
        #expect(RewardEngine.evaluate(payment(isFirst: false), rules: first, groupID: group).isEmpty)
        let lifetime = [rule(.transaction, .flat(100), months: nil)]
        #expect(RewardEngine.evaluate(payment(monthsAfterSignup: 120), rules: lifetime, groupID: group).count == 1)
    }

    @Test func minimumTransactionAmount() {
        let rules = [rule(.transaction, .flat(100), minimum: 5000)]
        #expect(RewardEngine.evaluate(payment(4999), rules: rules, groupID: group).isEmpty)
        #expect(RewardEngine.evaluate(payment(5000), rules: rules, groupID: group).count == 1)
    }

    @Test func groupRulesApplyToTheirGroupOnly() {
        let vip = UUID()
        let rules = [rule(.signup, .flat(100)), rule(.signup, .flat(900), group: vip)]
        #expect(RewardEngine.evaluate(.signup, rules: rules, groupID: group).map(\.amount) == [100])
        #expect(RewardEngine.evaluate(.signup, rules: rules, groupID: vip).map(\.amount).sorted() == [100, 900])
    }

    @Test func severalRulesGiveSeveralRewardsOldestFirst() {
        let older = rule(.transaction, .flat(300), createdAt: signup)
        let newer = rule(.transaction, .percent(basisPoints: 1000), createdAt: signup.addingTimeInterval(60))
        let drafts = RewardEngine.evaluate(payment(10_000), rules: [newer, older], groupID: group)
        #expect(drafts.map(\.ruleID) == [older.id, newer.id])
        #expect(drafts.map(\.amount) == [300, 1000])
    }

    @Test func summariesInWords() {
        #expect(rule(.transaction, .percent(basisPoints: 2000), months: 12).summary(currency: .usd) == "20% of every payment for 12 months")
        #expect(rule(.signup, .flat(5000)).summary(currency: .usd) == "$50.00 for every customer who signs up")
        #expect(rule(.transaction, .percent(basisPoints: 1250), months: 0).summary(currency: .eur) == "12.5% of the first payment")
        #expect(rule(.transaction, .flat(1000), minimum: 10_000).summary(currency: .usd) == "$10.00 for every payment, for life over $100.00")
    }

    @Test func percentagesAsPeopleWriteThem() {
        #expect(RewardMath.basisPoints(fromPercent: "20") == 2000)
        #expect(RewardMath.basisPoints(fromPercent: "12.5") == 1250)
        #expect(RewardMath.basisPoints(fromPercent: "0.25") == 25)
        #expect(RewardMath.basisPoints(fromPercent: "1.234") == nil)
        #expect(RewardMath.percentText(25) == "0.25")
        #expect(RewardMath.percentText(1250) == "12.5")
    }
}

@Suite struct RewardLifecycleTests {
    @Test func allowedChanges() {
        #expect(RewardLifecycle.apply(.approve, to: .pending) == .available)
        #expect(RewardLifecycle.apply(.approve, to: .held) == .available)
        #expect(RewardLifecycle.apply(.hold, to: .pending) == .held)
        #expect(RewardLifecycle.apply(.decline, to: .available) == .declined)
        #expect(RewardLifecycle.apply(.release, to: .pending) == .available)
    }

    @Test(arguments: [RewardLifecycle.Action.approve, .hold, .decline, .release])
    func nothingChangesAPaidOrDeclinedReward(action: RewardLifecycle.Action) {
        #expect(RewardLifecycle.apply(action, to: .paid) == nil)
        #expect(RewardLifecycle.apply(action, to: .declined) == nil)
    }

    @Test func heldRewardsAreNotReleasedByTheClock() {
        #expect(RewardLifecycle.apply(.release, to: .held) == nil)
    }

    @Test func refundsReduceProportionallyWithoutDrift() {
        #expect(RefundMath.remaining(original: 1000, transactionAmount: 5000, refundedTotal: 0) == 1000)
        #expect(RefundMath.remaining(original: 1000, transactionAmount: 5000, refundedTotal: 2500) == 500)
        #expect(RefundMath.remaining(original: 1000, transactionAmount: 5000, refundedTotal: 5000) == 0)
        // Three refunds of a third each end at exactly zero.
        #expect(RefundMath.remaining(original: 1001, transactionAmount: 3000, refundedTotal: 1000) == 667)
        #expect(RefundMath.remaining(original: 1001, transactionAmount: 3000, refundedTotal: 2000) == 334)
        #expect(RefundMath.remaining(original: 1001, transactionAmount: 3000, refundedTotal: 3000) == 0)
    }
}
