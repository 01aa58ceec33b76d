import Foundation

/// A reward as the API shows it, to vendors and partners alike.
public struct RewardObject: Encodable, Sendable {
    public let id: UUID
    public var object = "reward"
    public let program: String
    public let partnershipId: UUID
    public let kind: String
    public let status: String
    public let amount: Int64
    public let originalAmount: Int64
    public let currency: String
    public let description: String
    /// What earned it: "signup:…", "transaction:…", "lead:…", "deal:…", "join:…", "refund:…", "manual:…".
    public let source: String
    @NullEncoded public var declineReason: String?
    @NullEncoded public var transactionId: UUID?
    @NullEncoded public var customerId: UUID?
    @NullEncoded public var withdrawalId: UUID?
    public let availableAt: Date
    public let createdAt: Date
}

// From the stored row; the memberwise initializer builds examples.
extension RewardObject {
    public init(_ reward: Reward, programSlug: String) throws {
        id = try reward.requireID()
        program = programSlug
        partnershipId = reward.$partnership.id
        kind = reward.kind.rawValue
        status = reward.status.rawValue
        amount = reward.amount
        originalAmount = reward.originalAmount
        currency = reward.currencyCode
        description = reward.description
        source = reward.source
        declineReason = reward.declineReason
        transactionId = reward.$transaction.id
        customerId = reward.$customer.id
        withdrawalId = reward.withdrawalID
        availableAt = reward.availableAt
        createdAt = reward.createdAt
    }
}

/// `reward.updated`'s data: the reward as it is now, and the change that made it so.
public struct RewardChangeObject: Encodable, Sendable {
    public let reward: RewardObject
    @NullEncoded public var previousStatus: String?
    @NullEncoded public var reason: String?

    public init(reward: RewardObject, previousStatus: String?, reason: String?) {
        self.reward = reward
        self.previousStatus = previousStatus
        self.reason = reason
    }

    enum Extra: String, CodingKey { case previousStatus, reason }

    /// The reward's own fields, with `previous_status` and `reason` beside them.
    public func encode(to encoder: any Encoder) throws {
        try reward.encode(to: encoder)
        var container = encoder.container(keyedBy: Extra.self)
        try container.encode(_previousStatus, forKey: .previousStatus)
        try container.encode(_reason, forKey: .reason)
    }
}
