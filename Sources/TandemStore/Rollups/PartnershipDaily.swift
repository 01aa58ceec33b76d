import FluentKit
import Foundation
import SQLKit
import TandemDomain

/// Per partnership and UTC day: signups, new paying customers, payments, revenue and
/// rewards by status — the figures every partner page shows, so no page sums raw events.
///
/// Each writer of customers, transactions and rewards adds its change here in the same
/// database transaction (`add`, `rewardMoved`). The changes are increments of an upsert,
/// so two transactions touching the same day commute instead of overwriting each other.
/// `rebuild` recomputes a partnership from its events (after bulk seeding, and in tests
/// that prove the increments never drift).
public enum PartnershipDaily {
    public static let table = "partnership_daily"

    /// One day's (or a sum of days') figures; money in minor units of the program's currency.
    public struct Figures: Sendable, Equatable, Decodable {
        /// Customers who signed up.
        public var signups: Int64 = 0
        /// Customers whose first payment fell on the day.
        public var payingCustomers: Int64 = 0
        public var payments: Int64 = 0
        public var gross: Int64 = 0
        /// Gross less refunds.
        public var net: Int64 = 0
        /// Rewards cashed out, by the day they were earned.
        public var rewardsPaid: Int64 = 0
        /// Rewards pending, held or available (withdrawal requested or not): earned, not yet paid.
        public var rewardsPending: Int64 = 0

        public init(signups: Int64 = 0, payingCustomers: Int64 = 0, payments: Int64 = 0, gross: Int64 = 0, net: Int64 = 0,
                    rewardsPaid: Int64 = 0, rewardsPending: Int64 = 0) {
            self.signups = signups
            self.payingCustomers = payingCustomers
            self.payments = payments
            self.gross = gross
            self.net = net
            self.rewardsPaid = rewardsPaid
            self.rewardsPending = rewardsPending
        }

        /// Rewards not declined: paid plus not yet paid.
        public var rewardsEarned: Int64 { (try? rewardsPaid.addingChecked(rewardsPending)) ?? .max }
        var isZero: Bool { self == Figures() }

        /// The sum, overflow-checked: only amounts past `AmountLimit` could overflow, and then the
        /// request fails with `AmountOverflow` instead of the process trapping.
        public func adding(_ b: Figures) throws(AmountOverflow) -> Figures {
            Figures(signups: try signups.addingChecked(b.signups), payingCustomers: try payingCustomers.addingChecked(b.payingCustomers),
                    payments: try payments.addingChecked(b.payments), gross: try gross.addingChecked(b.gross), net: try net.addingChecked(b.net),
                    rewardsPaid: try rewardsPaid.addingChecked(b.rewardsPaid), rewardsPending: try rewardsPending.addingChecked(b.rewardsPending))
        }

        static let columns = ["signups", "paying_customers", "payments", "gross", "net", "rewards_paid", "rewards_pending"]
        var values: [Int64] { [signups, payingCustomers, payments, gross, net, rewardsPaid, rewardsPending] }

        enum CodingKeys: String, CodingKey {
            case signups, payingCustomers = "paying_customers", payments, gross, net, rewardsPaid = "rewards_paid", rewardsPending = "rewards_pending"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            func value(_ key: CodingKeys) throws -> Int64 { try c.decodeIfPresent(Int64.self, forKey: key) ?? 0 }
            self.init(signups: try value(.signups), payingCustomers: try value(.payingCustomers), payments: try value(.payments),
                      gross: try value(.gross), net: try value(.net), rewardsPaid: try value(.rewardsPaid), rewardsPending: try value(.rewardsPending))
        }
    }

    // MARK: Writing

    /// Adds `delta` to the partnership's row of the day of `at` (creating it).
    public static func add(_ delta: Figures, partnershipID: UUID, at: Date, on db: any Database) async throws {
        try await add([(partnershipID, ClickDay.string(at), delta)], on: db as! any SQLDatabase)
    }

    static func add(_ rows: [(partnershipID: UUID, day: String, delta: Figures)], on sql: any SQLDatabase) async throws {
        // One statement may not upsert the same row twice (PostgreSQL refuses), so merge first.
        var merged: [DayKey: Figures] = [:]
        var order: [DayKey] = []
        for row in rows {
            let key = DayKey(partnershipID: row.partnershipID, day: row.day)
            if merged[key] == nil { order.append(key) }
            merged[key] = try (merged[key] ?? Figures()).adding(row.delta)
        }
        let rows = order.compactMap { key in merged[key].flatMap { $0.isZero ? nil : (key.partnershipID, key.day, $0) } }
        for chunk in rows.chunked(200) {
            let insert = sql.insert(into: table).columns(["partnership_id", "day"] + Figures.columns)
            for row in chunk {
                insert.values([SQLBind(row.0), SQLBind(row.1)] + row.2.values.map { SQLBind($0) as any SQLExpression })
            }
            try await insert.onConflict(with: ["partnership_id", "day"]) { update in
                Figures.columns.reduce(update) { update, column in
                    update.set(column, to: SQLBinaryExpression(SQLColumn(column, table: table), .add, SQLExcludedColumn(column)))
                }
            }.run()
        }
    }

    /// A customer attributed to a partnership signed up.
    public static func customerSignedUp(partnershipID: UUID, at: Date, clickID: String?, on db: any Database) async throws {
        try await add(Figures(signups: 1), partnershipID: partnershipID, at: at, on: db)
        if let clickID { try await LinkSignups.add(clickID: clickID, partnershipID: partnershipID, on: db as! any SQLDatabase) }
    }

    /// A payment was stored (call after inserting it): counts it, and moves the customer's
    /// "first paid" day when it is the customer's earliest payment. Returns whether it is the
    /// customer's only payment so far, which first-payment reward rules need; on PostgreSQL
    /// the customer's row lock makes that answer right for payments racing each other too.
    @discardableResult
    public static func paymentRecorded(partnershipID: UUID, customerID: UUID, transactionID: UUID, amount: Int64, occurredAt: Date, on db: any Database) async throws -> Bool {
        try await paymentsRecorded([Payment(partnershipID: partnershipID, customerID: customerID, amount: amount, occurredAt: occurredAt)],
                                   excluding: [transactionID], on: db)[0]
    }

    public struct Payment: Sendable {
        public let partnershipID: UUID
        public let customerID: UUID
        public let amount: Int64
        public let occurredAt: Date

        public init(partnershipID: UUID, customerID: UUID, amount: Int64, occurredAt: Date) {
            self.partnershipID = partnershipID
            self.customerID = customerID
            self.amount = amount
            self.occurredAt = occurredAt
        }
    }

    /// `paymentRecorded` for many payments, as if recorded one after another in this order: each
    /// customer's earlier payments are read once (besides `excluding`, the payments themselves
    /// when already inserted), and the rollup written in one upsert per 200 days.
    public static func paymentsRecorded(_ payments: [Payment], excluding: [UUID] = [], on db: any Database) async throws -> [Bool] {
        let sql = db as! any SQLDatabase
        let customers = Array(Set(payments.map(\.customerID))).sorted { $0.uuidString < $1.uuidString }
        struct Earliest: Decodable { let customer_id: UUID; let occurred_at: Date }
        var earliest: [UUID: Date] = [:]
        for chunk in customers.chunked(500) {
            if sql.dialect.name == "postgresql" {
                // Two payments of one customer committing at once must not both count as the first.
                // NO KEY UPDATE: the payment's foreign key already holds a KEY SHARE lock on the
                // customer, which FOR UPDATE would wait on — a deadlock between two payments.
                // In id order, so two bulk calls lock their common customers in the same order.
                _ = try await sql.raw("SELECT id FROM customers WHERE id IN \(SQLBind.group(Array(chunk))) ORDER BY id FOR NO KEY UPDATE").all()
            }
            var query = SQLQueryString("SELECT customer_id, MIN(occurred_at) AS occurred_at FROM transactions WHERE customer_id IN \(SQLBind.group(Array(chunk)))")
            if !excluding.isEmpty { query.appendLiteral(" AND id NOT IN "); query.appendInterpolation(SQLBind.group(excluding)) }
            query.appendLiteral(" GROUP BY customer_id")
            for row in try await sql.raw(query).all(decoding: Earliest.self) { earliest[row.customer_id] = row.occurred_at }
        }
        var rows: [(partnershipID: UUID, day: String, delta: Figures)] = []
        var firsts: [Bool] = []
        firsts.reserveCapacity(payments.count)
        for payment in payments {
            let before = earliest[payment.customerID]
            rows.append((payment.partnershipID, ClickDay.string(payment.occurredAt), Figures(payments: 1, gross: payment.amount, net: payment.amount)))
            if before == nil || payment.occurredAt < before! {
                rows.append((payment.partnershipID, ClickDay.string(payment.occurredAt), Figures(payingCustomers: 1)))
                if let before { rows.append((payment.partnershipID, ClickDay.string(before), Figures(payingCustomers: -1))) }
                earliest[payment.customerID] = payment.occurredAt
            }
            firsts.append(before == nil)
        }
        try await add(rows, on: sql)
        return firsts
    }

    /// Part of a payment was refunded: revenue falls on the payment's own day.
    public static func refunded(partnershipID: UUID, amount: Int64, occurredAt: Date, on db: any Database) async throws {
        try await add(Figures(net: -amount), partnershipID: partnershipID, at: occurredAt, on: db)
    }

    /// Which rollup column a reward's amount counts in while it has `status`.
    static func rewardFigures(amount: Int64, status: RewardStatus?) -> Figures {
        switch status {
        case .paid: Figures(rewardsPaid: amount)
        case .pending, .held, .available: Figures(rewardsPending: amount)
        case .declined, nil: Figures()
        }
    }

    /// A reward appeared (`from` nil), changed status, or changed amount (same status, old and new amounts).
    public static func rewardMoved(
        partnershipID: UUID, createdAt: Date, from: RewardStatus?, amount oldAmount: Int64,
        to: RewardStatus?, newAmount: Int64? = nil, on db: any Database
    ) async throws {
        let before = rewardFigures(amount: oldAmount, status: from)
        let after = rewardFigures(amount: newAmount ?? oldAmount, status: to)
        try await add(after.adding(before.negated()), partnershipID: partnershipID, at: createdAt, on: db)
    }

    /// Many rewards moved from one status to another (a withdrawal paid).
    static func rewardsMoved(_ rewards: [(partnershipID: UUID, createdAt: Date, amount: Int64)], from: RewardStatus, to: RewardStatus, on sql: any SQLDatabase) async throws {
        var byDay: [DayKey: Figures] = [:]
        for reward in rewards {
            let key = DayKey(partnershipID: reward.partnershipID, day: ClickDay.string(reward.createdAt))
            byDay[key, default: Figures()] = try byDay[key, default: Figures()]
                .adding(rewardFigures(amount: reward.amount, status: to)).adding(rewardFigures(amount: reward.amount, status: from).negated())
        }
        try await add(byDay.map { ($0.key.partnershipID, $0.key.day, $0.value) }, on: sql)
    }

    struct DayKey: Hashable {
        let partnershipID: UUID
        let day: String
    }

    /// Recomputes every day of one partnership from its customers, transactions and rewards.
    public static func rebuild(partnershipID: UUID, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        let days = try await recomputed(partnershipID: partnershipID, on: sql)
        try await sql.delete(from: table).where("partnership_id", .equal, partnershipID).run()
        try await add(days.map { (partnershipID, $0.key, $0.value) }.sorted { $0.1 < $1.1 }, on: sql)
    }

    /// What the rows of a partnership should be, from its events alone.
    public static func recomputed(partnershipID: UUID, on sql: any SQLDatabase) async throws -> [String: Figures] {
        var days: [String: Figures] = [:]
        struct Signup: Decodable { let signed_up_at: Date }
        for row in try await sql.raw("SELECT signed_up_at FROM customers WHERE partnership_id = \(bind: partnershipID)").all(decoding: Signup.self) {
            days[ClickDay.string(row.signed_up_at), default: Figures()].signups += 1
        }
        struct Payment: Decodable { let customer_id: UUID; let amount: Int64; let refunded_amount: Int64; let occurred_at: Date }
        var firstPayment: [UUID: Date] = [:]
        for row in try await sql.raw("""
            SELECT customer_id, amount, refunded_amount, occurred_at FROM transactions WHERE partnership_id = \(bind: partnershipID)
            """).all(decoding: Payment.self) {
            let day = ClickDay.string(row.occurred_at)
            days[day, default: Figures()].payments += 1
            days[day] = try (days[day] ?? Figures()).adding(Figures(gross: row.amount, net: try row.amount.addingChecked(try row.refunded_amount.negatedChecked())))
            if firstPayment[row.customer_id].map({ row.occurred_at < $0 }) ?? true { firstPayment[row.customer_id] = row.occurred_at }
        }
        for first in firstPayment.values {
            days[ClickDay.string(first), default: Figures()].payingCustomers += 1
        }
        struct Earned: Decodable { let amount: Int64; let status: String; let created_at: Date }
        for row in try await sql.raw("SELECT amount, status, created_at FROM rewards WHERE partnership_id = \(bind: partnershipID)").all(decoding: Earned.self) {
            let day = ClickDay.string(row.created_at)
            days[day] = try (days[day] ?? Figures()).adding(rewardFigures(amount: row.amount, status: RewardStatus(rawValue: row.status)))
        }
        return days.filter { !$0.value.isZero }
    }

    // MARK: Reading

    /// Sum of all days, per partnership.
    public static func totals(partnershipIDs: [UUID], on sql: any SQLDatabase) async throws -> [UUID: Figures] {
        try await totals(partnershipIDs: partnershipIDs, fromDay: "0000", toDay: "9999", on: sql)
    }

    /// Sum of the days in [fromDay, toDay) ("2026-11-01"), per partnership.
    public static func totals(partnershipIDs: [UUID], fromDay: String, toDay: String, on sql: any SQLDatabase) async throws -> [UUID: Figures] {
        guard !partnershipIDs.isEmpty else { return [:] }
        let ids: [any Encodable & Sendable] = partnershipIDs
        let sums = Figures.columns.map { "CAST(SUM(\($0)) AS BIGINT) AS \($0)" }.joined(separator: ", ")
        let rows = try await sql.raw("""
            SELECT partnership_id, NULL AS day, \(unsafeRaw: sums) FROM \(unsafeRaw: table)
            WHERE partnership_id IN (\(binds: ids)) AND day >= \(bind: fromDay) AND day < \(bind: toDay) GROUP BY partnership_id
            """).all(decoding: KeyedFigures.self)
        return try Dictionary(rows.map { ($0.partnership_id, $0.figures) }, uniquingKeysWith: { try $0.adding($1) })
    }

    public struct Day: Sendable {
        public let partnershipID: UUID
        /// "2026-11-21" (UTC).
        public let day: String
        public let figures: Figures
    }

    /// The rows of the days in [fromDay, toDay), oldest first.
    public static func days(partnershipIDs: [UUID], fromDay: String, toDay: String, on sql: any SQLDatabase) async throws -> [Day] {
        guard !partnershipIDs.isEmpty else { return [] }
        let ids: [any Encodable & Sendable] = partnershipIDs
        let rows = try await sql.raw("""
            SELECT partnership_id, day, \(unsafeRaw: Figures.columns.joined(separator: ", ")) FROM \(unsafeRaw: table)
            WHERE partnership_id IN (\(binds: ids)) AND day >= \(bind: fromDay) AND day < \(bind: toDay) ORDER BY day
            """).all(decoding: KeyedFigures.self)
        return rows.map { Day(partnershipID: $0.partnership_id, day: $0.day ?? "", figures: $0.figures) }
    }
}

/// A rollup row as read: its partnership, its day (none for sums over days) and its figures.
struct KeyedFigures: Decodable {
    let partnership_id: UUID
    let day: String?
    let figures: PartnershipDaily.Figures

    enum Key: String, CodingKey { case partnership_id, day }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        partnership_id = try c.decode(UUID.self, forKey: .partnership_id)
        day = try c.decodeIfPresent(String.self, forKey: .day)
        figures = try PartnershipDaily.Figures(from: decoder)
    }
}

extension PartnershipDaily.Figures {
    func negated() throws(AmountOverflow) -> Self {
        .init(signups: try signups.negatedChecked(), payingCustomers: try payingCustomers.negatedChecked(), payments: try payments.negatedChecked(),
              gross: try gross.negatedChecked(), net: try net.negatedChecked(),
              rewardsPaid: try rewardsPaid.negatedChecked(), rewardsPending: try rewardsPending.negatedChecked())
    }
}
