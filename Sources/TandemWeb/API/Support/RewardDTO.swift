import Foundation
import TandemStore

/// A reward as the API shows it, to vendors and partners alike.
struct RewardDTO: Encodable {
    let id: UUID
    let object = "reward"
    let program: String
    let partnershipId: UUID
    let kind: String
    let status: String
    let amount: Int64
    let originalAmount: Int64
    let currency: String
    let description: String
    /// What earned it: "signup:…", "transaction:…", "lead:…", "deal:…", "join:…", "refund:…", "manual:…".
    let source: String
    @NullEncoded var declineReason: String?
    @NullEncoded var transactionId: UUID?
    @NullEncoded var customerId: UUID?
    @NullEncoded var withdrawalId: UUID?
    let availableAt: Date
    let createdAt: Date

    init(_ reward: Reward, programSlug: String) throws {
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
