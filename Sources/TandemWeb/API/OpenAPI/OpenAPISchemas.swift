import Foundation
import TandemDomain
import TandemIntegrations

/// The shapes the API reads and writes, as `components.schemas` (keys in snake_case, as
/// `APIJSON` encodes them). Request bodies are rendered from the contracts the handlers
/// decode with (`BodyContract`), so what the document says of them is what the server checks.
enum OpenAPISchemas {
    typealias Object = OpenAPIDocument.Object

    /// Every request body, from the contract its handler decodes with.
    static let requestBodies: [any DocumentedBody] = [
        ProgramsAPI.createContract, ProgramsAPI.updateContract, ProgramsAPI.groupCreateContract, ProgramsAPI.groupUpdateContract,
        PartnershipsAPI.createContract, PartnershipsAPI.updateContract, PartnershipsAPI.couponContract,
        CustomersAPI.contract, TransactionsAPI.createContract, TransactionsAPI.refundContract,
        LeadsAndDealsAPI.leadContract, LeadsAndDealsAPI.leadStatusContract, LeadsAndDealsAPI.dealContract, LeadsAndDealsAPI.dealStageContract,
        RewardsAPI.ruleContract, RewardsAPI.manualContract, RewardsAPI.actionContract, RewardsAPI.declineContract, RewardsAPI.reviewContract,
        CampaignsAPI.createContract, CampaignsAPI.updateContract, APIKeysAPI.contract,
        PartnerTeamAPI.inviteContract, PartnerTeamAPI.roleContract, PartnerAPI.linkContract,
        WithdrawalsAPI.methodContract, WithdrawalsAPI.withdrawContract, WithdrawalsAPI.markPaidContract,
        MessagesAPI.partnerContract, MessagesAPI.vendorContract, WebhooksAPI.contract,
    ]

    static func all(outbound: OutboundPolicy) -> Object {
        var schemas: Object = ["Error": error]
        for body in requestBodies {
            guard schemas[body.name] == nil else { preconditionFailure("The request body \(body.name) is defined twice.") }
            schemas[body.name] = body.schema(outbound: outbound)
        }
        for group in [programs, partnerships, customers, transactions, leadsAndDeals, rewards, payouts, partner] {
            schemas.merge(group) { _, _ in preconditionFailure("A schema is defined twice.") }
        }
        return schemas
    }

    static var error: Object {
        OpenAPIDocument.object([
            "error": OpenAPIDocument.object([
                "code": OpenAPIDocument.string("snake_case, e.g. `invalid_field`, `not_found`, `idempotency_key_reused`."),
                "message": OpenAPIDocument.string("A sentence for a person."),
                "field": OpenAPIDocument.string("The input at fault, when there is one, e.g. `allowed_domains[2]`."),
            ], required: ["code", "message"], nullableOptionals: false),
        ], required: ["error"], nullableOptionals: false)
    }
}

// Builders in scope without the `OpenAPIDocument.` prefix.
private typealias D = OpenAPIDocument

extension OpenAPISchemas {
    // MARK: Programs and groups (ProgramsAPI)

    static var programs: Object {
        let features = D.response([
            "links": D.boolean("Partners get tracking links."),
            "custom_links": D.boolean("Partners may make their own links with a slug."),
            "leads": D.boolean("The vendor may report leads."),
            "deals": D.boolean("The vendor may report deals."),
        ])
        return [
            "ProgramFeatures": features,
            "Program": D.response([
                "id": D.uuid,
                "object": D.kind("program"),
                "name": D.string(),
                "slug": D.string(),
                "currency": D.currency,
                "default_destination": D.string(format: "uri"),
                "allowed_domains": D.array(D.string()),
                "cookie_window_days": D.integer(),
                "hold_days": D.integer(),
                "min_withdrawal": D.minorUnits(),
                "category": D.string(),
                "description": D.string(),
                "marketplace": D.boolean(),
                "auto_approve": D.boolean(),
                "coupon_wins": D.boolean(),
                "features": D.ref("ProgramFeatures"),
                "groups": D.array(D.ref("Group")),
                "created_at": D.timestamp,
            ]),
            "Group": D.response([
                "id": D.uuid,
                "object": D.kind("group"),
                "name": D.string(),
                "default": D.boolean(),
                "partners": D.integer("Partners in the group (applied, invited or active); only in the groups list, null elsewhere."),
                "archived_at": D.timestamp,
            ], nullable: ["partners", "archived_at"]),
        ]
    }

    // MARK: Partnerships (PartnershipsAPI)

    static var partnerships: Object {
        [
            "Partnership": D.response([
                "id": D.uuid,
                "object": D.kind("partnership"),
                "program": D.programSlug,
                "partner_name": D.string(),
                "status": D.string(values: ["applied", "active", "declined", "archived"]),
                "group": D.uuid,
                "partner_key": D.string("Names this partner in `POST /customers`, leads and deals."),
                "default_link": D.string("The partner's default tracking link, while the partnership is active.", format: "uri"),
                "created_at": D.timestamp,
            ], optional: ["default_link"]),
        ]
    }

    // MARK: Customers (CustomersAPI)

    static var customers: Object {
        [
            "Customer": D.response([
                "id": D.uuid,
                "object": D.kind("customer"),
                "program": D.programSlug,
                "key": D.string(),
                "email": D.string(format: "x-email"),
                "name": D.string(),
                "partnership_id": D.string("The partnership the customer is attributed to; none when unattributed.", format: "uuid"),
                "click_id": D.string(),
                "attribution_note": D.string("""
                    Why the customer is not attributed, when it is not: e.g. `no_referral`, `unknown_click`, \
                    `click_outside_window`, `click_of_another_program`, `unknown_partner_key`, `partnership_not_active`, `self_referral`.
                    """),
                "signed_up_at": D.timestamp,
                "created_at": D.timestamp,
            ], optional: ["email", "name", "partnership_id", "click_id", "attribution_note"]),
        ]
    }

    // MARK: Transactions and refunds (TransactionsAPI)

    static var transactions: Object {
        [
            "CouponCode": D.response([
                "id": D.uuid,
                "object": D.kind("coupon_code"),
                "code": D.string(),
                "program": D.programSlug,
                "partnership": D.uuid,
                "created_at": D.timestamp,
            ]),
            "RewardReference": D.response(["id": D.uuid]),
            "Transaction": D.response([
                "id": D.uuid,
                "object": D.kind("transaction"),
                "program": D.programSlug,
                "customer_key": D.string(),
                "partnership_id": D.string("The partnership the customer is attributed to.", format: "uuid"),
                "external_id": D.string(),
                "amount": D.minorUnits(),
                "currency": D.currency,
                "refunded_amount": D.minorUnits(),
                "description": D.string(),
                "occurred_at": D.timestamp,
                "created_at": D.timestamp,
                "rewards": D.array(D.ref("RewardReference"), "The rewards this transaction created."),
            ], optional: ["partnership_id", "description"]),
            "Refund": D.response([
                "id": D.uuid,
                "object": D.kind("refund"),
                "transaction": D.string("The transaction's `external_id`."),
                "amount": D.minorUnits(),
                "currency": D.currency,
                "created_at": D.timestamp,
            ]),
        ]
    }

    // MARK: Leads and deals (LeadsAndDealsAPI)

    static var leadsAndDeals: Object {
        let leadStatus = D.string(values: ["new", "qualified", "unqualified", "converted", "lost"])
        let dealStage = D.string(values: ["open", "won", "lost"])
        return [
            "Lead": D.response([
                "id": D.uuid,
                "object": D.kind("lead"),
                "program": D.programSlug,
                "partnership_id": D.uuid,
                "email": D.string(format: "x-email"),
                "name": D.string(),
                "company": D.string(),
                "status": leadStatus,
                "created_at": D.timestamp,
                "updated_at": D.timestamp,
            ], optional: ["company"]),
            "Deal": D.response([
                "id": D.uuid,
                "object": D.kind("deal"),
                "program": D.programSlug,
                "partnership_id": D.uuid,
                "name": D.string(),
                "amount": D.minorUnits(),
                "currency": D.currency,
                "stage": dealStage,
                "created_at": D.timestamp,
                "updated_at": D.timestamp,
            ]),
        ]
    }

    // MARK: Reward rules and rewards (RewardsAPI, RewardDTO)

    static var rewards: Object {
        let trigger = D.string(values: ["signup", "transaction", "lead_qualified", "deal_won", "partner_joined"])
        let ruleKind = D.string(values: ["flat", "percent"])
        let reason = D.string("Why; the partner sees it.", maxLength: 500)
        return [
            "RewardRule": D.response([
                "id": D.uuid,
                "object": D.kind("reward_rule"),
                "program": D.programSlug,
                "group": D.string("The group it applies to; null for every group.", format: "uuid"),
                "trigger": trigger,
                "kind": ruleKind,
                "amount": D.minorUnits("Minor units, for a `flat` rule; null for a `percent` one."),
                "percent": D.number("For a `percent` rule, e.g. 12.5; null for a `flat` one."),
                "duration_months": D.integer("`transaction` rules: null for lifetime, 0 for the first transaction only, N months after signup."),
                "min_transaction_amount": D.minorUnits("`transaction` rules: the smallest transaction that earns, in minor units."),
                "description": D.string(),
                "summary": D.string("The rule in words, e.g. \"20% of every payment for 12 months\"."),
                "version_of": D.string("The rule's first version, when an edit made this one.", format: "uuid"),
                "archived_at": D.timestamp,
                "created_at": D.timestamp,
            ], nullable: ["group", "amount", "percent", "duration_months", "min_transaction_amount", "version_of", "archived_at"]),
            "RewardReviewResult": D.response([
                "object": D.kind("review"),
                "action": D.string(values: ["approve", "hold", "decline"]),
                "changed": D.array(D.uuid, "The rewards that changed."),
                "refused": D.array(D.response([
                    "id": D.uuid,
                    "code": D.string("Why, e.g. `invalid_transition`, `reward_in_withdrawal`, `not_found`."),
                    "message": D.string(),
                ]), "The rewards that could not change, each with the reason; the others changed."),
            ]),
            "Campaign": D.response([
                "id": D.uuid,
                "object": D.kind("campaign"),
                "program": D.string("The program's slug."),
                "name": D.string(),
                "subject": D.string(),
                "body": D.string("Markdown."),
                "trigger": D.string(values: ["partner_joined", "days_after_joining", "inactive", "first_signup", "reward_earned", "broadcast"]),
                "days": D.integer(minimum: 1, maximum: 365),
                "groups": D.array(D.uuid, "Empty: every group."),
                "status": D.string("`draft` sends nothing; `active` and `paused` are automated campaigns turned on and off; `sent`: a broadcast.", values: ["draft", "active", "paused", "sent"]),
                "activated_at": D.timestamp,
                "sent_at": D.timestamp,
                "counts": D.response([
                    "sent": D.integer("Mails delivered (or kept for /dev/mail without SMTP).", minimum: 0),
                    "failed": D.integer("Mails that failed for good.", minimum: 0),
                    "waiting": D.integer("Mails queued or being retried.", minimum: 0),
                ]),
                "created_at": D.timestamp,
            ], nullable: ["days", "activated_at", "sent_at"]),
            "Resource": D.response([
                "id": D.uuid,
                "object": D.kind("resource"),
                "program": D.string("The program's slug."),
                "kind": D.string(values: ["file", "link"]),
                "title": D.string(),
                "description": D.string(),
                "groups": D.array(D.uuid, "The groups that see it; empty: every group."),
                "url": D.string("A link's address; for a partner, a file's download."),
                "file_name": D.string(),
                "content_type": D.string("The type it is served with."),
                "size_bytes": D.integer("The file's size; 0 for a link.", minimum: 0),
                "created_at": D.timestamp,
            ], nullable: ["url", "file_name", "content_type"]),
            "Teammate": D.response([
                "id": D.uuid,
                "object": D.kind("teammate"),
                "name": D.string(),
                "email": D.string(),
                "role": D.string(values: ["owner", "admin", "finance", "member"]),
                "created_at": D.timestamp,
            ]),
            "Message": D.response([
                "id": D.uuid,
                "object": D.kind("message"),
                "partnership": D.uuid,
                "sender": D.string(values: ["partner", "vendor"]),
                "sender_name": D.string("Who wrote it, or the key's label with \"(API)\"."),
                "body": D.string(),
                "read_at": D.timestamp,
                "created_at": D.timestamp,
            ], nullable: ["read_at"]),
            "WebhookEndpoint": D.response([
                "id": D.uuid,
                "object": D.kind("webhook_endpoint"),
                "url": D.string(),
                "description": D.string(),
                "events": D.array(D.string(values: WebhookEventType.subscribable.map(\.rawValue))),
                "enabled": D.boolean("false once Tandem gave up on it (see `disabled_reason`)."),
                "disabled_reason": D.string(),
                "secret": D.string("`whsec_…`: only in the answer that made the endpoint or rotated its secret."),
                "created_at": D.timestamp,
            ], nullable: ["description", "disabled_reason", "secret"]),
            "WebhookDelivery": D.response([
                "id": D.uuid,
                "object": D.kind("webhook_delivery"),
                "event_id": D.uuid,
                "event_type": D.string(values: WebhookEventType.allCases.map(\.rawValue)),
                "status": D.string("`pending`: being sent or waiting for a retry; `failed`: given up after three days.", values: ["pending", "succeeded", "failed"]),
                "attempts": D.integer(minimum: 0),
                "response_status": D.integer(),
                "latency_ms": D.integer(minimum: 0),
                "response_body": D.string("The first 2 KB of the latest answer."),
                "error": D.string("Why the latest attempt got no answer."),
                "next_attempt_at": D.timestamp,
                "last_attempt_at": D.timestamp,
                "created_at": D.timestamp,
            ], nullable: ["response_status", "latency_ms", "response_body", "error", "next_attempt_at", "last_attempt_at"]),
            "APIKey": D.response([
                "id": D.uuid,
                "object": D.kind("api_key"),
                "label": D.string(),
                "prefix": D.string("The first characters of the secret, e.g. `tdm_sk_ab12`."),
                "secret": D.string("The secret: only in the answer to the POST that made the key."),
                "last_used_at": D.timestamp,
                "revoked_at": D.timestamp,
                "created_at": D.timestamp,
            ], nullable: ["secret", "last_used_at", "revoked_at"]),
            "Reward": D.response([
                "id": D.uuid,
                "object": D.kind("reward"),
                "program": D.programSlug,
                "partnership_id": D.uuid,
                "kind": D.string("`rule`: earned under a reward rule; `manual`: given by the vendor; `clawback`: negative, takes back part of a paid reward after a refund.",
                                 values: ["rule", "manual", "clawback"]),
                "status": D.string(values: ["pending", "available", "held", "declined", "paid"]),
                "amount": D.minorUnits("Minor units; negative for a clawback. Refunds lower it from `original_amount`."),
                "original_amount": D.minorUnits("The amount when earned, in minor units."),
                "currency": D.currency,
                "description": D.string(),
                "source": D.string("What earned it: `signup:…`, `transaction:…`, `lead:…`, `deal:…`, `join:…`, `refund:…` or `manual:…`."),
                "decline_reason": D.string("Why it was declined."),
                "transaction_id": D.string("The transaction that earned it.", format: "uuid"),
                "customer_id": D.string("The customer it came from.", format: "uuid"),
                "withdrawal_id": D.string("The withdrawal holding or paying it.", format: "uuid"),
                "available_at": D.timestamp,
                "created_at": D.timestamp,
            ], nullable: ["decline_reason", "transaction_id", "customer_id", "withdrawal_id"]),
        ]
    }

    // MARK: Payout methods and withdrawals (WithdrawalsAPI)

    static var payouts: Object {
        [
            "PayoutMethod": D.response([
                "object": D.kind("payout_method"),
                "provider": D.string(values: ["paypal", "stripe"]),
                "paypal_email": D.string("With `paypal`; null otherwise.", format: "x-email"),
                "stripe_account": D.string("With `stripe`; null otherwise."),
                "updated_at": D.timestamp,
            ], nullable: ["paypal_email", "stripe_account"]),
            "Withdrawal": D.response([
                "id": D.uuid,
                "object": D.kind("withdrawal"),
                "amount": D.minorUnits("The sum of its rewards, in minor units."),
                "currency": D.currency,
                "provider": D.string("`manual` when Tandem is not set up to pay through the partner's provider: the vendor pays and marks it paid.",
                                     values: ["paypal", "stripe", "manual"]),
                "recipient": D.string("The PayPal email or Stripe account; for `manual`, the partner's method as `paypal:EMAIL` or `stripe:ACCOUNT`."),
                "status": D.string(values: ["requested", "processing", "paid", "failed"]),
                "failure_reason": D.string("Why the payout failed; its rewards return to available for the next withdrawal."),
                "provider_reference": D.string("The provider's id of the payout (`manual` when marked paid by the vendor)."),
                "rewards": D.array(D.uuid, "The ids of the rewards it pays."),
                "requested_at": D.timestamp,
                "paid_at": D.timestamp,
            ], nullable: ["failure_reason", "provider_reference", "paid_at"]),
        ]
    }

    // MARK: The partner's side (PartnerAPI)

    static var partner: Object {
        [
            "PartnerProgramStats": D.response([
                "clicks": D.integer(),
                "referred": D.integer("Customers attributed."),
                "sold": D.minorUnits("Revenue of referred customers net of refunds, in minor units."),
                "earned": D.minorUnits("Rewards earned, in minor units."),
                "pending": D.minorUnits("Rewards not yet available, in minor units."),
            ]),
            "PartnerProgram": D.response([
                "id": D.string("The partnership's id.", format: "uuid"),
                "object": D.kind("partnership"),
                "program": D.programSlug,
                "program_name": D.string(),
                "company": D.string("The vendor's name."),
                "status": D.string(values: ["applied", "active", "declined", "archived"]),
                "currency": D.currency,
                "partner_key": D.string(),
                "default_link": D.string("While the partnership is active.", format: "uri"),
                "stats": D.ref("PartnerProgramStats"),
            ], optional: ["default_link"]),
            "Link": D.response([
                "id": D.uuid,
                "object": D.kind("link"),
                "program": D.programSlug,
                "url": D.string("`/r/{key}`.", format: "uri"),
                "slug_url": D.string("`/r/{program}/{slug}`, for a custom link.", format: "uri"),
                "slug": D.string(),
                "destination": D.string(format: "uri"),
                "is_default": D.boolean(),
                "created_at": D.timestamp,
            ], optional: ["slug_url", "slug"]),
            "PartnerCustomer": D.response([
                "id": D.uuid,
                "object": D.kind("customer"),
                "program": D.programSlug,
                "name": D.string(),
                "email": D.string("Masked: `d***@example.com`."),
                "signed_up_at": D.timestamp,
            ], optional: ["name", "email"]),
            "PartnerStatsFigures": D.response([
                "clicks": D.integer("Unique clicks."),
                "referred": D.integer("Customers who signed up."),
                "sold": D.minorUnits("Revenue of referred customers net of refunds, in minor units."),
                "paid": D.minorUnits("Rewards cashed out, by the day they were earned."),
                "pending": D.minorUnits("Rewards earned and not yet paid."),
            ]),
            "PartnerStatsPoint": D.response([
                "period": D.string("`2026-11-21` by day, `2026-11` by month (UTC)."),
                "clicks": D.integer(),
                "referred": D.integer(),
                "sold": D.minorUnits(),
                "paid": D.minorUnits(),
                "pending": D.minorUnits(),
            ]),
            "PartnerStats": D.response([
                "object": D.kind("stats"),
                "program": D.programSlug,
                "currency": D.currency,
                "interval": D.string(values: ["day", "month"]),
                "from": D.string("First day covered.", format: "date"),
                "to": D.string("Last day covered.", format: "date"),
                "totals": D.ref("PartnerStatsFigures"),
                "series": D.array(D.ref("PartnerStatsPoint"), "Every period from `from` to `to`, oldest first, zeros included."),
            ], nullable: ["program"]),
            "MarketplaceProgram": D.response([
                "object": D.kind("program"),
                "slug": D.string(),
                "name": D.string(),
                "company": D.string("The vendor's name."),
                "category": D.string(),
                "description": D.string(),
                "currency": D.currency,
                "auto_approve": D.boolean(),
            ]),
        ]
    }
}
