import FluentKit
import Foundation
import SQLKit
import TandemDomain
import TandemOperations
import TandemStore
import TandemTestSupport
import Testing

/// `Payments.recordMany` (the seed's bulk form) leaves what `Payments.record` leaves, one payment at a time.
@Suite struct BulkPaymentTests {
    let start = Date(timeIntervalSince1970: 1_795_000_000)
    var now: Date { start.addingTimeInterval(40 * 86_400) }

    /// Two customers with a payment before the call (c1's before its next, c2's between its next
    /// two), then payments that include a first payment, an earlier-than-first one and repeats.
    var inputs: [Payments.BulkInput] {
        [
            .init(customerKey: "c1", externalID: "p1", amount: 10_000, occurredAt: start.addingTimeInterval(10 * 86_400)),
            .init(customerKey: "c2", externalID: "p2", amount: 4_900, occurredAt: start.addingTimeInterval(2 * 86_400)),
            .init(customerKey: "c3", externalID: "p3", amount: 1_900, occurredAt: start.addingTimeInterval(3 * 86_400)),
            .init(customerKey: "c3", externalID: "p4", amount: 2_500, occurredAt: start.addingTimeInterval(1 * 86_400)),
            .init(customerKey: "c2", externalID: "p5", amount: 990, occurredAt: start.addingTimeInterval(20 * 86_400)),
            .init(customerKey: "self", externalID: "p6", amount: 5_000, occurredAt: start.addingTimeInterval(4 * 86_400)),
        ]
    }

    struct Outcome: Equatable {
        let transactions: [String]
        let rewards: [String]
        let daily: [String]
        let balances: [String]
        let moneyEvents: Int
        let events: [String: Int]
        /// Every `reward.created` of a payment comes after that payment's `transaction.created`.
        let rewardsFollowTheirPayment: Bool
    }

    /// Reads the outbox in event order: the payments told of so far, and whether each reward's
    /// payment was told of before it.
    func rewardsFollowTheirPayment(_ store: Store) async throws -> Bool {
        var told = Set<String>(), rewards = 0
        for event in try await WebhookEvent.query(on: store.db).sort(\.$sequence).all() {
            let data = (try JSONSerialization.jsonObject(with: Data(event.body.utf8)) as? [String: Any])?["data"] as? [String: Any]
            switch event.type {
            case "transaction.created": told.insert((data?["id"] as? String)?.lowercased() ?? "")
            case "reward.created":
                guard let payment = data?["transaction_id"] as? String else { continue }
                rewards += 1
                if !told.contains(payment.lowercased()) { return false }
            default: continue
            }
        }
        return rewards > 0
    }

    /// A world with a one-time (first payment) rule besides the 20 % rule, and customers c1–c3
    /// of the partnership plus the partner's own signup, unattributed.
    func world(_ store: Store) async throws -> ReferralWorkflowTests.World {
        let w = try await ReferralWorkflowTests().world(store)
        var firstOnly = RewardRules.Input()
        firstOnly.trigger = "transaction"; firstOnly.kind = "flat"; firstOnly.amount = 700; firstOnly.durationMonths = 0
        _ = try await RewardRules.create(program: w.program, firstOnly, now: start, on: store.db)
        let key = w.partnership.partnerKey
        _ = try await Signups.recordMany(
            ["c1", "c2", "c3"].map { Signups.Input(key: $0, email: "\($0)@example.net", partnerKey: key, signedUpAt: start) }
                + [Signups.Input(key: "self", email: "pat@example.com", partnerKey: key, signedUpAt: start)],
            partnership: w.partnership, program: w.program, actor: .system("test"), now: start, on: store.db
        )
        for (key, id, day) in [("c1", "p0", 5.0), ("c2", "p00", 15.0)] {
            _ = try await Payments.record(program: w.program, customerKey: key, externalID: id, amount: 3_000, currency: .usd,
                                          occurredAt: start.addingTimeInterval(day * 86_400), description: nil, actor: .system("test"), now: start.addingTimeInterval(30 * 86_400), on: store.db)
        }
        return w
    }

    func outcome(_ store: Store) async throws -> Outcome {
        let sql = store.sql
        struct Line: Decodable { let line: String }
        func lines(_ query: SQLQueryString) async throws -> [String] { try await sql.raw(query).all(decoding: Line.self).map(\.line) }
        let transactions = try await SaleTransaction.query(on: store.db).sort(\.$externalID).all()
            .map { "\($0.externalID) \($0.amount) \($0.$partnership.id != nil) \($0.occurredAt.timeIntervalSince1970)" }
        let rewards = try await Reward.query(on: store.db).with(\.$transaction).all()
            .map { "\($0.transaction?.externalID ?? $0.source.prefix(6).description) \($0.amount) \($0.status.rawValue) \($0.availableAt.timeIntervalSince1970)" }.sorted()
        let dailyAll = try await lines("""
            SELECT day || ' ' || CAST(signups AS TEXT) || ' ' || CAST(paying_customers AS TEXT) || ' ' || CAST(payments AS TEXT) || ' '
                || CAST(gross AS TEXT) || ' ' || CAST(net AS TEXT) || ' ' || CAST(rewards_pending AS TEXT) || ' ' || CAST(rewards_paid AS TEXT) AS line
            FROM partnership_daily ORDER BY day
            """)
        let balances = try await lines("SELECT state || ' ' || CAST(rewards AS TEXT) || ' ' || CAST(amount AS TEXT) AS line FROM reward_balances ORDER BY state")
        let events = Dictionary(grouping: try await WebhookEvent.query(on: store.db).all().map(\.type), by: { $0 }).mapValues(\.count)
        return Outcome(transactions: transactions, rewards: rewards, daily: dailyAll, balances: balances,
                       moneyEvents: try await MoneyEvent.query(on: store.db).count(), events: events,
                       rewardsFollowTheirPayment: try await rewardsFollowTheirPayment(store))
    }

    @Test func manyPaymentsLeaveTheRowsRollupsRewardsAndEventsOfOneAtATime() async throws {
        let oneByOne = try await TestDatabase.withStore { store in
            let w = try await world(store)
            for input in inputs {
                _ = try await Payments.record(program: w.program, customerKey: input.customerKey, externalID: input.externalID, amount: input.amount,
                                              currency: .usd, occurredAt: input.occurredAt, description: nil, actor: .system("test"), now: now, on: store.db)
            }
            return try await outcome(store)
        }
        let inBulk = try await TestDatabase.withStore { store in
            let w = try await world(store)
            let made = try await Payments.recordMany(inputs, program: w.program, currency: .usd, actor: .system("test"), now: now, on: store.db)
            #expect(made.map(\.externalID) == inputs.map(\.externalID))
            let report = try await RollupCheck.run(on: store.sql)
            #expect(report.differences.isEmpty, "\(report.differences)")
            return try await outcome(store)
        }
        #expect(inBulk == oneByOne)
        #expect(oneByOne.rewardsFollowTheirPayment, "a receiver hears of a payment before the rewards it earned")
        // The one-time rule paid c3's first payment only (p3: c1 and c2 had paid before), and the partner's own payment earned nothing.
        #expect(inBulk.rewards.filter { $0.contains(" 700 ") }.map { String($0.split(separator: " ")[0]) } == ["p0", "p00", "p3"])
        #expect(!inBulk.rewards.contains { $0.hasPrefix("p6") })
        #expect(inBulk.events["transaction.created"] == 8)
    }

    @Test func aTakenExternalIDOrAnUnknownCustomerStoresNothing() async throws {
        try await TestDatabase.withStore { store in
            let w = try await world(store)
            let before = try await outcome(store)
            await #expect(throws: OperationError.self) {
                _ = try await Payments.recordMany(inputs + [.init(customerKey: "c1", externalID: "p0", amount: 100, occurredAt: start)],
                                                  program: w.program, currency: .usd, actor: .system("test"), now: now, on: store.db)
            }
            await #expect(throws: OperationError.self) {
                _ = try await Payments.recordMany(inputs + [.init(customerKey: "nobody", externalID: "p9", amount: 100, occurredAt: start)],
                                                  program: w.program, currency: .usd, actor: .system("test"), now: now, on: store.db)
            }
            await #expect(throws: OperationError.invalid(field: "amount", message: AmountLimit.message(field: "amount"))) {
                _ = try await Payments.recordMany([.init(customerKey: "c1", externalID: "p9", amount: AmountLimit.maximum + 1, occurredAt: start)],
                                                  program: w.program, currency: .usd, actor: .system("test"), now: now, on: store.db)
            }
            #expect(try await outcome(store) == before)
        }
    }
}
