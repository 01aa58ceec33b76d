import FluentKit
import Foundation
import SQLKit
import TandemDomain

/// Withdrawals: claiming exactly the available rewards, and the provider's outcome.
/// Call inside a transaction (the caller also enqueues the payout job in it).
public enum WithdrawalLedger {
    public enum Failure: Error, Equatable {
        case noPayoutMethod
        case nothingAvailable
        case negativeBalance(Int64)
        case belowMinimum(minimum: Int64, available: Int64)
        /// Another withdrawal took some of the rewards between reading and claiming them.
        case conflict
        case notFound
        case notAllowed(current: WithdrawalStatus)
    }

    struct Candidate: Decodable {
        let id: UUID
        let partnership_id: UUID
        let amount: Int64
        let min_withdrawal: Int64
        let program_id: UUID
        let company_id: UUID
    }

    /// Claims every available reward of the account in `currency` (of `programIDs` only, when
    /// given: a vendor's retry takes only its own programs' rewards) for a new withdrawal.
    /// Two requests racing (tabs, nodes, API and page) cannot both claim a reward: the
    /// claiming UPDATE only takes rewards no withdrawal holds, and if it takes fewer than
    /// were counted the whole transaction is refused.
    public static func request(
        accountID: UUID, currency: Currency, provider: PayoutProviderID, recipient: String, programIDs: [UUID]? = nil,
        actor: String, now: Date, on db: any Database
    ) async throws -> Withdrawal {
        let sql = db as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            // Serialise one account's withdrawals; other accounts are not blocked.
            _ = try await sql.raw("SELECT id FROM partner_accounts WHERE id = \(bind: accountID) FOR UPDATE").all()
        }
        var onlyPrograms: SQLQueryString = ""
        if let programIDs {
            guard !programIDs.isEmpty else { throw Failure.nothingAvailable }
            let ids: [any Encodable & Sendable] = programIDs
            onlyPrograms = " AND r.program_id IN (\(binds: ids))"
        }
        let candidates = try await sql.raw("""
            SELECT r.id, r.partnership_id, r.amount, g.min_withdrawal, r.program_id, g.company_id FROM rewards r
            JOIN partnerships p ON p.id = r.partnership_id JOIN programs g ON g.id = r.program_id
            WHERE p.partner_account_id = \(bind: accountID) AND r.currency = \(bind: currency.code)
              AND r.status = 'available' AND r.withdrawal_id IS NULL\(onlyPrograms)
            """).all(decoding: Candidate.self)
        let total = try candidates.map(\.amount).checkedSum()
        guard !candidates.isEmpty, total != 0 else { throw Failure.nothingAvailable }
        guard total > 0 else { throw Failure.negativeBalance(total) }
        // Across programs the balances add up; the strictest minimum among them applies.
        let minimum = candidates.filter { $0.amount > 0 }.map(\.min_withdrawal).max() ?? 0
        guard total >= minimum else { throw Failure.belowMinimum(minimum: minimum, available: total) }

        let withdrawal = Withdrawal(accountID: accountID, currency: currency, amount: total, provider: provider, recipient: recipient, now: now)
        withdrawal.rewardCount = Int64(candidates.count)
        try await withdrawal.create(on: db)
        let withdrawalID = try withdrawal.requireID()
        var claimed = 0
        for chunk in candidates.map(\.id).chunked(500) {
            claimed += try await sql.update(Reward.schema)
                .set("withdrawal_id", to: withdrawalID)
                .set("updated_at", to: now)
                .where("id", .in, Array(chunk))
                .where(GuardColumn("withdrawal_id"), .is, SQLLiteral.null)
                .where(GuardColumn("status"), .equal, SQLBind(RewardStatus.available.rawValue))
                .returning("id")
                .all().count
        }
        guard claimed == candidates.count else { throw Failure.conflict }
        try await RewardBalances.apply(candidates.map { .init(partnershipID: $0.partnership_id, from: .available, to: .inWithdrawal, amount: $0.amount) }, on: sql)
        try await WithdrawalShares.record(withdrawalID: withdrawalID, claimed: candidates.map { ($0.program_id, $0.company_id, $0.amount) }, on: sql)
        try await record(withdrawalID, from: nil, to: .requested, actor: actor, reason: "\(candidates.count) rewards", at: now, on: db)
        return withdrawal
    }

    /// requested → processing, when the payout is handed to the provider.
    public static func markProcessing(_ id: UUID, reference: String?, actor: String, now: Date, on db: any Database) async throws {
        try await transition(id, from: [.requested], to: .processing, reference: reference, reason: nil, actor: actor, now: now, on: db)
    }

    /// → paid: its rewards become paid.
    public static func markPaid(_ id: UUID, reference: String?, actor: String, now: Date, on db: any Database) async throws {
        try await transition(id, from: [.requested, .processing], to: .paid, reference: reference, reason: nil, actor: actor, now: now, on: db)
        let sql = db as! any SQLDatabase
        struct Row: Decodable { let id: UUID; let partnership_id: UUID; let created_at: Date; let amount: Int64 }
        let rewards = try await sql.update(Reward.schema)
            .set("status", to: RewardStatus.paid.rawValue).set("updated_at", to: now)
            .where("withdrawal_id", .equal, id).where("status", .equal, RewardStatus.available.rawValue)
            .returning("id", "partnership_id", "created_at", "amount").all(decoding: Row.self)
        try await RewardLedger.recordMany(rewards: rewards.map(\.id), from: .available, to: .paid, actor: actor, reason: "withdrawal \(id.uuidString) paid", at: now, on: db)
        try await PartnershipDaily.rewardsMoved(rewards.map { ($0.partnership_id, $0.created_at, $0.amount) }, from: .available, to: .paid, on: sql)
        try await RewardBalances.apply(rewards.map { .init(partnershipID: $0.partnership_id, from: .inWithdrawal, to: .paid, amount: $0.amount) }, on: sql)
    }

    /// → failed: its rewards return to available, for the next withdrawal.
    public static func markFailed(_ id: UUID, reason: String, actor: String, now: Date, on db: any Database) async throws {
        try await transition(id, from: [.requested, .processing], to: .failed, reference: nil, reason: reason, actor: actor, now: now, on: db)
        let sql = db as! any SQLDatabase
        struct Row: Decodable { let partnership_id: UUID; let amount: Int64 }
        let returned = try await sql.update(Reward.schema)
            .set("withdrawal_id", to: SQLLiteral.null).set("updated_at", to: now)
            .where("withdrawal_id", .equal, id).where("status", .equal, RewardStatus.available.rawValue)
            .returning("partnership_id", "amount").all(decoding: Row.self)
        try await sql.update(Withdrawal.schema).set("reward_count", to: 0).where("id", .equal, id).run()
        try await RewardBalances.apply(returned.map { .init(partnershipID: $0.partnership_id, from: .inWithdrawal, to: .available, amount: $0.amount) }, on: sql)
    }

    static func transition(
        _ id: UUID, from: [WithdrawalStatus], to: WithdrawalStatus, reference: String?, reason: String?, actor: String, now: Date, on db: any Database
    ) async throws {
        guard let withdrawal = try await Withdrawal.find(id, on: db) else { throw Failure.notFound }
        let update = (db as! any SQLDatabase).update(Withdrawal.schema)
            .set("status", to: to.rawValue).set("updated_at", to: now)
            .where("id", .equal, id).where("status", .in, from.map(\.rawValue))
        if let reference { update.set("provider_reference", to: reference) }
        if let reason { update.set("failure_reason", to: reason) }
        if to == .paid { update.set("paid_at", to: now) }
        guard try await update.returning("id").all().count == 1 else {
            let current = try await Withdrawal.find(id, on: db)?.status ?? withdrawal.status
            throw Failure.notAllowed(current: current)
        }
        try await record(id, from: withdrawal.status, to: to, actor: actor, reason: reason, at: now, on: db)
    }

    static func record(_ id: UUID, from: WithdrawalStatus?, to: WithdrawalStatus, actor: String, reason: String?, at: Date, on db: any Database) async throws {
        try await MoneyEvent(subject: "withdrawal", subjectID: id, from: from?.rawValue, to: to.rawValue, actor: actor, reason: reason, at: at).create(on: db)
        // Every status change of a withdrawal passes here, so its webhook event is written here, in the same transaction.
        try await EventOutbox.withdrawal(id, created: from == nil, at: at, on: db)
    }
}
