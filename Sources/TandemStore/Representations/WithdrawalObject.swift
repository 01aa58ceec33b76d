import Foundation

/// A withdrawal as the API answers it: what it pays, where, and which rewards it holds.
public struct WithdrawalObject: Encodable, Sendable {
    public let id: UUID
    public var object = "withdrawal"
    public let amount: Int64
    public let currency: String
    public let provider: String
    public let recipient: String
    public let status: String
    @NullEncoded public var failureReason: String?
    @NullEncoded public var providerReference: String?
    public let rewards: [UUID]
    public let requestedAt: Date
    @NullEncoded public var paidAt: Date?
}

// From the stored row; the memberwise initializer builds examples.
extension WithdrawalObject {
    public init(_ withdrawal: Withdrawal, rewards: [UUID]) throws {
        id = try withdrawal.requireID()
        amount = withdrawal.amount
        currency = withdrawal.currencyCode
        provider = withdrawal.provider.rawValue
        recipient = withdrawal.recipient
        status = withdrawal.status.rawValue
        failureReason = withdrawal.failureReason
        providerReference = withdrawal.providerReference
        self.rewards = rewards
        requestedAt = withdrawal.requestedAt
        paidAt = withdrawal.paidAt
    }
}
