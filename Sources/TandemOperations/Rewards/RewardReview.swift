import FluentKit
import Foundation
import TandemDomain
import TandemStore

/// The vendor's review of the rewards partners earn: approve early, hold, decline with a
/// reason the partner sees, and manual (custom) rewards. Each runs in one transaction
/// through `RewardLedger`, which keeps `partnership_daily` and `money_events` true.
public enum RewardReview {
    public static let maxReason = 500
    public static let maxDescription = 300

    /// Approves, holds or declines a reward of one of `companyID`'s programs.
    public static func act(
        _ action: RewardLifecycle.Action, rewardID: UUID, companyID: UUID, reason rawReason: String?, actor: Actor, now: Date, on db: any Database
    ) async throws -> (reward: Reward, programSlug: String) {
        guard let existing = try await Reward.query(on: db).filter(\.$id == rewardID).with(\.$program).first(),
              existing.program.$company.id == companyID else { throw OperationError.notFound(what: "reward") }
        let reason = rawReason?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty
        if action == .decline {
            guard let reason else { throw OperationError.invalid(field: "reason", message: "Give a reason to decline: the partner sees it.") }
            guard reason.count <= maxReason else { throw OperationError.invalid(field: "reason", message: "Keep the reason under \(maxReason) characters.") }
        }
        do {
            let reward = try await db.transaction { db in
                try await RewardLedger.change(rewardID, action, reason: reason, actor: actor.recorded, now: now, on: db)
            }
            return (reward, existing.program.slug)
        } catch let failure as RewardLedger.Failure {
            switch failure {
            case .notFound: throw OperationError.notFound(what: "reward")
            case .inWithdrawal:
                throw OperationError.conflict(code: "reward_in_withdrawal", message: "This reward is part of a withdrawal and can no longer change.")
            case .notAllowed(let current):
                throw OperationError.conflict(code: "invalid_transition", message: "A \(current.rawValue) reward cannot be \(action == .hold ? "held" : action.rawValue + "d").")
            }
        }
    }

    /// What a review of many rewards did: those changed, and each refusal with its reward.
    public struct Outcome: Sendable {
        public var changed: [UUID] = []
        public var refused: [(id: UUID, refusal: OperationError)] = []
    }

    public static let maxBulk = 500

    /// The same action on many rewards (the console's selected rows, the API's bulk call).
    /// A missing decline reason refuses the whole request before anything changes; after
    /// that each reward changes in its own transaction, and one that cannot (paid, in a
    /// withdrawal, another company's) is reported without stopping the others.
    public static func act(
        _ action: RewardLifecycle.Action, rewardIDs: [UUID], companyID: UUID, reason rawReason: String?, actor: Actor, now: Date, on db: any Database
    ) async throws -> Outcome {
        guard !rewardIDs.isEmpty else { throw OperationError.missing(field: "rewards", message: "Choose at least one reward.") }
        guard rewardIDs.count <= maxBulk else { throw OperationError.invalid(field: "rewards", message: "Review at most \(maxBulk) rewards at a time.") }
        let reason = rawReason?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty
        if action == .decline {
            guard let reason else { throw OperationError.invalid(field: "reason", message: "Give a reason to decline: the partner sees it.") }
            guard reason.count <= maxReason else { throw OperationError.invalid(field: "reason", message: "Keep the reason under \(maxReason) characters.") }
        }
        var outcome = Outcome()
        var seen = Set<UUID>()
        for id in rewardIDs where seen.insert(id).inserted {
            do {
                _ = try await act(action, rewardID: id, companyID: companyID, reason: reason, actor: actor, now: now, on: db)
                outcome.changed.append(id)
            } catch let refusal as OperationError {
                outcome.refused.append((id, refusal))
            }
        }
        return outcome
    }

    /// A reward the vendor gives by hand (a bonus, a correction), pending like any other.
    public static func manual(
        partnershipID: UUID, companyID: UUID, amount: Int64, currency code: String?, description rawDescription: String?,
        actor: Actor, now: Date, on db: any Database
    ) async throws -> (reward: Reward, programSlug: String) {
        guard let partnership = try await Partnership.query(on: db).filter(\.$id == partnershipID).with(\.$program).first(),
              partnership.program.$company.id == companyID else { throw OperationError.notFound(what: "partnership") }
        guard amount > 0 else { throw OperationError.invalid(field: "amount", message: "`amount` must be a positive number of minor units.") }
        if let code {
            guard let currency = Currency(code: code) else { throw OperationError.invalid(field: "currency", message: "`currency` must be an ISO 4217 code such as USD.") }
            guard currency == partnership.program.currency else {
                throw OperationError.invalid(field: "currency", message: "This program pays in \(partnership.program.currencyCode).")
            }
        }
        guard let description = rawDescription?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty, description.count <= maxDescription else {
            throw OperationError.invalid(field: "description", message: "`description` is required (the partner sees it), at most \(maxDescription) characters.")
        }
        let reward = try await db.transaction { db in
            try await RewardLedger.manual(partnership: partnership, program: partnership.program, amount: amount, description: description,
                                          actor: actor.recorded, now: now, on: db)
        }
        return (reward, partnership.program.slug)
    }
}

extension String {
    /// nil for the empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}
