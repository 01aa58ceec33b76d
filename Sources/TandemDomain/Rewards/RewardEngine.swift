import Foundation

/// Which rewards an event earns. Pure: the caller stores the event and these rewards
/// in one database transaction.
///
/// Several matching rules give several rewards, in the order the rules were created
/// (oldest first, then by id): that order is the order of the returned drafts.
public enum RewardEngine {
    public enum Event: Sendable, Equatable {
        case signup
        /// `isFirst`: the customer's first transaction in the program.
        case transaction(amount: Int64, occurredAt: Date, customerSignedUpAt: Date, isFirst: Bool)
        case leadQualified
        case dealWon(amount: Int64)
        case partnerJoined

        var trigger: RewardTrigger {
            switch self {
            case .signup: .signup
            case .transaction: .transaction
            case .leadQualified: .leadQualified
            case .dealWon: .dealWon
            case .partnerJoined: .partnerJoined
            }
        }
    }

    public struct Draft: Sendable, Equatable {
        public let ruleID: UUID
        public let amount: Int64
    }

    public static func evaluate(_ event: Event, rules: [RewardRule], groupID: UUID) -> [Draft] {
        rules
            .filter { $0.trigger == event.trigger && ($0.groupID == nil || $0.groupID == groupID) }
            .sorted { ($0.createdAt, $0.id.uuidString) < ($1.createdAt, $1.id.uuidString) }
            .compactMap { rule in
                guard let amount = amount(of: rule, for: event), amount > 0 else { return nil }
                return Draft(ruleID: rule.id, amount: amount)
            }
    }

    static func amount(of rule: RewardRule, for event: Event) -> Int64? {
        switch event {
        case .transaction(let amount, let occurredAt, let signedUpAt, let isFirst):
            if let minimum = rule.minTransactionAmount, amount < minimum { return nil }
            switch rule.durationMonths {
            case nil: break
            case 0?: if !isFirst { return nil }
            case let months?:
                // "For 12 months": payments before the 12-month anniversary of signup.
                if occurredAt >= RewardMath.adding(months: months, to: signedUpAt) { return nil }
            }
            return value(rule.amount, base: amount)
        case .dealWon(let amount):
            return value(rule.amount, base: amount)
        case .signup, .leadQualified, .partnerJoined:
            // Percentages need an amount; for these only flat rules apply.
            if case .flat(let flat) = rule.amount { return flat }
            return nil
        }
    }

    static func value(_ amount: RewardAmount, base: Int64) -> Int64 {
        switch amount {
        case .flat(let flat): flat
        case .percent(let bp): RewardMath.percent(base, basisPoints: bp)
        }
    }
}
