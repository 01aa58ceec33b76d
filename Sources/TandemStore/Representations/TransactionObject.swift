import Foundation

/// A payment as the API answers it, with the rewards it earned.
public struct TransactionObject: Encodable, Sendable {
    public let id: UUID
    public var object = "transaction"
    public let program: String
    public let customerKey: String
    @NullEncoded public var partnershipId: UUID?
    public let externalId: String
    public let amount: Int64
    public let currency: String
    public let refundedAmount: Int64
    @NullEncoded public var description: String?
    public let occurredAt: Date
    public let createdAt: Date
    public let rewards: [RewardObject]

    public init(
        id: UUID, program: String, customerKey: String, partnershipId: UUID?, externalId: String, amount: Int64, currency: String,
        refundedAmount: Int64, description: String?, occurredAt: Date, createdAt: Date, rewards: [RewardObject]
    ) {
        self.id = id
        self.program = program
        self.customerKey = customerKey
        self.partnershipId = partnershipId
        self.externalId = externalId
        self.amount = amount
        self.currency = currency
        self.refundedAmount = refundedAmount
        self.description = description
        self.occurredAt = occurredAt
        self.createdAt = createdAt
        self.rewards = rewards
    }

    public init(_ transaction: SaleTransaction, programSlug: String, customerKey: String, rewards: [Reward]) throws {
        self.init(
            id: try transaction.requireID(), program: programSlug, customerKey: customerKey, partnershipId: transaction.$partnership.id,
            externalId: transaction.externalID, amount: transaction.amount, currency: transaction.currency,
            refundedAmount: transaction.refundedAmount, description: transaction.description,
            occurredAt: transaction.occurredAt, createdAt: transaction.createdAt,
            rewards: try rewards.map { try RewardObject($0, programSlug: programSlug) }
        )
    }
}

/// A refund as the API answers it.
public struct RefundObject: Encodable, Sendable {
    public let id: UUID
    public var object = "refund"
    /// The payment's `external_id`.
    public let transaction: String
    public let amount: Int64
    public let currency: String
    public let createdAt: Date

    public init(id: UUID, transaction: String, amount: Int64, currency: String, createdAt: Date) {
        self.id = id
        self.transaction = transaction
        self.amount = amount
        self.currency = currency
        self.createdAt = createdAt
    }
}
