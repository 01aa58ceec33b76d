import FluentKit
import Foundation
import TandemDomain

/// Money a partnership earned (or, negative, owes back: a clawback).
public final class Reward: Model, @unchecked Sendable {
    public static let schema = "rewards"

    public enum Kind: String, Codable, Sendable {
        /// Earned under a reward rule by an event.
        case rule
        /// Given by the vendor by hand.
        case manual
        /// Negative: a refund after payout takes back part of a paid reward.
        case clawback
    }

    @ID(key: .id) public var id: UUID?
    @Parent(key: "program_id") public var program: Program
    @Parent(key: "partnership_id") public var partnership: Partnership
    @Enum(key: "kind") public var kind: Kind
    @OptionalParent(key: "rule_id") public var rule: RewardRuleRecord?
    /// What earned it: "signup:<customer>", "transaction:<id>", "lead:<id>", "deal:<id>", "join:<partnership>",
    /// "refund:<id>" for clawbacks, "manual:<id>". With the rule, unique: an event pays a rule once.
    @Field(key: "source") public var source: String
    @OptionalParent(key: "customer_id") public var customer: Customer?
    @OptionalParent(key: "transaction_id") public var transaction: SaleTransaction?
    /// The amount when earned; refunds scale `amount` down from this.
    @Field(key: "original_amount") public var originalAmount: Int64
    @Field(key: "amount") public var amount: Int64
    /// The ISO code as stored; `currency` is the typed value every caller uses.
    @Field(key: "currency") public var currencyCode: String
    @Enum(key: "status") public var status: RewardStatus
    /// When the hold period ends and the release job makes it available.
    @Field(key: "available_at") public var availableAt: Date
    @OptionalField(key: "decline_reason") public var declineReason: String?
    /// Set while a withdrawal holds the reward (requested or processing) and once it is paid.
    @OptionalField(key: "withdrawal_id") public var withdrawalID: UUID?
    /// For a clawback: the paid reward it claws back.
    @OptionalField(key: "clawback_of") public var clawbackOf: UUID?
    @Field(key: "description") public var description: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public init(programID: UUID, partnershipID: UUID, kind: Kind, ruleID: UUID?, source: String, customerID: UUID?, transactionID: UUID?,
                amount: Int64, currency: Currency, status: RewardStatus, availableAt: Date, description: String, now: Date) {
        self.$program.id = programID
        self.$partnership.id = partnershipID
        self.kind = kind
        self.$rule.id = ruleID
        self.source = source
        self.$customer.id = customerID
        self.$transaction.id = transactionID
        self.originalAmount = amount
        self.amount = amount
        self.currencyCode = currency.code
        self.status = status
        self.availableAt = availableAt
        self.description = description
        self.createdAt = now
        self.updatedAt = now
    }
}

extension Reward {
    /// How every page and export names this reward's state.
    public var state: RewardState { RewardState(status: status, inWithdrawal: withdrawalID != nil) }
}

extension Reward {
    /// Only known currencies are ever stored (every writer passes a `Currency`).
    public var currency: Currency { Currency(code: currencyCode) ?? .usd }
}
