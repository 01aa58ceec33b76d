import FluentKit
import Foundation
import TandemDomain
import TandemStore

/// A `manual` withdrawal (no provider credentials, or a provider Tandem does not pay through)
/// is paid by the vendor outside Tandem, who then marks it paid here: its rewards become paid.
public enum ManualPayouts {
    /// Marks the withdrawal paid when every reward in it is `companyID`'s; returns it and its rewards' ids.
    public static func markPaid(withdrawalID: UUID, companyID: UUID, actor: Actor, now: Date, on db: any Database) async throws -> (withdrawal: Withdrawal, rewardIDs: [UUID]) {
        guard let withdrawal = try await Withdrawal.find(withdrawalID, on: db) else { throw OperationError.notFound(what: "withdrawal") }
        let rewards = try await Reward.query(on: db).filter(\.$withdrawalID == withdrawalID).with(\.$program).all()
        guard !rewards.isEmpty, rewards.contains(where: { $0.program.$company.id == companyID }) else { throw OperationError.notFound(what: "withdrawal") }
        guard rewards.allSatisfy({ $0.program.$company.id == companyID }) else {
            throw OperationError.forbidden(code: "shared_withdrawal", message: "This withdrawal includes other companies' rewards; the platform operator settles it.")
        }
        guard withdrawal.provider == .manual else {
            throw OperationError.conflict(code: "not_manual", message: "This withdrawal is paid through \(withdrawal.provider.label); Tandem marks it paid when the provider confirms.")
        }
        do {
            try await db.transaction { db in
                try await WithdrawalLedger.markPaid(withdrawalID, reference: "manual", actor: actor.recorded, now: now, on: db)
            }
        } catch WithdrawalLedger.Failure.notAllowed(let current) {
            throw OperationError.conflict(code: "invalid_transition", message: "A \(current.rawValue) withdrawal cannot be marked paid.")
        }
        guard let updated = try await Withdrawal.find(withdrawalID, on: db) else { throw OperationError.notFound(what: "withdrawal") }
        return (updated, rewards.compactMap(\.id))
    }
}
