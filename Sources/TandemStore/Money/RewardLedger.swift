import FluentKit
import Foundation
import SQLKit
import TandemDomain

/// Earning, changing and refunding rewards. Every function takes the caller's database
/// so it runs inside the caller's transaction: an event and its rewards commit together.
/// Status changes are conditional UPDATEs (`… WHERE status IN (…)`), so two requests
/// racing cannot both move the same reward.
public enum RewardLedger {
    public enum Failure: Error, Equatable {
        case notFound
        /// The action is not possible from the reward's current status.
        case notAllowed(current: RewardStatus)
        /// A withdrawal holds the reward; it can no longer change by hand.
        case inWithdrawal
    }

    /// A vendor's manual reward: pending like any other, through the hold period.
    public static func manual(
        partnership: Partnership, program: Program, amount: Int64, description: String, actor: String, now: Date, on db: any Database
    ) async throws -> Reward {
        let id = db.identifiers.uuid()
        let reward = Reward(
            programID: try program.requireID(), partnershipID: try partnership.requireID(), kind: .manual, ruleID: nil,
            source: "manual:\(id.uuidString)", customerID: nil, transactionID: nil, amount: amount, currency: program.currency,
            status: .pending, availableAt: now.addingTimeInterval(Double(program.holdDays) * 86_400), description: description, now: now
        )
        reward.id = id
        try await reward.create(on: db)
        try await record(reward: id, from: nil, to: .pending, actor: actor, reason: "manual reward", at: now, on: db)
        try await rolledUp(partnershipID: reward.$partnership.id, createdAt: reward.createdAt, from: nil, amount: amount, to: .pending, on: db)
        return reward
    }

    /// Approve, hold or decline (with a reason) by the vendor.
    public static func change(
        _ rewardID: UUID, _ action: RewardLifecycle.Action, reason: String?, actor: String, now: Date, on db: any Database
    ) async throws -> Reward {
        guard let reward = try await Reward.find(rewardID, on: db) else { throw Failure.notFound }
        if reward.withdrawalID != nil { throw Failure.inWithdrawal }
        guard let next = RewardLifecycle.apply(action, to: reward.status) else { throw Failure.notAllowed(current: reward.status) }
        let sql = db as! any SQLDatabase
        let update = sql.update(Reward.schema)
            .set("status", to: next.rawValue)
            .set("updated_at", to: now)
            .where("id", .equal, rewardID)
            .where("status", .equal, reward.status.rawValue)
            .where("withdrawal_id", .is, SQLLiteral.null)
        if next == .declined { update.set("decline_reason", to: reason) }
        let changed = try await update.returning("id").all()
        guard changed.count == 1 else {
            // Someone else moved it first: report what it is now.
            let current = try await Reward.find(rewardID, on: db)
            throw current?.withdrawalID != nil ? Failure.inWithdrawal : Failure.notAllowed(current: current?.status ?? reward.status)
        }
        try await record(reward: rewardID, from: reward.status, to: next, actor: actor, reason: reason, at: now, on: db)
        try await rolledUp(partnershipID: reward.$partnership.id, createdAt: reward.createdAt, from: reward.status, amount: reward.amount, to: next, on: db)
        reward.status = next
        if next == .declined { reward.declineReason = reason }
        reward.updatedAt = now
        return reward
    }

    /// Moves every pending reward whose hold has ended to available. Idempotent; safe on many nodes at once.
    /// The daily rollup counts pending and available alike as "not yet paid", so only the balances change.
    @discardableResult
    public static func releaseDue(now: Date, on db: any Database) async throws -> Int {
        let sql = db as! any SQLDatabase
        struct Row: Decodable { let id: UUID; let partnership_id: UUID; let amount: Int64 }
        let released = try await sql.update(Reward.schema)
            .set("status", to: RewardStatus.available.rawValue)
            .set("updated_at", to: now)
            .where("status", .equal, RewardStatus.pending.rawValue)
            .where("available_at", .lessThanOrEqual, now)
            .returning("id", "partnership_id", "amount")
            .all(decoding: Row.self)
        try await RewardBalances.apply(released.map { .init(partnershipID: $0.partnership_id, from: .pending, to: .available, amount: $0.amount) }, on: sql)
        try await recordMany(rewards: released.map(\.id), from: .pending, to: .available, actor: "system", reason: "hold period ended", at: now, on: db)
        return released.count
    }

    /// After a refund of a transaction: unpaid rewards shrink in proportion (to nothing and
    /// `declined`, reason "refunded", on a full refund); paid ones — or ones a withdrawal
    /// already holds — get a negative clawback for the refunded part.
    public static func applyRefund(
        transaction: SaleTransaction, refundID: UUID, actor: String, now: Date, on db: any Database
    ) async throws {
        let rewards = try await Reward.query(on: db)
            .filter(\.$transaction.$id == transaction.requireID())
            .filter(\.$kind == .rule)
            .all()
        for reward in rewards where reward.status != .declined {
            let target = RefundMath.remaining(original: reward.originalAmount, transactionAmount: transaction.amount, refundedTotal: transaction.refundedAmount)
            let rewardID = try reward.requireID()
            if reward.status == .paid || reward.withdrawalID != nil {
                let clawbacks = try await Reward.query(on: db).filter(\.$clawbackOf == rewardID).all()
                let alreadyClawed = try clawbacks.map(\.amount).checkedSum().negatedChecked()
                let owed = (reward.originalAmount - target) - alreadyClawed
                guard owed > 0 else { continue }
                let clawback = Reward(
                    programID: reward.$program.id, partnershipID: reward.$partnership.id, kind: .clawback, ruleID: nil,
                    source: "refund:\(refundID.uuidString):\(rewardID.uuidString)", customerID: reward.$customer.id,
                    transactionID: reward.$transaction.id, amount: -owed, currency: reward.currency, status: .available,
                    availableAt: now, description: "Clawback: refund of \(transaction.externalID)", now: now
                )
                clawback.clawbackOf = rewardID
                try await clawback.create(on: db)
                try await record(reward: clawback.requireID(), from: nil, to: .available, actor: actor, reason: "refund after payout", at: now, on: db)
                try await rolledUp(partnershipID: clawback.$partnership.id, createdAt: clawback.createdAt, from: nil, amount: clawback.amount, to: .available, on: db)
            } else if target == 0 {
                try await Reward.query(on: db).filter(\.$id == rewardID)
                    .set(\.$status, to: .declined).set(\.$declineReason, to: "refunded").set(\.$updatedAt, to: now).update()
                try await record(reward: rewardID, from: reward.status, to: .declined, actor: actor, reason: "refunded", at: now, on: db)
                try await rolledUp(partnershipID: reward.$partnership.id, createdAt: reward.createdAt, from: reward.status, amount: reward.amount, to: .declined, on: db)
            } else if target != reward.amount {
                try await Reward.query(on: db).filter(\.$id == rewardID).set(\.$amount, to: target).set(\.$updatedAt, to: now).update()
                try await rolledUp(partnershipID: reward.$partnership.id, createdAt: reward.createdAt, from: reward.status, amount: reward.amount,
                                                      to: reward.status, newAmount: target, on: db)
                // The status stays, the amount falls: the audit trail and reward.updated say so.
                try await record(reward: rewardID, from: reward.status, to: reward.status, actor: actor,
                                 reason: "refunded in part (\(reward.amount) to \(target))", at: now, on: db)
            }
        }
    }

    /// A reward no withdrawal holds appeared, changed status, or changed amount (same status, old
    /// and new amounts): the daily rollup and the balances follow in the same transaction.
    /// Only these rewards change by hand or by a refund; a withdrawal's own go through `WithdrawalLedger`.
    static func rolledUp(
        partnershipID: UUID, createdAt: Date, from: RewardStatus?, amount: Int64, to: RewardStatus?, newAmount: Int64? = nil, on db: any Database
    ) async throws {
        try await PartnershipDaily.rewardMoved(partnershipID: partnershipID, createdAt: createdAt, from: from, amount: amount, to: to, newAmount: newAmount, on: db)
        try await RewardBalances.apply([RewardBalances.Move(
            partnershipID: partnershipID, from: from.map { .init(status: $0, claimed: false) }, to: to.map { .init(status: $0, claimed: false) },
            amount: amount, newAmount: newAmount
        )], on: db as! any SQLDatabase)
    }

    /// `record` for many rewards making the same move (a withdrawal paid, holds ended): the audit
    /// trail and the webhook events in a few inserts, so paying a withdrawal of fifty thousand
    /// rewards takes seconds, not minutes.
    static func recordMany(rewards ids: [UUID], from: RewardStatus, to: RewardStatus, actor: String, reason: String?, at: Date, on db: any Database) async throws {
        for chunk in ids.chunked(500) {
            try await chunk.map { MoneyEvent(subject: "reward", subjectID: $0, from: from.rawValue, to: to.rawValue, actor: actor, reason: reason, at: at) }.create(on: db)
            try await EventOutbox.rewardsUpdated(Array(chunk), previous: from, reason: reason, at: at, on: db)
        }
    }

    static func record(reward id: UUID, from: RewardStatus?, to: RewardStatus, actor: String, reason: String?, at: Date, on db: any Database) async throws {
        try await MoneyEvent(subject: "reward", subjectID: id, from: from?.rawValue, to: to.rawValue, actor: actor, reason: reason, at: at).create(on: db)
        // Every status change of a reward passes here, so its webhook event is written here, in the same transaction.
        try await EventOutbox.reward(id, previous: from, reason: reason, at: at, on: db)
    }
}
