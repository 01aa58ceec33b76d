import FluentKit
import Foundation
import Hummingbird
import SQLKit
import TandemDomain
import TandemStore

/// `POST /api/v1/transactions` and refunds: what referred customers paid.
struct TransactionsAPI {
    let env: WebEnvironment

    struct CreateBody: Decodable {
        var program: String?
        var customerKey: String?
        var externalId: String?
        var amount: Int64?
        var currency: String?
        var occurredAt: Date?
        var description: String?
    }

    struct RefundBody: Decodable {
        var program: String?
        var amount: Int64?
    }

    struct TransactionDTO: Encodable {
        let id: UUID
        let object = "transaction"
        let program: String
        let customerKey: String
        @NullEncoded var partnershipId: UUID?
        let externalId: String
        let amount: Int64
        let currency: String
        let refundedAmount: Int64
        @NullEncoded var description: String?
        let occurredAt: Date
        let createdAt: Date
        let rewards: [RewardDTO]
    }

    struct RefundDTO: Encodable {
        let id: UUID
        let object = "refund"
        let transaction: String
        let amount: Int64
        let currency: String
        let createdAt: Date
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("transactions") { _, context in try await create(context) }
        api.post("transactions/:external_id/refunds") { _, context in try await refund(context) }
    }

    func dto(_ transaction: SaleTransaction, program: Program, customerKey: String) async throws -> TransactionDTO {
        let rewards = try await Reward.query(on: env.store.db).filter(\.$transaction.$id == transaction.requireID()).filter(\.$kind == .rule).sort(\.$createdAt).all()
        return TransactionDTO(
            id: try transaction.requireID(), program: program.slug, customerKey: customerKey, partnershipId: transaction.$partnership.id,
            externalId: transaction.externalID, amount: transaction.amount, currency: transaction.currency,
            refundedAmount: transaction.refundedAmount, description: transaction.description,
            occurredAt: transaction.occurredAt, createdAt: transaction.createdAt,
            rewards: try rewards.map { try RewardDTO($0, programSlug: program.slug) }
        )
    }

    func create(_ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        let body = try APIJSON.decode(CreateBody.self, from: context)
        let program = try await APILookups.program(slug: body.program, companyID: companyID, on: env.store.db)
        let programID = try program.requireID()
        guard let customerKey = body.customerKey.nonBlank else {
            throw APIError(status: .badRequest, code: "missing_field", message: "`customer_key` is required.", field: "customer_key")
        }
        guard let externalID = body.externalId.nonBlank, externalID.count <= 255 else {
            throw APIError.invalid("external_id", "`external_id` (your id of the payment) is required, at most 255 characters.")
        }
        guard let amount = body.amount else {
            throw APIError(status: .badRequest, code: "missing_field", message: "`amount` (in minor units, e.g. cents) is required.", field: "amount")
        }
        guard amount > 0 else { throw APIError.invalid("amount", "`amount` must be a positive number of minor units (e.g. 4999 for $49.99).") }
        guard let code = body.currency.nonBlank, let currency = Currency(code: code), code.count == 3 else {
            throw APIError.invalid("currency", "`currency` must be an ISO 4217 code such as USD.")
        }
        guard currency == program.currency else {
            throw APIError.invalid("currency", "This program pays in \(program.currency.code); `currency` must be \(program.currency.code), not \(currency.code).")
        }
        guard (body.description?.count ?? 0) <= 500 else { throw APIError.invalid("description", "`description` must be at most 500 characters.") }
        if let occurredAt = body.occurredAt, !EventTime.isPlausible(occurredAt, now: env.now()) {
            throw APIError.invalid("occurred_at", EventTime.message(field: "occurred_at"))
        }

        if let existing = try await SaleTransaction.query(on: env.store.db).filter(\.$program.$id == programID).filter(\.$externalID == externalID).with(\.$customer).first() {
            return try APIJSON.response(try await dto(existing, program: program, customerKey: existing.customer.key), status: .ok)
        }
        guard let customer = try await Customer.query(on: env.store.db).filter(\.$program.$id == programID).filter(\.$key == customerKey).first() else {
            throw APIError(status: .notFound, code: "customer_not_found", message: "No customer with key `\(customerKey)` in \(program.slug). Create it first with POST /api/v1/customers.", field: "customer_key")
        }
        let transaction = SaleTransaction(
            programID: programID, customerID: try customer.requireID(), partnershipID: customer.$partnership.id, externalID: externalID,
            amount: amount, currency: currency.code, description: body.description.nonBlank, occurredAt: body.occurredAt ?? env.now(), createdAt: env.now()
        )
        do {
            try await env.store.db.transaction { db in
                try await transaction.create(on: db)
                if let partnershipID = customer.$partnership.id, let partnership = try await Partnership.find(partnershipID, on: db) {
                    let isFirst = try await PartnershipDaily.paymentRecorded(
                        partnershipID: partnershipID, customerID: customer.requireID(), transactionID: transaction.requireID(),
                        amount: amount, occurredAt: transaction.occurredAt, on: db
                    )
                    try await RewardLedger.award(
                        .transaction(amount: amount, occurredAt: transaction.occurredAt, customerSignedUpAt: customer.signedUpAt, isFirst: isFirst),
                        source: "transaction:\(try transaction.requireID().uuidString)", partnership: partnership, program: program,
                        customerID: customer.id, transactionID: transaction.id, actor: "vendor:\(companyID.uuidString)", now: env.now(), on: db
                    )
                }
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            if let existing = try await SaleTransaction.query(on: env.store.db).filter(\.$program.$id == programID).filter(\.$externalID == externalID).first() {
                return try APIJSON.response(try await dto(existing, program: program, customerKey: customer.key), status: .ok)
            }
            throw APIError(status: .conflict, message: "This transaction was being created at the same time; retry.")
        }
        return try APIJSON.response(try await dto(transaction, program: program, customerKey: customer.key), status: .created)
    }

    func refund(_ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        let body = try APIJSON.decode(RefundBody.self, from: context)
        let program = try await APILookups.program(slug: body.program, companyID: companyID, on: env.store.db)
        let externalID = context.parameters.get("external_id") ?? ""
        guard let transaction = try await SaleTransaction.query(on: env.store.db)
            .filter(\.$program.$id == program.requireID()).filter(\.$externalID == externalID).first() else {
            throw APIError(status: .notFound, code: "transaction_not_found", message: "No transaction `\(externalID)` in \(program.slug).")
        }
        let remaining = transaction.amount - transaction.refundedAmount
        guard remaining > 0 else {
            throw APIError(status: .conflict, code: "already_refunded", message: "This transaction is already refunded in full.")
        }
        let amount = body.amount ?? remaining
        guard amount > 0 else { throw APIError.invalid("amount", "`amount` must be a positive number of minor units.") }
        guard amount <= remaining else {
            throw APIError.invalid("amount", "`amount` is more than what is left to refund (\(remaining)).")
        }
        let transactionID = try transaction.requireID()
        let refund = Refund(transactionID: transactionID, amount: amount, createdAt: env.now())
        try await env.store.db.transaction { db in
            // The guard in the UPDATE makes two refunds racing unable to refund more than was paid.
            let updated = try await (db as! any SQLDatabase).raw("""
                UPDATE transactions SET refunded_amount = refunded_amount + \(bind: amount)
                WHERE id = \(bind: transactionID) AND refunded_amount + \(bind: amount) <= amount
                RETURNING id
                """).all()
            guard updated.count == 1 else {
                throw APIError(status: .conflict, code: "refund_exceeds_amount", message: "Another refund changed this transaction; what is left to refund is less than `amount`.")
            }
            try await refund.create(on: db)
            transaction.refundedAmount += amount
            if let partnershipID = transaction.$partnership.id {
                try await PartnershipDaily.refunded(partnershipID: partnershipID, amount: amount, occurredAt: transaction.occurredAt, on: db)
            }
            try await RewardLedger.applyRefund(
                transaction: transaction, refundID: try refund.requireID(), actor: "vendor:\(companyID.uuidString)", now: env.now(), on: db
            )
        }
        return try APIJSON.response(RefundDTO(
            id: try refund.requireID(), transaction: externalID, amount: amount, currency: transaction.currency, createdAt: refund.createdAt
        ), status: .created)
    }
}
