import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// `POST /api/v1/transactions` and refunds: what referred customers paid.
struct TransactionsAPI {
    let env: WebEnvironment
    let tracking: Tracking

    struct CreateBody: Decodable {
        var program: String?
        var customerKey: String?
        var externalId: String?
        var amount: Int64?
        var currency: String?
        var occurredAt: Date?
        var description: String?
        /// A partner's coupon code: a customer not seen before signs up with it.
        var couponCode: String?
    }

    struct RefundBody: Decodable {
        var program: String?
        var amount: Int64?
    }

    static let createContract = BodyContract(
        CreateBody.self, name: "TransactionCreate", required: ["program", "customer_key", "external_id", "amount", "currency"], notes: [
            "program": .programSlug,
            "customer_key": .text("The `key` the customer was created with."),
            "external_id": .text("Your id of the payment; unique per program. Sending it again returns the first transaction.", max: 255),
            "amount": .integer("Minor units, more than 0.", min: 1),
            "currency": .currency,
            "occurred_at": .text("Now when left out."),
            "description": .text(max: 500),
            "coupon_code": .text("A partner's coupon code: a customer not created before signs up now, attributed by the code.", max: 100),
        ])
    static let refundContract = BodyContract(RefundBody.self, name: "RefundCreate", required: ["program"], notes: [
        "program": .programSlug,
        "amount": .integer("Minor units; all that is left to refund when left out.", min: 1),
    ])

    typealias TransactionDTO = TransactionObject
    typealias RefundDTO = RefundObject

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("transactions") { _, context in try await create(context) }
        api.post("transactions/:external_id/refunds") { _, context in try await refund(context) }
        api.get("transactions") { request, context in try await list(request, context) }
    }

    func dto(_ transaction: SaleTransaction, program: Program, customerKey: String) async throws -> TransactionDTO {
        let rewards = try await RewardReads.ofTransaction(transaction.requireID(), on: env.store.db)
        return try TransactionDTO(transaction, programSlug: program.slug, customerKey: customerKey, rewards: rewards)
    }

    func create(_ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        let body = try APIJSON.decode(Self.createContract, from: context)
        let program = try await APILookups.program(slug: body.program, companyID: companyID, on: env.store)
        guard let customerKey = body.customerKey.nonBlank else {
            throw APIError(status: .badRequest, code: "missing_field", message: "`customer_key` is required.", field: "customer_key")
        }
        guard let amount = body.amount else {
            throw APIError(status: .badRequest, code: "missing_field", message: "`amount` (in minor units, e.g. cents) is required.", field: "amount")
        }
        guard let code = body.currency.nonBlank, let currency = Currency(code: code), code.count == 3 else {
            throw APIError.invalid("currency", "`currency` must be an ISO 4217 code such as USD.")
        }
        let recorded = try await Payments.record(
            program: program, customerKey: customerKey, externalID: body.externalId.nonBlank ?? "", amount: amount, currency: currency,
            occurredAt: body.occurredAt, description: body.description.nonBlank, couponCode: body.couponCode.nonBlank, recorder: tracking.recorder,
            actor: .vendor(companyID: companyID), now: env.now(), on: env.store.db
        )
        return try APIJSON.response(try await dto(recorded.transaction, program: program, customerKey: recorded.customerKey), status: recorded.created ? .created : .ok)
    }

    func refund(_ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        let body = try APIJSON.decode(Self.refundContract, from: context)
        let program = try await APILookups.program(slug: body.program, companyID: companyID, on: env.store)
        let externalID = context.parameters.get("external_id") ?? ""
        let (refund, transaction) = try await Payments.refund(
            program: program, externalID: externalID, amount: body.amount, actor: .vendor(companyID: companyID), now: env.now(), on: env.store.db
        )
        return try APIJSON.response(RefundDTO(
            id: try refund.requireID(), transaction: externalID, amount: refund.amount, currency: transaction.currency, createdAt: refund.createdAt
        ), status: .created)
    }

    static let customerFilter = QueryParameter.text("customer_key", "Only this customer (the vendor's own id).")

    /// `program`, `partnership`, `customer_key`; newest payment first, each with its rewards.
    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let page = try await APILookups.listPage(request, companyID: context.vendorCompanyID(), on: env.store)
        let customerKey = try Self.customerFilter.read(request)
        let (rows, hasMore) = try await APILookups.listed { try await CompanyListReads.transactions(page, customerKey: customerKey, on: env.store.sql) }
        let rewards = try await RewardReads.ofTransactions(rows.map(\.id), on: env.store.db)
        return try APIJSON.response(ListPage(data: try rows.map { row in
            TransactionDTO(
                id: row.id, program: row.program, customerKey: row.customer_key, partnershipId: row.partnership_id, externalId: row.external_id,
                amount: row.amount, currency: row.currency, refundedAmount: row.refunded_amount, description: row.description,
                occurredAt: row.occurred_at, createdAt: row.created_at,
                rewards: try (rewards[row.id] ?? []).map { try RewardObject($0, programSlug: row.program) })
        }, hasMore: hasMore))
    }
}

// The answers (`ResponseContract`).
extension TransactionsAPI {
    static let transactionResponse = ResponseContract(TransactionObject.example, name: "Transaction", notes: [
        "program": .programSlug,
        "currency": .currency,
        "partnership_id": .text("The partnership the customer is attributed to."),
        "rewards": .list("The rewards this transaction created."),
    ])

    static let refundResponse = ResponseContract(RefundObject.example, name: "Refund", notes: [
        "transaction": .text("The transaction's `external_id`."),
        "currency": .currency,
    ])
}
