import FluentKit
import Foundation
import TandemDomain
import TandemStore

extension Payments {
    public struct BulkInput: Sendable {
        public let customerKey: String
        public let externalID: String
        public let amount: Int64
        public let occurredAt: Date

        public init(customerKey: String, externalID: String, amount: Int64, occurredAt: Date) {
            self.customerKey = customerKey
            self.externalID = externalID
            self.amount = amount
            self.occurredAt = occurredAt
        }
    }

    /// Many payments of existing customers — what `tandem seed --large` records by the hundred
    /// thousand. The rows `record` makes one at a time (the payments, `partnership_daily`, the
    /// rewards with their audit rows and events, `transaction.created`), as if recorded one after
    /// another in this order, in one transaction of a handful of statements per 500 payments
    /// instead of about fifteen per payment. Events keep the payments' order within each kind,
    /// and the batch's `transaction.created` come before its `reward.created` (one at a time, each
    /// payment's event comes just before its rewards'). External ids must
    /// be new: one that exists (or repeats) fails the whole call and stores nothing.
    public static func recordMany(
        _ inputs: [BulkInput], program: Program, currency: Currency, actor: Actor, now: Date, on db: any Database
    ) async throws -> [SaleTransaction] {
        guard !inputs.isEmpty else { return [] }
        let programID = try program.requireID()
        for input in inputs {
            try validate(externalID: input.externalID, amount: input.amount, currency: currency, description: nil, occurredAt: input.occurredAt, program: program, now: now)
        }
        guard Set(inputs.map(\.externalID)).count == inputs.count else {
            throw OperationError.invalid(field: "external_id", message: "Each payment of a bulk call needs its own `external_id`.")
        }
        return try await db.transaction { db in
            var customers: [String: Customer] = [:]
            for chunk in Array(Set(inputs.map(\.customerKey))).chunked(500) {
                for customer in try await Customer.query(on: db).filter(\.$program.$id == programID).filter(\.$key ~~ Array(chunk)).all() {
                    customers[customer.key] = customer
                }
            }
            for chunk in inputs.map(\.externalID).chunked(500) {
                if let taken = try await SaleTransaction.query(on: db).filter(\.$program.$id == programID).filter(\.$externalID ~~ Array(chunk)).first() {
                    throw OperationError.conflict(code: "duplicate_external_id", message: "A payment `\(taken.externalID)` is already recorded in \(program.slug).")
                }
            }
            let transactions = try inputs.map { input -> SaleTransaction in
                guard let customer = customers[input.customerKey] else {
                    throw OperationError.unknownReference(
                        code: "customer_not_found", field: "customer_key", message: "No customer with key `\(input.customerKey)` in \(program.slug).")
                }
                let transaction = SaleTransaction(
                    programID: programID, customerID: try customer.requireID(), partnershipID: customer.$partnership.id, externalID: input.externalID,
                    amount: input.amount, currency: currency.code, description: nil, occurredAt: input.occurredAt, createdAt: now
                )
                transaction.id = db.identifiers.uuid()
                return transaction
            }
            let attributed = transactions.indices.filter { transactions[$0].$partnership.id != nil }
            // Read before the payments are inserted, so "first payment" means first before this call.
            let firsts = try await PartnershipDaily.paymentsRecorded(attributed.map { index in
                let transaction = transactions[index]
                return PartnershipDaily.Payment(partnershipID: transaction.$partnership.id!, customerID: transaction.$customer.id,
                                                amount: transaction.amount, occurredAt: transaction.occurredAt)
            }, on: db)
            for chunk in transactions.chunked(500) { try await Array(chunk).create(on: db) }
            // Each payment's event is ordered before the rewards it earned (see `EventOutbox.Slot`).
            let slots = transactions.map { _ in EventOutbox.reserve(at: now) }

            var rewards = [[Reward]](repeating: [], count: transactions.count)
            // Every payment's customer is here: the inputs were checked against `customers` above.
            let byID = Dictionary(customers.values.compactMap { customer in customer.id.map { ($0, customer) } }, uniquingKeysWith: { a, _ in a })
            let byPartnership = Dictionary(grouping: zip(attributed, firsts), by: { transactions[$0.0].$partnership.id! })
            for (partnershipID, members) in byPartnership {
                guard let partnership = try await Partnership.find(partnershipID, on: db) else { continue }
                let earned = try await RewardLedger.awardMany(try members.map { index, isFirst in
                    let transaction = transactions[index]
                    return RewardLedger.Earning(
                        .transaction(amount: transaction.amount, occurredAt: transaction.occurredAt,
                                     customerSignedUpAt: byID[transaction.$customer.id]?.signedUpAt ?? transaction.occurredAt, isFirst: isFirst),
                        source: "transaction:\(try transaction.requireID().uuidString)", customerID: transaction.$customer.id, transactionID: transaction.id
                    )
                }, partnership: partnership, program: program, actor: actor.recorded, now: now, on: db)
                for ((index, _), made) in zip(members, earned) { rewards[index] = made }
            }
            try await EventOutbox.ofPartnerships(try transactions.indices.map { index in
                let transaction = transactions[index]
                return (transaction.$partnership.id, try TransactionObject(transaction, programSlug: program.slug, customerKey: byID[transaction.$customer.id]?.key ?? "", rewards: rewards[index]), slots[index])
            }, .transactionCreated, companyID: program.$company.id, at: now, on: db)
            return transactions
        }
    }
}
