import FluentKit
import Foundation
import SQLKit
import TandemDomain
import TandemStore

/// What the vendor does about a withdrawal of its programs: mark a `manual` one paid once it
/// paid it outside Tandem (its rewards become paid), or try a failed one again.
public enum ManualPayouts {
    public static let maxReference = 200

    /// Marks the withdrawal paid when everything it pays is `companyID`'s; returns it and its
    /// rewards' ids. `reference`: the vendor's own record of the payment (a bank transfer id).
    public static func markPaid(
        withdrawalID: UUID, companyID: UUID, reference rawReference: String? = nil, actor: Actor, now: Date, on db: any Database
    ) async throws -> (withdrawal: Withdrawal, rewardIDs: [UUID]) {
        let withdrawal = try await owned(withdrawalID, companyID: companyID, on: db)
        let reference = rawReference?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty ?? "manual"
        guard reference.count <= maxReference, !TextRules.hasControlCharacter(reference) else {
            throw OperationError.invalid(field: "reference", message: "The reference must be at most \(maxReference) characters of plain text.")
        }
        guard withdrawal.provider == .manual else {
            throw OperationError.conflict(code: "not_manual", message: "This withdrawal is paid through \(withdrawal.provider.label); Tandem marks it paid when the provider confirms.")
        }
        do {
            try await db.transaction { db in
                try await WithdrawalLedger.markPaid(withdrawalID, reference: reference, actor: actor.recorded, now: now, on: db)
            }
        } catch WithdrawalLedger.Failure.notAllowed(let current) {
            throw OperationError.conflict(code: "invalid_transition", message: "A \(current.rawValue) withdrawal cannot be marked paid.")
        }
        guard let updated = try await Withdrawal.find(withdrawalID, on: db) else { throw OperationError.notFound(what: "withdrawal") }
        let rewards = try await RewardReads.ids(withdrawalIDs: [withdrawalID], on: db as! any SQLDatabase)[withdrawalID] ?? []
        return (updated, rewards)
    }

    /// A failed withdrawal tried again: its rewards went back to available when it failed, so
    /// a new withdrawal claims the partner's available rewards of the same programs, paid to
    /// the partner's payout method as it is now (the usual fix is a corrected PayPal address).
    public static func retry(
        withdrawalID: UUID, companyID: UUID, liveProviders: Set<String>, actor: Actor, now: Date, on db: any Database
    ) async throws -> Withdrawal {
        let failed = try await owned(withdrawalID, companyID: companyID, on: db)
        guard failed.status == .failed else {
            throw OperationError.conflict(code: "invalid_transition", message: "Only a failed withdrawal can be tried again; this one is \(failed.status.rawValue).")
        }
        let programIDs = try await WithdrawalShares.of(withdrawalIDs: [withdrawalID], on: db as! any SQLDatabase)[withdrawalID]?.map(\.program_id) ?? []
        return try await WithdrawalRequests.request(
            accountID: failed.$partnerAccount.id, currency: failed.currency, liveProviders: liveProviders, programIDs: programIDs,
            actor: actor, now: now, on: db
        )
    }

    /// The withdrawal, when every program it pays is `companyID`'s.
    static func owned(_ id: UUID, companyID: UUID, on db: any Database) async throws -> Withdrawal {
        let shares = try await WithdrawalShares.of(withdrawalIDs: [id], on: db as! any SQLDatabase)[id] ?? []
        guard shares.contains(where: { $0.company_id == companyID }), let withdrawal = try await Withdrawal.find(id, on: db) else {
            throw OperationError.notFound(what: "withdrawal")
        }
        guard shares.allSatisfy({ $0.company_id == companyID }) else {
            throw OperationError.forbidden(code: "shared_withdrawal", message: "This withdrawal includes other companies' rewards; the platform operator settles it.")
        }
        return withdrawal
    }
}
