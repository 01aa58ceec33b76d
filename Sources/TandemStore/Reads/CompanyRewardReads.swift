import Foundation
import SQLKit
import TandemDomain

/// A company's rewards as the vendor console lists them: plain rows, one page at a time,
/// scoped by the company's program ids (a reward of another company is never read).
public enum CompanyRewardReads {
    public struct Filter: Sendable {
        /// The company's programs, or the one chosen.
        public var programIDs: [UUID]
        public var partnershipID: UUID?
        public var status: RewardStatus?
        public var from: Date?
        public var toExclusive: Date?

        public init(programIDs: [UUID], partnershipID: UUID? = nil, status: RewardStatus? = nil, from: Date? = nil, toExclusive: Date? = nil) {
            self.programIDs = programIDs
            self.partnershipID = partnershipID
            self.status = status
            self.from = from
            self.toExclusive = toExclusive
        }
    }

    public struct Row: Decodable, Sendable {
        public let id: UUID
        public let created_at: Date
        public let amount: Int64
        public let currency: String
        public let status: RewardStatus
        public let kind: String
        public let source: String
        public let description: String
        public let decline_reason: String?
        public let withdrawal_id: UUID?
        public let partnership_id: UUID
        public let program_name: String
        public let partner_name: String
        public let customer_name: String?
        public let customer_email: String?
        public let customer_key: String?

        public var state: RewardState { RewardState(status: status, inWithdrawal: withdrawal_id != nil) }
        public var money: Money { Money(amount: amount, currency: Currency(code: currency) ?? .usd) }
        public var customer: String { customer_name ?? customer_email ?? customer_key ?? "" }
        /// A pending, held or available reward not yet in a withdrawal can still be reviewed.
        public var reviewable: Bool { withdrawal_id == nil && [.pending, .held, .available].contains(status) }
    }

    static func conditions(_ filter: Filter) -> SQLQueryString {
        let ids: [any Encodable & Sendable] = filter.programIDs
        var sql: SQLQueryString = "r.program_id IN (\(binds: ids))"
        if let partnership = filter.partnershipID { sql += " AND r.partnership_id = \(bind: partnership)" }
        if let status = filter.status { sql += " AND r.status = \(bind: status.rawValue)" }
        if let from = filter.from { sql += " AND r.created_at >= \(bind: from)" }
        if let to = filter.toExclusive { sql += " AND r.created_at < \(bind: to)" }
        return sql
    }

    /// Newest first; the page of ids is picked from the (program, created_at) index before
    /// anything is joined.
    public static func page(_ filter: Filter, limit: Int, offset: Int, on sql: any SQLDatabase) async throws -> [Row] {
        guard !filter.programIDs.isEmpty else { return [] }
        return try await sql.raw("""
            SELECT r.id, r.created_at, r.amount, r.currency, r.status, r.kind, r.source, r.description, r.decline_reason,
                   r.withdrawal_id, r.partnership_id, p.name AS program_name, a.name AS partner_name,
                   c.name AS customer_name, c.email AS customer_email, c."key" AS customer_key
            FROM (SELECT r.id FROM rewards r WHERE \(conditions(filter)) ORDER BY r.created_at DESC, r.id LIMIT \(literal: limit) OFFSET \(literal: offset)) picked
            JOIN rewards r ON r.id = picked.id
            JOIN programs p ON p.id = r.program_id
            JOIN partnerships s ON s.id = r.partnership_id
            JOIN partner_accounts a ON a.id = s.partner_account_id
            LEFT JOIN customers c ON c.id = r.customer_id
            ORDER BY r.created_at DESC, r.id
            """).all(decoding: Row.self)
    }

    /// How many rewards of these programs are in each status (the to-do box and the filter
    /// tabs), from the per-partnership balances.
    public static func statusCounts(programIDs: [UUID], on sql: any SQLDatabase) async throws -> [RewardStatus: Int64] {
        var counts: [RewardStatus: Int64] = [:]
        for states in try await RewardBalances.of(programIDs: programIDs, on: sql).values {
            for (state, tally) in states {
                counts[state.status] = try (counts[state.status] ?? 0).addingChecked(tally.rewards)
            }
        }
        return counts
    }
}
