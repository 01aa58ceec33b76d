import Foundation
import SQLKit
import TandemDomain

/// Per partnership and reward state: how many rewards and how much money. Rewards & Withdrawals,
/// Reporting Rewards, the vendor's Overview and its Rewards tabs read these few rows instead of
/// summing a partnership's rewards, which a busy partnership has by the hundred thousand.
///
/// Every writer of a reward's status, amount or withdrawal adds its change here in the same
/// transaction (`RewardLedger`, `WithdrawalLedger`), as increments of an upsert so two
/// transactions commute; `tandem check-rollups` compares it with the rewards themselves.
public enum RewardBalances {
    public static let table = "reward_balances"

    /// A reward's state as balances count it: its status, with an available reward that a
    /// withdrawal holds counted apart (`RewardState.code` names the same states).
    public enum State: String, CaseIterable, Sendable, Decodable {
        case pending, held, available, inWithdrawal = "in_withdrawal", paid, declined

        public init(status: RewardStatus, claimed: Bool) {
            switch status {
            case .pending: self = .pending
            case .held: self = .held
            case .available: self = claimed ? .inWithdrawal : .available
            case .paid: self = .paid
            case .declined: self = .declined
            }
        }

        /// The status a filter by status finds it under.
        public var status: RewardStatus {
            switch self {
            case .pending: .pending
            case .held: .held
            case .available, .inWithdrawal: .available
            case .paid: .paid
            case .declined: .declined
            }
        }
    }

    /// How many rewards and how much money.
    public struct Tally: Sendable, Equatable {
        public var rewards: Int64 = 0
        public var amount: Int64 = 0

        public init(rewards: Int64 = 0, amount: Int64 = 0) {
            self.rewards = rewards
            self.amount = amount
        }

        func adding(_ other: Tally) throws(AmountOverflow) -> Tally {
            Tally(rewards: try rewards.addingChecked(other.rewards), amount: try amount.addingChecked(other.amount))
        }
    }

    /// One reward's move: it appeared (`from` nil), changed state, or changed amount in the
    /// same state (`newAmount`).
    public struct Move: Sendable {
        public let partnershipID: UUID
        public let from: State?
        public let to: State?
        public let amount: Int64
        public let newAmount: Int64?

        public init(partnershipID: UUID, from: State?, to: State?, amount: Int64, newAmount: Int64? = nil) {
            self.partnershipID = partnershipID
            self.from = from
            self.to = to
            self.amount = amount
            self.newAmount = newAmount
        }
    }

    struct Key: Hashable {
        let partnershipID: UUID
        let state: State
    }

    // MARK: Writing

    /// Applies the moves: one upsert per changed (partnership, state).
    public static func apply(_ moves: [Move], on sql: any SQLDatabase) async throws {
        var deltas: [Key: Tally] = [:]
        var order: [Key] = []
        func add(_ key: Key, _ tally: Tally) throws {
            if deltas[key] == nil { order.append(key) }
            deltas[key] = try (deltas[key] ?? Tally()).adding(tally)
        }
        for move in moves {
            if let from = move.from { try add(Key(partnershipID: move.partnershipID, state: from), Tally(rewards: -1, amount: try move.amount.negatedChecked())) }
            if let to = move.to { try add(Key(partnershipID: move.partnershipID, state: to), Tally(rewards: 1, amount: move.newAmount ?? move.amount)) }
        }
        let rows = order.compactMap { key in deltas[key].flatMap { $0 == Tally() ? nil : (key, $0) } }
        for chunk in rows.chunked(200) {
            let insert = sql.insert(into: table).columns("partnership_id", "state", "rewards", "amount")
            for (key, tally) in chunk {
                insert.values(SQLBind(key.partnershipID), SQLBind(key.state.rawValue), SQLBind(tally.rewards), SQLBind(tally.amount))
            }
            try await insert.onConflict(with: ["partnership_id", "state"]) { update in
                ["rewards", "amount"].reduce(update) { update, column in
                    update.set(column, to: SQLBinaryExpression(SQLColumn(column, table: table), .add, SQLExcludedColumn(column)))
                }
            }.run()
        }
    }

    // MARK: Reading

    struct Row: Decodable {
        let partnership_id: UUID
        let state: State
        let rewards: Int64
        let amount: Int64
    }

    /// The balances of these partnerships: only states that hold a reward.
    public static func of(partnershipIDs: [UUID], on sql: any SQLDatabase) async throws -> [UUID: [State: Tally]] {
        guard !partnershipIDs.isEmpty else { return [:] }
        let ids: [any Encodable & Sendable] = partnershipIDs
        return collect(try await sql.raw("""
            SELECT partnership_id, state, rewards, amount FROM \(unsafeRaw: table) WHERE partnership_id IN (\(binds: ids)) AND rewards <> 0
            """).all(decoding: Row.self))
    }

    /// Per program of these programs, summed over its partnerships.
    public static func of(programIDs: [UUID], on sql: any SQLDatabase) async throws -> [UUID: [State: Tally]] {
        guard !programIDs.isEmpty else { return [:] }
        let ids: [any Encodable & Sendable] = programIDs
        struct Summed: Decodable { let program_id: UUID; let state: State; let rewards: Int64?; let amount: Int64? }
        var result: [UUID: [State: Tally]] = [:]
        for row in try await sql.raw("""
            SELECT s.program_id, b.state, CAST(SUM(b.rewards) AS BIGINT) AS rewards, CAST(SUM(b.amount) AS BIGINT) AS amount
            FROM \(unsafeRaw: table) b JOIN partnerships s ON s.id = b.partnership_id
            WHERE s.program_id IN (\(binds: ids)) AND b.rewards <> 0 GROUP BY s.program_id, b.state
            """).all(decoding: Summed.self) {
            result[row.program_id, default: [:]][row.state] = Tally(rewards: row.rewards ?? 0, amount: row.amount ?? 0)
        }
        return result
    }

    /// What the rows should be, from the rewards alone (every partnership with rewards).
    public static func recomputed(on sql: any SQLDatabase) async throws -> [UUID: [State: Tally]] {
        let state = """
            CASE WHEN status = 'available' AND withdrawal_id IS NOT NULL THEN 'in_withdrawal' ELSE status END
            """
        return collect(try await sql.raw("""
            SELECT partnership_id, \(unsafeRaw: state) AS state, CAST(COUNT(*) AS BIGINT) AS rewards, CAST(SUM(amount) AS BIGINT) AS amount
            FROM rewards GROUP BY partnership_id, \(unsafeRaw: state)
            """).all(decoding: Row.self))
    }

    /// Every stored row that holds a reward.
    public static func stored(on sql: any SQLDatabase) async throws -> [UUID: [State: Tally]] {
        collect(try await sql.raw("SELECT partnership_id, state, rewards, amount FROM \(unsafeRaw: table) WHERE rewards <> 0 OR amount <> 0").all(decoding: Row.self))
    }

    static func collect(_ rows: [Row]) -> [UUID: [State: Tally]] {
        var result: [UUID: [State: Tally]] = [:]
        for row in rows { result[row.partnership_id, default: [:]][row.state] = Tally(rewards: row.rewards, amount: row.amount) }
        return result
    }
}
