import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// Reward rules and the vendor's review of rewards: list, manual rewards, approve / decline / hold.
struct RewardsAPI {
    let env: WebEnvironment

    struct RuleBody: Decodable {
        var group: String?
        var trigger: String?
        var kind: String?
        var amount: Int64?
        var percent: Double?
        var durationMonths: Int?
        var minTransactionAmount: Int64?
        var description: String?
    }

    struct RuleDTO: Encodable {
        let id: UUID
        let object = "reward_rule"
        let program: String
        @NullEncoded var group: UUID?
        let trigger: String
        let kind: String
        @NullEncoded var amount: Int64?
        @NullEncoded var percent: Double?
        @NullEncoded var durationMonths: Int?
        @NullEncoded var minTransactionAmount: Int64?
        let description: String
        let summary: String
        /// The first version of this rule, when this is a later one (an edit makes a new version).
        @NullEncoded var versionOf: UUID?
        @NullEncoded var archivedAt: Date?
        let createdAt: Date
    }

    struct ManualBody: Decodable {
        var partnership: String?
        var amount: Int64?
        var currency: String?
        var description: String?
    }

    struct ActionBody: Decodable {
        var reason: String?
    }

    struct ReviewBody: Decodable {
        var action: String?
        var rewards: [String]?
        var reason: String?
    }

    static let ruleContract = BodyContract(
        RuleBody.self, name: "RewardRuleCreate", required: ["trigger", "kind"],
        notes: [
            "group": .id("A group id of the program; every group of the program when left out."),
            "trigger": .oneOf(["signup", "transaction", "lead_qualified", "deal_won", "partner_joined"]),
            "kind": .oneOf(["flat", "percent"]),
            "amount": .integer("Minor units, for a `flat` rule (required there, at least 1)."),
            "percent": .number("For a `percent` rule (required there): more than 0, at most 100, two decimals at most, e.g. 12.5."),
            "duration_months": .integer(
                "`transaction` rules: null or left out for the customer's lifetime, 0 for the first transaction only, "
                    + "N for transactions in the first N months after signup.",
                min: 0, max: 120),
            "min_transaction_amount": .integer("`transaction` rules: only transactions of at least this many minor units earn.", min: 0),
            "description": .text(max: 300),
        ],
        cases: [
            .init(field: "kind", value: "flat", then: ["amount": .integer(min: 1)]),
            .init(field: "kind", value: "percent", then: [
                "percent": .number(moreThan: 0, max: 100, multipleOf: 0.01),
                "trigger": FieldNote(
                    values: ["transaction", "deal_won"], refusal: "A `percent` rule pays on a `transaction` or a `deal_won` trigger (an amount to take a percent of)."),
            ]),
        ])
    static let manualContract = BodyContract(ManualBody.self, name: "RewardCreate", required: ["partnership", "amount", "description"], notes: [
        "partnership": .id("The partnership to reward (its id)."),
        "amount": .integer("Minor units, more than 0.", min: 1),
        "currency": .currency,
        "description": .text("Why; the partner sees it.", max: 300),
    ])
    static let actionContract = BodyContract(ActionBody.self, name: "RewardAction", description: "May be left out, or empty.", notes: [
        "reason": .text("Why; the partner sees it.", max: 500),
    ])
    static let declineContract = BodyContract(ActionBody.self, name: "RewardDecline", required: ["reason"], notes: [
        "reason": .text("Why; the partner sees it.", max: 500),
    ])
    static let reviewContract = BodyContract(
        ReviewBody.self, name: "RewardReview", required: ["action", "rewards"],
        notes: [
            "action": .oneOf(["approve", "hold", "decline"]),
            "rewards": .ids("The rewards to review (their ids), 1 to 500.", min: 1, max: 500),
            "reason": .text("Required to decline: the partner sees it.", max: 500),
        ],
        cases: [.init(field: "action", value: "decline", then: ["reason": FieldNote()])])

    struct ReviewDTO: Encodable {
        struct Refusal: Encodable {
            let id: UUID
            let code: String
            let message: String
        }
        let object = "review"
        let action: String
        let changed: [UUID]
        let refused: [Refusal]
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("programs/:slug/reward-rules") { _, context in try await createRule(context) }
        api.get("programs/:slug/reward-rules") { request, context in try await listRules(request, context) }
        api.patch("programs/:slug/reward-rules/:id") { _, context in try await updateRule(context) }
        api.delete("programs/:slug/reward-rules/:id") { _, context in try await archiveRule(context) }
        api.post("rewards/review") { _, context in try await review(context) }
        api.get("rewards") { request, context in try await list(request, context) }
        api.post("rewards") { _, context in try await manual(context) }
        api.post("rewards/:id/approve") { _, context in try await act(.approve, context) }
        api.post("rewards/:id/decline") { _, context in try await act(.decline, context) }
        api.post("rewards/:id/hold") { _, context in try await act(.hold, context) }
    }

    func createRule(_ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        let program = try await APILookups.program(slug: context.parameters.get("slug"), companyID: companyID, on: env.store)
        let record = try await RewardRules.create(program: program, try Self.input(context), now: env.now(), on: env.store.db)
        return try APIJSON.response(try ruleDTO(record, program: program), status: .created)
    }

    static let archivedRules = QueryParameter.flag("archived", "`true`: archived rules and earlier versions as well.")
    static let statusFilter = QueryParameter.oneOf("status", RewardStatus.self, "Only this status.")

    /// The program's live rules, oldest first; every version with `?archived=true`.
    func listRules(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let program = try await APILookups.program(slug: context.parameters.get("slug"), companyID: context.vendorCompanyID(), on: env.store)
        let archived = try Self.archivedRules.read(request) ?? false
        let rules = try await ProgramReads.rules(programID: program.requireID(), on: env.store.db).filter { archived || $0.archivedAt == nil }
        return try APIJSON.response(ListPage(data: try rules.map { try ruleDTO($0, program: program) }, hasMore: false))
    }

    /// An edit is a new version (a new id, `version_of` the first); the old one is archived.
    func updateRule(_ context: AppRequestContext) async throws -> Response {
        let program = try await APILookups.program(slug: context.parameters.get("slug"), companyID: context.vendorCompanyID(), on: env.store)
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("reward rule") }
        let record = try await RewardRules.update(program: program, ruleID: id, try Self.input(context), now: env.now(), on: env.store.db)
        return try APIJSON.response(try ruleDTO(record, program: program))
    }

    func archiveRule(_ context: AppRequestContext) async throws -> Response {
        let program = try await APILookups.program(slug: context.parameters.get("slug"), companyID: context.vendorCompanyID(), on: env.store)
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("reward rule") }
        let record = try await RewardRules.archive(program: program, ruleID: id, now: env.now(), on: env.store.db)
        return try APIJSON.response(try ruleDTO(record, program: program))
    }

    static func input(_ context: AppRequestContext) throws -> RewardRules.Input {
        let body = try APIJSON.decode(Self.ruleContract, from: context)
        var input = RewardRules.Input()
        input.group = body.group
        input.trigger = body.trigger
        input.kind = body.kind
        input.amount = body.amount
        if let percent = body.percent {
            guard percent > 0, percent <= 100 else { throw APIError.invalid("percent", "`percent` must be more than 0 and at most 100.") }
            // Two decimals at most: the number becomes text once, and the rule reads it as basis points.
            input.percent = String(format: "%.4f", percent).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
                .replacingOccurrences(of: #"\.$"#, with: "", options: .regularExpression)
        }
        input.durationMonths = body.durationMonths
        input.minTransactionAmount = body.minTransactionAmount
        input.description = body.description
        return input
    }

    func ruleDTO(_ record: RewardRuleRecord, program: Program) throws -> RuleDTO {
        let rule = record.rule!
        var flat: Int64?
        var percent: Double?
        switch rule.amount {
        case .flat(let minor): flat = minor
        case .percent(let bp): percent = Double(bp) / 100
        }
        return RuleDTO(
            id: try record.requireID(), program: program.slug, group: record.$group.id, trigger: record.trigger, kind: record.kind,
            amount: flat, percent: percent, durationMonths: record.durationMonths, minTransactionAmount: record.minTransactionAmount,
            description: record.description, summary: rule.summary(currency: program.currency), versionOf: record.versionOf,
            archivedAt: record.archivedAt, createdAt: record.createdAt
        )
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        let (programSlug, status, partnershipID) = (try QueryFilters.program.read(request), try Self.statusFilter.read(request), try QueryFilters.partnership.read(request))
        let page = try await APILookups.page(request) { after, limit in
            try await RewardReads.ofCompany(
                companyID: companyID, programSlug: programSlug, status: status, partnershipID: partnershipID, after: after, limit: limit, on: env.store.db
            )
        }
        let slugs = try await programSlugs(companyID: companyID)
        return try APIJSON.response(try page.map { try RewardObject($0, programSlug: slugs[$0.$program.id] ?? "") })
    }

    func programSlugs(companyID: UUID) async throws -> [UUID: String] {
        Dictionary(uniqueKeysWithValues: try await ProgramReads.ofCompany(companyID, on: env.store.db).map { (try $0.requireID(), $0.slug) })
    }

    func manual(_ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        let body = try APIJSON.decode(Self.manualContract, from: context)
        guard let raw = body.partnership, let id = UUID(uuidString: raw) else { throw APIError.notFound("partnership") }
        guard let amount = body.amount else { throw APIError(status: .badRequest, code: "missing_field", message: "`amount` is required.", field: "amount") }
        let (reward, slug) = try await RewardReview.manual(
            partnershipID: id, companyID: companyID, amount: amount, currency: body.currency, description: body.description,
            actor: .vendor(companyID: companyID), now: env.now(), on: env.store.db
        )
        return try APIJSON.response(try RewardObject(reward, programSlug: slug), status: .created)
    }

    func act(_ action: RewardLifecycle.Action, _ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("reward") }
        let body = context.apiBody.map { $0.readableBytes > 0 } == true ? try APIJSON.decode(action == .decline ? Self.declineContract : Self.actionContract, from: context) : ActionBody()
        if action == .decline && body.reason.nonBlank == nil {
            throw APIError(status: .badRequest, code: "missing_field", message: "`reason` is required to decline: the partner sees it.", field: "reason")
        }
        let (reward, slug) = try await RewardReview.act(
            action, rewardID: id, companyID: companyID, reason: body.reason, actor: .vendor(companyID: companyID), now: env.now(), on: env.store.db
        )
        return try APIJSON.response(try RewardObject(reward, programSlug: slug))
    }

    /// The same action on many rewards: `{"action": "approve"|"hold"|"decline", "rewards": [ids], "reason"}`.
    /// Each reward changes on its own; the answer lists those changed and each refusal.
    func review(_ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        let body = try APIJSON.decode(Self.reviewContract, from: context)
        let actions: [String: RewardLifecycle.Action] = ["approve": .approve, "hold": .hold, "decline": .decline]
        guard let name = body.action, let action = actions[name] else {
            throw APIError.invalid("action", "`action` must be approve, hold or decline.")
        }
        var ids: [UUID] = []
        for raw in body.rewards ?? [] {
            guard let id = UUID(uuidString: raw) else { throw APIError.invalid("rewards", "`rewards` must be reward ids.") }
            ids.append(id)
        }
        let outcome = try await RewardReview.act(
            action, rewardIDs: ids, companyID: companyID, reason: body.reason, actor: .vendor(companyID: companyID), now: env.now(), on: env.store.db)
        return try APIJSON.response(ReviewDTO(
            action: name, changed: outcome.changed,
            refused: outcome.refused.map { ReviewDTO.Refusal(id: $0.id, code: $0.refusal.code, message: $0.refusal.sentence) }))
    }
}

// The answers (`ResponseContract`).
extension RewardsAPI {
    static let ruleResponse = ResponseContract(
        RuleDTO(
            id: Examples.id(13), program: Examples.programSlug, group: Examples.id(10), trigger: "transaction", kind: "percent", amount: 1_000,
            percent: 20, durationMonths: 12, minTransactionAmount: 1_000, description: "For every paying customer",
            summary: "20% of every payment for 12 months", versionOf: Examples.id(14), archivedAt: Examples.date, createdAt: Examples.date
        ),
        name: "RewardRule", notes: [
            "program": .programSlug,
            "group": .text("The group it applies to; null for every group."),
            "trigger": .oneOf(["signup", "transaction", "lead_qualified", "deal_won", "partner_joined"]),
            "kind": .oneOf(["flat", "percent"]),
            "amount": .integer("Minor units, for a `flat` rule; null for a `percent` one."),
            "percent": .number("For a `percent` rule, e.g. 12.5; null for a `flat` one."),
            "duration_months": .integer("`transaction` rules: null for lifetime, 0 for the first transaction only, N months after signup."),
            "min_transaction_amount": .integer("`transaction` rules: the smallest transaction that earns, in minor units."),
            "summary": .text("The rule in words, e.g. \"20% of every payment for 12 months\"."),
            "version_of": .text("The rule's first version, when an edit made this one."),
        ]
    )

    static let reviewResponse = ResponseContract(
        ReviewDTO(action: "approve", changed: [Examples.id(1)], refused: [.init(id: Examples.id(15), code: "reward_in_withdrawal", message: "The reward is in a withdrawal.")]),
        name: "RewardReviewResult", notes: [
            "action": .oneOf(["approve", "hold", "decline"]),
            "changed": .list("The rewards that changed."),
            "refused": .list("The rewards that could not change, each with the reason; the others changed."),
            "refused.code": .text("Why, e.g. `invalid_transition`, `reward_in_withdrawal`, `not_found`."),
        ]
    )

    static let rewardResponse = ResponseContract(RewardObject.example, name: "Reward", notes: [
        "program": .programSlug,
        "kind": .oneOf(["rule", "manual", "clawback"], "`rule`: earned under a reward rule; `manual`: given by the vendor; `clawback`: negative, takes back part of a paid reward after a refund."),
        "status": .oneOf(["pending", "available", "held", "declined", "paid"]),
        "amount": .integer("Minor units; negative for a clawback. Refunds lower it from `original_amount`."),
        "original_amount": .integer("The amount when earned, in minor units."),
        "currency": .currency,
        "source": .text("What earned it: `signup:…`, `transaction:…`, `lead:…`, `deal:…`, `join:…`, `refund:…` or `manual:…`."),
        "decline_reason": .text("Why it was declined."),
        "transaction_id": .text("The transaction that earned it."),
        "customer_id": .text("The customer it came from."),
        "withdrawal_id": .text("The withdrawal holding or paying it."),
    ])
}
