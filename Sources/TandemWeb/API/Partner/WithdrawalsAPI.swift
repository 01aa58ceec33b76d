import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// Rewards, the payout method and withdrawals, for partners; the withdrawal history and
/// "mark paid" (manual payouts) for vendors.
struct WithdrawalsAPI {
    let env: WebEnvironment

    struct MethodBody: Decodable {
        var provider: String?
        var paypalEmail: String?
        var stripeAccount: String?
    }

    struct MethodDTO: Encodable {
        let object = "payout_method"
        let provider: String
        @NullEncoded var paypalEmail: String?
        @NullEncoded var stripeAccount: String?
        let updatedAt: Date
    }

    static let statusFilter = QueryParameter.oneOf("status", WithdrawalStatus.self, "Only this status.")
    static let withdrawalProgramFilter = QueryParameter.text("program", "Only withdrawals with rewards of this program (its slug).")

    struct WithdrawBody: Decodable {
        var currency: String?
    }

    static let methodContract = BodyContract(
        MethodBody.self, name: "PayoutMethodUpdate", required: ["provider"],
        notes: [
            "provider": .oneOf(["paypal", "stripe"]),
            "paypal_email": .text("With `paypal` (required there): the PayPal account's email."),
            "stripe_account": .text(
                "With `stripe` (required there): the Stripe connected account id, `acct_` and letters or digits, 10 to 40 characters (acct_1A2b3C4d5E6f7G8h)."),
        ],
        cases: [
            .init(field: "provider", value: "paypal", then: ["paypal_email": .email()]),
            .init(field: "provider", value: "stripe", then: [
                "stripe_account": .pattern(
                    "^[ ]*acct_[A-Za-z0-9]{5,35}[ ]*$", example: "acct_1A2b3C4d5E6f7G8h",
                    refusal: "`stripe_account` must be a Stripe account id: `acct_` and 5 to 35 letters or digits (acct_1A2b3C4d5E6f7G8h)."),
            ]),
        ])
    static let withdrawContract = BodyContract(WithdrawBody.self, name: "WithdrawalCreate", required: ["currency"], notes: ["currency": .currency])

    typealias WithdrawalDTO = WithdrawalObject

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("partner/rewards") { request, context in try await partnerRewards(request, context) }
        api.put("partner/payout-method") { _, context in try await setMethod(context) }
        api.get("partner/payout-method") { _, context in try await getMethod(context) }
        api.get("partner/withdrawals") { request, context in try await partnerWithdrawals(request, context) }
        api.post("partner/withdrawals") { _, context in try await withdraw(context) }
        api.get("withdrawals") { request, context in try await vendorWithdrawals(request, context) }
        api.post("withdrawals/:id/mark-paid") { _, context in try await markPaid(context) }
        api.post("withdrawals/:id/retry") { _, context in try await retry(context) }
    }

    func partnerRewards(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let accountID = try context.partnerAccountID()
        let (programSlug, status) = (try QueryFilters.program.read(request), try RewardsAPI.statusFilter.read(request))
        let page = try await APILookups.page(request) { after, limit in
            try await RewardReads.ofAccount(accountID: accountID, programSlug: programSlug, status: status, after: after, limit: limit, on: env.store.db)
        }
        return try APIJSON.response(try page.map { try RewardObject($0, programSlug: $0.program.slug) })
    }

    func methodDTO(_ method: PayoutMethod) -> MethodDTO {
        MethodDTO(provider: method.provider.rawValue, paypalEmail: method.provider == .paypal ? method.recipient : nil,
                  stripeAccount: method.provider == .stripe ? method.recipient : nil, updatedAt: method.updatedAt)
    }

    func getMethod(_ context: AppRequestContext) async throws -> Response {
        let accountID = try context.partnerAccountID()
        guard let method = try await WithdrawalReads.payoutMethod(accountID: accountID, on: env.store.db) else {
            throw APIError(status: .notFound, code: "no_payout_method", message: "No payout method is set yet.")
        }
        return try APIJSON.response(methodDTO(method))
    }

    func setMethod(_ context: AppRequestContext) async throws -> Response {
        let accountID = try context.partnerAccountID()
        let body = try APIJSON.decode(Self.methodContract, from: context)
        let method = try await PayoutMethods.set(
            accountID: accountID, provider: body.provider, paypalEmail: body.paypalEmail, stripeAccount: body.stripeAccount, now: env.now(), on: env.store.db
        )
        return try APIJSON.response(methodDTO(method))
    }

    func rewardIDs(_ withdrawalIDs: [UUID]) async throws -> [UUID: [UUID]] {
        try await RewardReads.ids(withdrawalIDs: withdrawalIDs, on: env.store.sql)
    }

    func partnerWithdrawals(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let accountID = try context.partnerAccountID()
        let page = try await APILookups.page(request) { after, limit in
            try await WithdrawalReads.pageOfAccount(accountID: accountID, after: after, limit: limit, on: env.store.db)
        }
        let rewards = try await rewardIDs(page.data.compactMap(\.id))
        return try APIJSON.response(try page.map { try WithdrawalDTO($0, rewards: rewards[$0.id!] ?? []) })
    }

    func withdraw(_ context: AppRequestContext) async throws -> Response {
        let accountID = try context.partnerAccountID()
        let body = try APIJSON.decode(Self.withdrawContract, from: context)
        guard let code = body.currency, let currency = Currency(code: code) else {
            throw APIError.invalid("currency", "`currency` must be an ISO 4217 code such as USD.")
        }
        let withdrawal = try await WithdrawalRequests.request(
            accountID: accountID, currency: currency, liveProviders: env.liveProviders, actor: .partner(accountID: accountID), now: env.now(), on: env.store.db
        )
        let rewards = try await rewardIDs([try withdrawal.requireID()])
        return try APIJSON.response(try WithdrawalDTO(withdrawal, rewards: rewards[withdrawal.id!] ?? []), status: .created)
    }

    func vendorWithdrawals(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        let (programSlug, status) = (try Self.withdrawalProgramFilter.read(request), try Self.statusFilter.read(request))
        let page = try await APILookups.page(request) { after, limit in
            try await WithdrawalReads.pageOfCompany(companyID: companyID, programSlug: programSlug, status: status, after: after, limit: limit, on: env.store.db)
        }
        let rewards = try await rewardIDs(page.data.compactMap(\.id))
        return try APIJSON.response(try page.map { try WithdrawalDTO($0, rewards: rewards[$0.id!] ?? []) })
    }

    /// A manual withdrawal is marked paid by the vendor who paid it: all its rewards must be theirs.
    func markPaid(_ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("withdrawal") }
        let body = context.apiBody.map { $0.readableBytes > 0 } == true ? try APIJSON.decode(Self.markPaidContract, from: context) : MarkPaidBody()
        let (withdrawal, rewards) = try await ManualPayouts.markPaid(
            withdrawalID: id, companyID: companyID, reference: body.reference, actor: .vendor(companyID: companyID), now: env.now(), on: env.store.db
        )
        return try APIJSON.response(try WithdrawalDTO(withdrawal, rewards: rewards))
    }

    struct MarkPaidBody: Decodable {
        /// The vendor's own record of the payment (a bank transfer id); "manual" when absent.
        var reference: String?
    }

    static let markPaidContract = BodyContract(MarkPaidBody.self, name: "WithdrawalMarkPaid", notes: [
        "reference": .text("Your record of the payment (a bank transfer id); `manual` when left out.", max: 200),
    ])

    /// A failed withdrawal tried again: a new withdrawal (201) of the partner's available
    /// rewards of the same programs, to the payout method as it is now.
    func retry(_ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("withdrawal") }
        let withdrawal = try await ManualPayouts.retry(
            withdrawalID: id, companyID: companyID, liveProviders: env.liveProviders, actor: .vendor(companyID: companyID), now: env.now(), on: env.store.db
        )
        let rewards = try await rewardIDs([try withdrawal.requireID()])
        return try APIJSON.response(try WithdrawalDTO(withdrawal, rewards: rewards[withdrawal.id!] ?? []), status: .created)
    }
}

// The answers (`ResponseContract`).
extension WithdrawalsAPI {
    static let methodResponse = ResponseContract(
        MethodDTO(provider: "paypal", paypalEmail: "sam@example.com", stripeAccount: "acct_1Nv0FG2eZvKYlo2C", updatedAt: Examples.date),
        name: "PayoutMethod", notes: [
            "provider": .oneOf(["paypal", "stripe"]),
            "paypal_email": .text("With `paypal`; null otherwise."),
            "stripe_account": .text("With `stripe`; null otherwise."),
        ]
    )

    static let withdrawalResponse = ResponseContract(WithdrawalObject.example, name: "Withdrawal", notes: [
        "amount": .integer("The sum of its rewards, in minor units."),
        "currency": .currency,
        "provider": .oneOf(["paypal", "stripe", "manual"], "`manual` when Tandem is not set up to pay through the partner's provider: the vendor pays and marks it paid."),
        "recipient": .text("The PayPal email or Stripe account; for `manual`, the partner's method as `paypal:EMAIL` or `stripe:ACCOUNT`."),
        "status": .oneOf(["requested", "processing", "paid", "failed"]),
        "failure_reason": .text("Why the payout failed; its rewards return to available for the next withdrawal."),
        "provider_reference": .text("The provider's id of the payout (`manual` when marked paid by the vendor)."),
        "rewards": .list("The ids of the rewards it pays."),
    ])
}
