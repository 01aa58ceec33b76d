import FluentKit
import Foundation
import TandemDomain
import TandemStore

/// What referred customers pay, and refunds: the payment, its place in the daily rollup and
/// the rewards it earns are stored in one transaction; a refund lowers revenue and declines,
/// reduces or claws back the rewards, also in one. `POST /transactions` and `/refunds` call these.
public enum Payments {
    public static let maxExternalID = 255
    public static let maxDescription = 500

    public struct Recorded: Sendable {
        public let transaction: SaleTransaction
        public let customerKey: String
        /// false: the same `external_id` was recorded before, and this is that payment.
        public let created: Bool
    }

    /// Records a payment of the customer `customerKey` (idempotent on `externalID`). With a
    /// `couponCode`, a customer not seen before signs up now, attributed by the code (as
    /// `POST /customers` with the code would), so a checkout with a partner's code needs one call.
    public static func record(
        program: Program, customerKey: String, externalID: String, amount: Int64, currency: Currency, occurredAt: Date?,
        description: String?, couponCode: String? = nil, recorder: ClickRecorder? = nil, actor: Actor, now: Date, on db: any Database
    ) async throws -> Recorded {
        let programID = try program.requireID()
        try validate(externalID: externalID, amount: amount, currency: currency, description: description, occurredAt: occurredAt, program: program, now: now)
        guard (couponCode?.count ?? 0) <= 100 else {
            throw OperationError.invalid(field: "coupon_code", message: "`coupon_code` is at most \(CouponCodes.maxLength) characters.")
        }
        if let existing = try await SaleTransaction.query(on: db).filter(\.$program.$id == programID).filter(\.$externalID == externalID).with(\.$customer).first() {
            return Recorded(transaction: existing, customerKey: existing.customer.key, created: false)
        }
        var found = try await Customer.query(on: db).filter(\.$program.$id == programID).filter(\.$key == customerKey).first()
        if found == nil, let couponCode, let recorder {
            found = try await Signups.record(
                Signups.Input(key: customerKey, signedUpAt: occurredAt, couponCode: couponCode), program: program, recorder: recorder, actor: actor, now: now, on: db
            ).customer
        }
        guard let customer = found else {
            throw OperationError.unknownReference(
                code: "customer_not_found", field: "customer_key",
                message: "No customer with key `\(customerKey)` in \(program.slug). Create it first with POST /api/v1/customers."
            )
        }
        let transaction = SaleTransaction(
            programID: programID, customerID: try customer.requireID(), partnershipID: customer.$partnership.id, externalID: externalID,
            amount: amount, currency: currency.code, description: description, occurredAt: occurredAt ?? now, createdAt: now
        )
        do {
            try await db.transaction { db in
                try await transaction.create(on: db)
                // Its event is written last (it lists the rewards) but ordered before theirs.
                let slot = EventOutbox.reserve(at: now)
                var rewards: [Reward] = []
                if let partnershipID = customer.$partnership.id, let partnership = try await Partnership.find(partnershipID, on: db) {
                    let isFirst = try await PartnershipDaily.paymentRecorded(
                        partnershipID: partnershipID, customerID: customer.requireID(), transactionID: transaction.requireID(),
                        amount: amount, occurredAt: transaction.occurredAt, on: db
                    )
                    rewards = try await RewardLedger.award(
                        .transaction(amount: amount, occurredAt: transaction.occurredAt, customerSignedUpAt: customer.signedUpAt, isFirst: isFirst),
                        source: "transaction:\(try transaction.requireID().uuidString)", partnership: partnership, program: program,
                        customerID: customer.id, transactionID: transaction.id, actor: actor.recorded, now: now, on: db
                    )
                }
                try await EventOutbox.ofPartnership(
                    customer.$partnership.id, .transactionCreated, companyID: program.$company.id,
                    data: try TransactionObject(transaction, programSlug: program.slug, customerKey: customer.key, rewards: rewards), slot: slot, at: now, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // The same external id recorded at the same moment by another request: that one stands.
            if let existing = try await SaleTransaction.query(on: db).filter(\.$program.$id == programID).filter(\.$externalID == externalID).first() {
                return Recorded(transaction: existing, customerKey: customer.key, created: false)
            }
            throw OperationError.conflict(code: "conflict", message: "This transaction was being created at the same time; retry.")
        }
        return Recorded(transaction: transaction, customerKey: customer.key, created: true)
    }

    /// What a payment must be, one at a time or in bulk.
    static func validate(externalID: String, amount: Int64, currency: Currency, description: String?, occurredAt: Date?, program: Program, now: Date) throws {
        guard !externalID.isEmpty, externalID.count <= maxExternalID else {
            throw OperationError.invalid(field: "external_id", message: "`external_id` (your id of the payment) is required, at most \(maxExternalID) characters.")
        }
        guard amount > 0 else { throw OperationError.invalid(field: "amount", message: "`amount` must be a positive number of minor units (e.g. 4999 for $49.99).") }
        guard AmountLimit.contains(amount) else { throw OperationError.invalid(field: "amount", message: AmountLimit.message(field: "amount")) }
        guard currency == program.currency else {
            throw OperationError.invalid(field: "currency", message: "This program pays in \(program.currency.code); `currency` must be \(program.currency.code), not \(currency.code).")
        }
        guard (description?.count ?? 0) <= maxDescription else {
            throw OperationError.invalid(field: "description", message: "`description` must be at most \(maxDescription) characters.")
        }
        if let occurredAt, !EventTime.isPlausible(occurredAt, now: now) {
            throw OperationError.invalid(field: "occurred_at", message: EventTime.message(field: "occurred_at"))
        }
    }

    /// Refunds `amount` (all that is left when nil) of the payment `externalID`.
    public static func refund(
        program: Program, externalID: String, amount requested: Int64?, actor: Actor, now: Date, on db: any Database
    ) async throws -> (refund: Refund, transaction: SaleTransaction) {
        guard let transaction = try await SaleTransaction.query(on: db)
            .filter(\.$program.$id == program.requireID()).filter(\.$externalID == externalID).first() else {
            throw OperationError.unknownReference(code: "transaction_not_found", field: nil, message: "No transaction `\(externalID)` in \(program.slug).")
        }
        let remaining = transaction.amount - transaction.refundedAmount
        guard remaining > 0 else { throw OperationError.conflict(code: "already_refunded", message: "This transaction is already refunded in full.") }
        let amount = requested ?? remaining
        guard amount > 0 else { throw OperationError.invalid(field: "amount", message: "`amount` must be a positive number of minor units.") }
        guard amount <= remaining else { throw OperationError.invalid(field: "amount", message: "`amount` is more than what is left to refund (\(remaining)).") }
        let refund = Refund(transactionID: try transaction.requireID(), amount: amount, createdAt: now)
        try await db.transaction { db in
            // The guard in the UPDATE makes two refunds racing unable to refund more than was paid.
            guard try await TransactionLedger.addRefund(transactionID: transaction.requireID(), amount: amount, on: db) else {
                throw OperationError.conflict(code: "refund_exceeds_amount", message: "Another refund changed this transaction; what is left to refund is less than `amount`.")
            }
            try await refund.create(on: db)
            transaction.refundedAmount += amount
            if let partnershipID = transaction.$partnership.id {
                try await PartnershipDaily.refunded(partnershipID: partnershipID, amount: amount, occurredAt: transaction.occurredAt, on: db)
            }
            // The refund's event goes first: a receiver hears of it before the rewards it lowers.
            try await EventOutbox.ofPartnership(
                transaction.$partnership.id, .refundCreated, companyID: program.$company.id,
                data: RefundObject(id: try refund.requireID(), transaction: transaction.externalID, amount: amount, currency: transaction.currency, createdAt: now),
                at: now, on: db)
            try await RewardLedger.applyRefund(transaction: transaction, refundID: try refund.requireID(), actor: actor.recorded, now: now, on: db)
        }
        return (refund, transaction)
    }
}
