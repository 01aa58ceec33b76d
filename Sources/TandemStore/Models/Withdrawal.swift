import FluentKit
import Foundation
import TandemDomain

/// A partner cashing out: exactly the rewards whose `withdrawal_id` names it.
public final class Withdrawal: Model, @unchecked Sendable {
    public static let schema = "withdrawals"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "partner_account_id") public var partnerAccount: PartnerAccount
    /// The ISO code as stored; `currency` is the typed value every caller uses.
    @Field(key: "currency") public var currencyCode: String
    @Field(key: "amount") public var amount: Int64
    /// PayPal, Stripe, or manual (the vendor pays outside Tandem and marks it paid).
    @Enum(key: "provider") public var provider: PayoutProviderID
    /// The PayPal email or Stripe account at the time of the request.
    @Field(key: "recipient") public var recipient: String
    @Enum(key: "status") public var status: WithdrawalStatus
    @OptionalField(key: "provider_reference") public var providerReference: String?
    @OptionalField(key: "failure_reason") public var failureReason: String?
    @Field(key: "requested_at") public var requestedAt: Date
    @Field(key: "updated_at") public var updatedAt: Date
    @OptionalField(key: "paid_at") public var paidAt: Date?
    /// The rewards it holds: fixed when it claims them, 0 once a failure returns them.
    @Field(key: "reward_count") public var rewardCount: Int64

    public init() {}

    public init(accountID: UUID, currency: Currency, amount: Int64, provider: PayoutProviderID, recipient: String, now: Date) {
        self.$partnerAccount.id = accountID
        self.currencyCode = currency.code
        self.amount = amount
        self.provider = provider
        self.recipient = recipient
        self.status = .requested
        self.requestedAt = now
        self.updatedAt = now
        self.rewardCount = 0
    }
}

/// Where a partner account wants its money: PayPal (an email) or Stripe (a connected account).
public final class PayoutMethod: Model, @unchecked Sendable {
    public static let schema = "payout_methods"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "partner_account_id") public var partnerAccount: PartnerAccount
    @Enum(key: "provider") public var provider: PayoutProviderID
    @Field(key: "recipient") public var recipient: String
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public init(accountID: UUID, provider: PayoutProviderID, recipient: String, now: Date) {
        self.$partnerAccount.id = accountID
        self.provider = provider
        self.recipient = recipient
        self.updatedAt = now
    }
}

/// Every change of a reward's or a withdrawal's status: who, when, from, to, why.
public final class MoneyEvent: Model, @unchecked Sendable {
    public static let schema = "money_events"

    @ID(key: .id) public var id: UUID?
    /// "reward" or "withdrawal".
    @Field(key: "subject") public var subject: String
    @Field(key: "subject_id") public var subjectID: UUID
    @OptionalField(key: "from_status") public var fromStatus: String?
    @Field(key: "to_status") public var toStatus: String
    /// "system", "vendor:<company id>", "partner:<account id>", "user:<user id>".
    @Field(key: "actor") public var actor: String
    @OptionalField(key: "reason") public var reason: String?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(subject: String, subjectID: UUID, from: String?, to: String, actor: String, reason: String?, at: Date) {
        self.subject = subject
        self.subjectID = subjectID
        self.fromStatus = from
        self.toStatus = to
        self.actor = actor
        self.reason = reason
        self.createdAt = at
    }
}

extension Withdrawal {
    /// How every page and export names this withdrawal's state.
    public var state: WithdrawalState { WithdrawalState(status) }
}

extension Withdrawal {
    /// Only known currencies are ever stored (every writer passes a `Currency`).
    public var currency: Currency { Currency(code: currencyCode) ?? .usd }
}
