import Foundation
import SQLKit
import TandemDomain

/// The SQL behind both reporting tabs. Everything is scoped to the partnership ids the
/// filters allow (always the signed-in partner's), aggregated in the database, and kept
/// to portable SQL: dates are bound values, never dialect date functions. The bucket of
/// a row is a CASE over bound bucket boundaries, so grouping by day or month happens in
/// SQL on SQLite and PostgreSQL alike.
enum ReportQueries {
    /// The Overview: one value per bucket; money per currency, never added across currencies.
    struct Overview {
        var signups: [Int64]
        var paidCustomers: [Int64]
        var payments: [Int64]
        /// Currency code → per-bucket totals in minor units.
        var gross: [String: [Int64]] = [:]
        var net: [String: [Int64]] = [:]
        var rewards: [String: [Int64]] = [:]
        /// Distinct paying customers over the whole range (not the sum of the buckets).
        var totalPaidCustomers: Int64 = 0

        init(count: Int) {
            signups = Array(repeating: 0, count: count)
            paidCustomers = Array(repeating: 0, count: count)
            payments = Array(repeating: 0, count: count)
        }

        var currencies: Set<String> { Set(gross.keys).union(net.keys).union(rewards.keys) }
    }

    private struct BucketCount: Decodable { let bucket: Int; let total: Int64? }
    private struct BucketMoney: Decodable { let bucket: Int; let currency: String; let payments: Int64?; let gross: Int64?; let net: Int64? }
    private struct BucketReward: Decodable { let bucket: Int; let currency: String; let total: Int64? }
    private struct Total: Decodable { let total: Int64? }

    /// `CASE WHEN column < end0 THEN 0 WHEN column < end1 THEN 1 … ELSE n-1 END`.
    static func bucketCase(_ column: String, _ buckets: [ReportFilters.Bucket]) -> SQLQueryString {
        guard buckets.count > 1 else { return "0" }
        var sql: SQLQueryString = "CASE"
        for (index, bucket) in buckets.dropLast().enumerated() {
            sql += " WHEN \(unsafeRaw: column) < \(bind: bucket.end) THEN \(literal: index)"
        }
        sql += " ELSE \(literal: buckets.count - 1) END"
        return sql
    }

    static func overview(partnershipIDs: [UUID], buckets: [ReportFilters.Bucket], on sql: any SQLDatabase) async throws -> Overview {
        var result = Overview(count: buckets.count)
        guard !partnershipIDs.isEmpty, let first = buckets.first, let last = buckets.last else { return result }
        let ids: [any Encodable & Sendable] = partnershipIDs
        let start = first.start, end = last.end

        let signups: SQLQueryString = """
            SELECT \(bucketCase("signed_up_at", buckets)) AS bucket, COUNT(*) AS total FROM customers
            WHERE partnership_id IN (\(binds: ids)) AND signed_up_at >= \(bind: start) AND signed_up_at < \(bind: end)
            GROUP BY 1
            """
        for row in try await sql.raw(signups).all(decoding: BucketCount.self) where buckets.indices.contains(row.bucket) {
            result.signups[row.bucket] = row.total ?? 0
        }

        let paying: SQLQueryString = """
            SELECT \(bucketCase("occurred_at", buckets)) AS bucket, COUNT(DISTINCT customer_id) AS total FROM transactions
            WHERE partnership_id IN (\(binds: ids)) AND occurred_at >= \(bind: start) AND occurred_at < \(bind: end)
            GROUP BY 1
            """
        for row in try await sql.raw(paying).all(decoding: BucketCount.self) where buckets.indices.contains(row.bucket) {
            result.paidCustomers[row.bucket] = row.total ?? 0
        }

        let totalPaying: SQLQueryString = """
            SELECT COUNT(DISTINCT customer_id) AS total FROM transactions
            WHERE partnership_id IN (\(binds: ids)) AND occurred_at >= \(bind: start) AND occurred_at < \(bind: end)
            """
        result.totalPaidCustomers = try await sql.raw(totalPaying).first(decoding: Total.self)?.total ?? 0

        let sales: SQLQueryString = """
            SELECT \(bucketCase("occurred_at", buckets)) AS bucket, currency, COUNT(*) AS payments,
                   CAST(SUM(amount) AS BIGINT) AS gross, CAST(SUM(amount - refunded_amount) AS BIGINT) AS net
            FROM transactions
            WHERE partnership_id IN (\(binds: ids)) AND occurred_at >= \(bind: start) AND occurred_at < \(bind: end)
            GROUP BY 1, 2
            """
        for row in try await sql.raw(sales).all(decoding: BucketMoney.self) where buckets.indices.contains(row.bucket) {
            result.payments[row.bucket] += row.payments ?? 0
            result.gross[row.currency, default: Array(repeating: 0, count: buckets.count)][row.bucket] += row.gross ?? 0
            result.net[row.currency, default: Array(repeating: 0, count: buckets.count)][row.bucket] += row.net ?? 0
        }

        let rewards: SQLQueryString = """
            SELECT \(bucketCase("created_at", buckets)) AS bucket, currency, CAST(SUM(amount) AS BIGINT) AS total FROM rewards
            WHERE partnership_id IN (\(binds: ids)) AND created_at >= \(bind: start) AND created_at < \(bind: end)
              AND status <> \(bind: RewardStatus.declined.rawValue)
            GROUP BY 1, 2
            """
        for row in try await sql.raw(rewards).all(decoding: BucketReward.self) where buckets.indices.contains(row.bucket) {
            result.rewards[row.currency, default: Array(repeating: 0, count: buckets.count)][row.bucket] += row.total ?? 0
        }
        return result
    }

    /// One reward as the Rewards tab lists it.
    struct RewardRow: Decodable {
        let id: UUID
        let created_at: Date
        let available_at: Date
        let updated_at: Date
        let amount: Int64
        let currency: String
        let status: String
        let kind: String
        let source: String
        let description: String
        let decline_reason: String?
        let program_name: String
        let customer_name: String?
        let customer_email: String?
        let customer_key: String?

        var customer: String { customer_name ?? customer_email ?? customer_key ?? "" }

        /// What earned it, from the source prefix.
        var event: String {
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

    struct CurrencyTotal: Decodable {
        let currency: String
        let count: Int64?
        let earned: Int64?
    }

    private static func rewardConditions(_ filters: ReportFilters) -> SQLQueryString {
        let ids: [any Encodable & Sendable] = filters.partnershipIDs
        var sql: SQLQueryString = "r.partnership_id IN (\(binds: ids))"
        if let status = filters.status { sql += " AND r.status = \(bind: status.rawValue)" }
        if let from = filters.from { sql += " AND r.created_at >= \(bind: from)" }
        if let to = filters.toExclusive { sql += " AND r.created_at < \(bind: to)" }
        return sql
    }

    static func rewards(_ filters: ReportFilters, limit: Int, on sql: any SQLDatabase) async throws -> [RewardRow] {
        guard !filters.partnershipIDs.isEmpty else { return [] }
        let query: SQLQueryString = """
            SELECT r.id, r.created_at, r.available_at, r.updated_at, r.amount, r.currency, r.status, r.kind, r.source,
                   r.description, r.decline_reason, p.name AS program_name,
                   c.name AS customer_name, c.email AS customer_email, c."key" AS customer_key
            FROM rewards r
            JOIN programs p ON p.id = r.program_id
            LEFT JOIN customers c ON c.id = r.customer_id
            WHERE \(rewardConditions(filters))
            ORDER BY r.created_at DESC, r.id
            LIMIT \(literal: limit)
            """
        return try await sql.raw(query).all(decoding: RewardRow.self)
    }

    /// Per currency: how many rewards match, and what they total leaving out declined ones.
    static func rewardTotals(_ filters: ReportFilters, on sql: any SQLDatabase) async throws -> [CurrencyTotal] {
        guard !filters.partnershipIDs.isEmpty else { return [] }
        let query: SQLQueryString = """
            SELECT r.currency AS currency, COUNT(*) AS count,
                   CAST(SUM(CASE WHEN r.status <> \(bind: RewardStatus.declined.rawValue) THEN r.amount ELSE 0 END) AS BIGINT) AS earned
            FROM rewards r
            WHERE \(rewardConditions(filters))
            GROUP BY r.currency
            ORDER BY r.currency
            """
        return try await sql.raw(query).all(decoding: CurrencyTotal.self)
    }
}
