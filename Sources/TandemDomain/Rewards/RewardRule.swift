import Foundation

/// What earns a reward.
public enum RewardTrigger: String, Codable, Sendable, CaseIterable {
    case signup, transaction
    case leadQualified = "lead_qualified"
    case dealWon = "deal_won"
    case partnerJoined = "partner_joined"
}

/// How much: a flat amount, or a percentage of the transaction (or deal) amount.
public enum RewardAmount: Sendable, Equatable {
    case flat(Int64)
    /// Hundredths of a percent: 2000 is 20 %, 1250 is 12.5 %. Never a floating point.
    case percent(basisPoints: Int64)
}

/// A reward rule of a program, as the engine needs it.
public struct RewardRule: Sendable, Equatable, Identifiable {
    public let id: UUID
    public let trigger: RewardTrigger
    public let amount: RewardAmount
    /// nil: lifetime; 0: the customer's first transaction only; N: transactions in the first N months after signup.
    public let durationMonths: Int?
    public let minTransactionAmount: Int64?
    /// nil: every group of the program.
    public let groupID: UUID?
    public let createdAt: Date

    public init(id: UUID, trigger: RewardTrigger, amount: RewardAmount, durationMonths: Int?, minTransactionAmount: Int64?, groupID: UUID?, createdAt: Date) {
        self.id = id
        self.trigger = trigger
        self.amount = amount
        self.durationMonths = durationMonths
        self.minTransactionAmount = minTransactionAmount
        self.groupID = groupID
        self.createdAt = createdAt
    }

    /// "20% of every payment for 12 months", "$50.00 per signup": what the partner reads.
    public func summary(currency: Currency) -> String {
        let what: String
        switch amount {
        case .flat(let minor): what = Money(amount: minor, currency: currency).formatted
        case .percent(let bp): what = RewardMath.percentText(bp) + "%"
        }
        let of: String
        switch trigger {
        case .signup: of = "for every customer who signs up"
        case .transaction:
            switch (amount, durationMonths) {
            case (.percent, 0?): of = "of the first payment"
            case (.flat, 0?): of = "for the first payment"
            case (.percent, let months?): of = "of every payment for \(months) month\(months == 1 ? "" : "s")"
            case (.flat, let months?): of = "for every payment for \(months) month\(months == 1 ? "" : "s")"
            case (.percent, nil): of = "of every payment, for life"
            case (.flat, nil): of = "for every payment, for life"
            }
        case .leadQualified: of = "for every qualified lead"
        case .dealWon: of = case_percent(amount) ? "of every won deal" : "for every won deal"
        case .partnerJoined: of = "when you join"
        }
        var text = what + " " + of
        if let minimum = minTransactionAmount, minimum > 0, trigger == .transaction {
            text += " over " + Money(amount: minimum, currency: currency).formatted
        }
        return text
    }

    private func case_percent(_ amount: RewardAmount) -> Bool {
        if case .percent = amount { return true }
        return false
    }
}
