import Foundation
import SQLKit
import TandemDomain

/// The data behind both reporting tabs, always scoped to the partnership ids the caller
/// allows (the signed-in partner's). The Overview sums the daily rollups into buckets, so it
/// reads at most a row per partnership and day; the Rewards tab lists rows, paged in SQL.
/// Dates are bound values, never dialect date functions, so both databases run it.
public enum ReportQueries {
    /// What the Rewards tab filters on, checked by the page before it gets here.
    public struct RewardFilter: Sendable {
        public var partnershipIDs: [UUID]
        public var status: RewardStatus?
        /// Start of the first day and start of the day after the last, in UTC; nil means unbounded.
        public var from: Date?
        public var toExclusive: Date?

        public init(partnershipIDs: [UUID], status: RewardStatus? = nil, from: Date? = nil, toExclusive: Date? = nil) {
            self.partnershipIDs = partnershipIDs
            self.status = status
            self.from = from
            self.toExclusive = toExclusive
        }
    }

    /// The Overview: one value per bucket; money per currency, never added across currencies.
    public struct Overview: Sendable {
        /// Unique clicks on the partnerships' links.
        public var clicks: [Int64]
        public var signups: [Int64]
        /// Customers whose first payment fell in the bucket.
        public var paidCustomers: [Int64]
        public var payments: [Int64]
        /// Currency code → per-bucket totals in minor units.
        public var gross: [String: [Int64]] = [:]
        public var net: [String: [Int64]] = [:]
        public var rewards: [String: [Int64]] = [:]
        /// `rewards` split: cashed out, and earned but not yet paid (pending, held or available).
        public var rewardsPaid: [String: [Int64]] = [:]
        public var rewardsPending: [String: [Int64]] = [:]

        public init(count: Int) {
            clicks = Array(repeating: 0, count: count)
            signups = Array(repeating: 0, count: count)
            paidCustomers = Array(repeating: 0, count: count)
            payments = Array(repeating: 0, count: count)
        }

        public var currencies: Set<String> { Set(gross.keys).union(net.keys).union(rewards.keys) }

        /// Adds a day's figures (in `currency`) to bucket `index`, overflow-checked.
        mutating func add(_ figures: PartnershipDaily.Figures, currency: String, at index: Int) throws {
            signups[index] = try signups[index].addingChecked(figures.signups)
            paidCustomers[index] = try paidCustomers[index].addingChecked(figures.payingCustomers)
            payments[index] = try payments[index].addingChecked(figures.payments)
            let zero = Array(repeating: Int64(0), count: signups.count)
            let earned = try figures.rewardsPaid.addingChecked(figures.rewardsPending)
            let columns: [(WritableKeyPath<Overview, [String: [Int64]]>, Int64)] = [
                (\.gross, figures.gross), (\.net, figures.net), (\.rewards, earned),
                (\.rewardsPaid, figures.rewardsPaid), (\.rewardsPending, figures.rewardsPending),
            ]
            for (column, value) in columns {
                var series = self[keyPath: column][currency] ?? zero
                series[index] = try series[index].addingChecked(value)
                self[keyPath: column][currency] = series
            }
        }
    }

    /// `currencies`: each partnership's program currency (its money is counted in it).
    /// `starts`: each bucket's first instant, ascending; `end`: the instant after the last bucket.
    public static func overview(currencies: [UUID: String], starts: [Date], end: Date, on sql: any SQLDatabase) async throws -> Overview {
        var result = Overview(count: starts.count)
        guard !currencies.isEmpty, let first = starts.first else { return result }
        let rows = try await PartnershipDaily.days(
            partnershipIDs: Array(currencies.keys), fromDay: ClickDay.string(first), toDay: ClickDay.string(end), on: sql
        )
        let buckets = Buckets(starts)
        for row in rows {
            guard let index = buckets.index(row.day), let currency = currencies[row.partnershipID] else { continue }
            try result.add(row.figures, currency: currency, at: index)
        }
        struct DayClicks: Decodable { let day: String; let total: Int64? }
        let ids: [any Encodable & Sendable] = Array(currencies.keys)
        for row in try await sql.raw("""
            SELECT day, CAST(SUM(unique_clicks) AS BIGINT) AS total FROM click_daily
            WHERE partnership_id IN (\(binds: ids)) AND day >= \(bind: ClickDay.string(first)) AND day < \(bind: ClickDay.string(end)) GROUP BY day
            """).all(decoding: DayClicks.self) {
            guard let index = buckets.index(row.day) else { continue }
            result.clicks[index] = try result.clicks[index].addingChecked(row.total ?? 0)
        }
        return result
    }

    /// The same Overview for every partnership a condition selects (on `partnerships s`, joined
    /// with `programs g`), summed in SQL by day and currency.
    ///
    /// Why not `overview(currencies:)` for a vendor: that binds one value per partnership and
    /// reads a row per partnership and day into memory, and anyone may apply to a marketplace
    /// program, so a vendor's partnerships are not the vendor's to bound (PostgreSQL refuses
    /// more than 65,535 bound values: the vendor's home page would fail for good).
    public static func overview(partnershipsWhere condition: SQLQueryString, starts: [Date], end: Date, on sql: any SQLDatabase) async throws -> Overview {
        var result = Overview(count: starts.count)
        guard let first = starts.first else { return result }
        let (fromDay, toDay) = (ClickDay.string(first), ClickDay.string(end))
        let sums = PartnershipDaily.Figures.columns.map { "CAST(SUM(d.\($0)) AS BIGINT) AS \($0)" }.joined(separator: ", ")
        let buckets = Buckets(starts)
        for row in try await sql.raw("""
            SELECT d.day, g.currency, \(unsafeRaw: sums) FROM \(unsafeRaw: PartnershipDaily.table) d
            JOIN partnerships s ON s.id = d.partnership_id JOIN programs g ON g.id = s.program_id
            WHERE \(condition) AND d.day >= \(bind: fromDay) AND d.day < \(bind: toDay) GROUP BY d.day, g.currency
            """).all(decoding: CurrencyDayFigures.self) {
            guard let index = buckets.index(row.day) else { continue }
            try result.add(row.figures, currency: row.currency, at: index)
        }
        struct DayClicks: Decodable { let day: String; let total: Int64? }
        for row in try await sql.raw("""
            SELECT c.day, CAST(SUM(c.unique_clicks) AS BIGINT) AS total FROM click_daily c
            JOIN partnerships s ON s.id = c.partnership_id JOIN programs g ON g.id = s.program_id
            WHERE \(condition) AND c.day >= \(bind: fromDay) AND c.day < \(bind: toDay) GROUP BY c.day
            """).all(decoding: DayClicks.self) {
            guard let index = buckets.index(row.day) else { continue }
            result.clicks[index] = try result.clicks[index].addingChecked(row.total ?? 0)
        }
        return result
    }

    /// Which bucket a day falls in: the last starting on or before it.
    struct Buckets {
        let startDays: [String]

        init(_ starts: [Date]) { startDays = starts.map { ClickDay.string($0) } }

        func index(_ day: String) -> Int? {
            guard !startDays.isEmpty else { return nil }
            var low = 0, high = startDays.count - 1
            while low < high {
                let mid = (low + high + 1) / 2
                if startDays[mid] <= day { low = mid } else { high = mid - 1 }
            }
            return startDays[low] <= day ? low : nil
        }
    }

    /// A row of sums by day and currency.
    struct CurrencyDayFigures: Decodable {
        let day: String
        let currency: String
        let figures: PartnershipDaily.Figures

        enum Key: String, CodingKey { case day, currency }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            day = try c.decode(String.self, forKey: .day)
            currency = try c.decode(String.self, forKey: .currency)
            figures = try PartnershipDaily.Figures(from: decoder)
        }
    }

    /// One reward as the Rewards tab lists it.
    public struct RewardRow: Decodable, Sendable {
        public let id: UUID
        public let created_at: Date
        public let available_at: Date
        public let updated_at: Date
        public let amount: Int64
        public let currency: String
        public let status: RewardStatus
        public let kind: String
        public let source: String
        public let description: String
        public let decline_reason: String?
        public let withdrawal_id: UUID?
        public let program_name: String
        public let customer_name: String?
        public let customer_email: String?
        public let customer_key: String?

        public var state: RewardState { RewardState(status: status, inWithdrawal: withdrawal_id != nil) }

        public var customer: String { customer_name ?? customer_email ?? customer_key ?? "" }

        /// What earned it, from the source prefix.
        public var event: String {
            if kind == "clawback" { return "Refund (clawback)" }
            if kind == "manual" { return "Manual" }
            switch source.split(separator: ":").first.map(String.init) ?? "" {
            case "signup": return "Signup"
            case "transaction": return "Payment"
            case "lead": return "Lead"
            case "deal": return "Deal"
            case "join": return "Joined the program"
            case "refund": return "Refund (clawback)"
            case "manual": return "Manual"
            default: return kind.capitalized
            }
        }
    }

    public struct CurrencyTotal: Sendable {
        public let currency: String
        public let count: Int64
        public let earned: Int64
    }

    private static func rewardConditions(_ filters: RewardFilter) -> SQLQueryString {
        let ids: [any Encodable & Sendable] = filters.partnershipIDs
        var sql: SQLQueryString = "r.partnership_id IN (\(binds: ids))"
        if let status = filters.status { sql += " AND r.status = \(bind: status.rawValue)" }
        if let from = filters.from { sql += " AND r.created_at >= \(bind: from)" }
        if let to = filters.toExclusive { sql += " AND r.created_at < \(bind: to)" }
        return sql
    }

    /// The newest rewards first. The page of ids is picked from the index before anything is
    /// joined: joining first made SQLite join every reward in the range to sort them.
    public static func rewards(_ filters: RewardFilter, limit: Int, offset: Int = 0, on sql: any SQLDatabase) async throws -> [RewardRow] {
        guard !filters.partnershipIDs.isEmpty else { return [] }
        let query: SQLQueryString = """
            SELECT r.id, r.created_at, r.available_at, r.updated_at, r.amount, r.currency, r.status, r.kind, r.source,
                   r.description, r.decline_reason, r.withdrawal_id, p.name AS program_name,
                   c.name AS customer_name, c.email AS customer_email, c."key" AS customer_key
            FROM (SELECT r.id FROM rewards r WHERE \(rewardConditions(filters)) ORDER BY r.created_at DESC, r.id LIMIT \(literal: limit) OFFSET \(literal: offset)) picked
            JOIN rewards r ON r.id = picked.id
            JOIN programs p ON p.id = r.program_id
            LEFT JOIN customers c ON c.id = r.customer_id
            ORDER BY r.created_at DESC, r.id
            """
        return try await sql.raw(query).all(decoding: RewardRow.self)
    }

    /// Per currency: how many rewards match, and what they total leaving out declined ones.
    /// With no dates, both come from the per-partnership balances. Within dates, counting walks an index; the sum comes from the daily rollup unless the status filter
    /// asks for one of the statuses it keeps together (pending, held, available), which are
    /// summed from the (partnership, status) index. `currencies`: each partnership's currency.
    public static func rewardTotals(_ filters: RewardFilter, currencies: [UUID: String], on sql: any SQLDatabase) async throws -> [CurrencyTotal] {
        guard !filters.partnershipIDs.isEmpty else { return [] }
        if filters.from == nil && filters.toExclusive == nil {
            return try await allTimeRewardTotals(filters, currencies: currencies, on: sql)
        }
        struct Sum: Decodable { let partnership_id: UUID; let total: Int64? }
        let counts = try await sql.raw("""
            SELECT r.partnership_id, CAST(COUNT(*) AS BIGINT) AS total FROM rewards r WHERE \(rewardConditions(filters)) GROUP BY r.partnership_id
            """).all(decoding: Sum.self)
        var earned: [UUID: Int64] = [:]
        switch filters.status {
        case nil, .paid?:
            let days = try await PartnershipDaily.totals(
                partnershipIDs: filters.partnershipIDs,
                fromDay: filters.from.map(ClickDay.string) ?? "0000", toDay: filters.toExclusive.map(ClickDay.string) ?? "9999", on: sql
            )
            for (id, figures) in days { earned[id] = filters.status == .paid ? figures.rewardsPaid : figures.rewardsEarned }
        case .declined?:
            break
        case .pending?, .held?, .available?:
            for row in try await sql.raw("""
                SELECT r.partnership_id, CAST(SUM(r.amount) AS BIGINT) AS total FROM rewards r WHERE \(rewardConditions(filters)) GROUP BY r.partnership_id
                """).all(decoding: Sum.self) {
                earned[row.partnership_id] = row.total ?? 0
            }
        }
        var byCurrency: [String: (count: Int64, earned: Int64)] = [:]
        for row in counts where (row.total ?? 0) > 0 {
            guard let currency = currencies[row.partnership_id] else { continue }
            var sums = byCurrency[currency] ?? (0, 0)
            sums.count = try sums.count.addingChecked(row.total ?? 0)
            sums.earned = try sums.earned.addingChecked(earned[row.partnership_id] ?? 0)
            byCurrency[currency] = sums
        }
        return byCurrency.keys.sorted().map { CurrencyTotal(currency: $0, count: byCurrency[$0]!.count, earned: byCurrency[$0]!.earned) }
    }

    /// `rewardTotals` over all time: the per-partnership balances hold the count and the sum of
    /// every state, so nothing walks the rewards.
    static func allTimeRewardTotals(_ filters: RewardFilter, currencies: [UUID: String], on sql: any SQLDatabase) async throws -> [CurrencyTotal] {
        var byCurrency: [String: (count: Int64, earned: Int64)] = [:]
        for (partnershipID, states) in try await RewardBalances.of(partnershipIDs: filters.partnershipIDs, on: sql) {
            guard let currency = currencies[partnershipID] else { continue }
            var sums = byCurrency[currency] ?? (0, 0)
            for (state, tally) in states where filters.status == nil || filters.status == state.status {
                sums.count = try sums.count.addingChecked(tally.rewards)
                if state != .declined { sums.earned = try sums.earned.addingChecked(tally.amount) }
            }
            if sums.count > 0 { byCurrency[currency] = sums }
        }
        return byCurrency.keys.sorted().map { CurrencyTotal(currency: $0, count: byCurrency[$0]!.count, earned: byCurrency[$0]!.earned) }
    }
}
