import FluentKit
import Foundation

/// A payment by a customer, as the vendor reported it. Named to stay clear of database transactions.
public final class SaleTransaction: Model, @unchecked Sendable {
    public static let schema = "transactions"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "program_id") public var program: Program
    @Parent(key: "customer_id") public var customer: Customer
    /// Copied from the customer when stored, so reports need no join to know whose sale it was.
    @OptionalParent(key: "partnership_id") public var partnership: Partnership?
    /// The vendor's id of the payment; unique within the program.
    @Field(key: "external_id") public var externalID: String
    @Field(key: "amount") public var amount: Int64
    @Field(key: "currency") public var currency: String
    @Field(key: "refunded_amount") public var refundedAmount: Int64
    @OptionalField(key: "description") public var description: String?
    @Field(key: "occurred_at") public var occurredAt: Date
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(programID: UUID, customerID: UUID, partnershipID: UUID?, externalID: String, amount: Int64, currency: String,
                description: String?, occurredAt: Date, createdAt: Date) {
        self.$program.id = programID
        self.$customer.id = customerID
        self.$partnership.id = partnershipID
        self.externalID = externalID
        self.amount = amount
        self.currency = currency
        self.refundedAmount = 0
        self.description = description
        self.occurredAt = occurredAt
        self.createdAt = createdAt
    }
}

public final class Refund: Model, @unchecked Sendable {
    public static let schema = "refunds"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "transaction_id") public var transaction: SaleTransaction
    @Field(key: "amount") public var amount: Int64
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(transactionID: UUID, amount: Int64, createdAt: Date) {
        self.$transaction.id = transactionID
        self.amount = amount
        self.createdAt = createdAt
    }
}
