import Foundation
import TandemDomain

/// The shapes the API reads and writes, as `components.schemas`, taken from the request
/// bodies and DTOs of the handlers (keys in snake_case, as `APIJSON` encodes them).
enum OpenAPISchemas {
    typealias Object = OpenAPIDocument.Object

    static var all: Object {
        var schemas: Object = ["Error": error]
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
    /// A field that takes one value only (`default: true`): any other is refused, as the server does.
    static func only(_ value: Bool, _ schema: Object) -> Object {
        var schema = schema
        schema["enum"] = [value]
        return schema
    }

    /// An array the server refuses empty.
    static func atLeastOne(_ schema: Object) -> Object {
        var schema = schema
        schema["minItems"] = 1
        return schema
    }
}

extension OpenAPISchemas {
    // MARK: Programs and groups (ProgramsAPI)

    static var programs: Object {
        let features = D.object([
            "links": D.boolean("Partners get tracking links."),
            "custom_links": D.boolean("Partners may make their own links with a slug."),
            "leads": D.boolean("The vendor may report leads."),
            "deals": D.boolean("The vendor may report deals."),
        ])
        let programFields: [String: Object] = [
            "name": D.string(maxLength: 100),
            "slug": D.string("Letters, digits and dashes; unique across Tandem. Made from `name` when left out."),
            "currency": D.currency,
            "default_destination": D.string("Where the default links lead; its host must be one of `allowed_domains`.", format: "uri"),
            "allowed_domains": D.array(D.string(format: "hostname"), "Domains links may lead to (the default destination's host when left empty).", maxItems: 50),
            "cookie_window_days": D.integer(minimum: 1, maximum: 730, defaultValue: 90),
            "hold_days": D.integer("Days a reward waits before it is available.", minimum: 0, maximum: 365, defaultValue: 30),
            "min_withdrawal": D.integer("The smallest withdrawal, in minor units.", minimum: 0, defaultValue: 0),
            "category": D.string(maxLength: 50),
            "description": D.string(maxLength: 2000),
            "marketplace": D.boolean("Listed in the partner marketplace.", defaultValue: false),
            "auto_approve": D.boolean("Partners who apply are approved at once.", defaultValue: false),
            "coupon_wins": D.boolean("A signup naming a partner's coupon code is theirs even when another partner's link was clicked.", defaultValue: false),
            "features": D.ref("ProgramFeatures"),
        ]
        return [
            "ProgramFeatures": features,
            "ProgramCreate": D.object(programFields, required: ["name", "currency", "default_destination"]),
            "ProgramUpdate": D.object(programFields, description: "Only the fields sent change."),
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
            "GroupCreate": D.object([
                "name": D.string(maxLength: 100),
                "default": D.boolean("New partners join the default group; making this one default unmarks the other.", defaultValue: false),
            ], required: ["name"]),
            "GroupUpdate": D.object([
                "name": D.string(maxLength: 100),
                "default": Self.only(true, D.boolean("`true` makes it the default group (the previous default stops being it); `false` is refused.")),
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
            "PartnershipCreate": D.object([
                "program": D.programSlug,
                "email": D.string("The partner's email: an existing partner joins; a new one is invited to choose a password.", format: "x-email"),
                "name": D.string("For a new partner account (the part of the email before @ when left out).", maxLength: 100),
                "group": D.string("A group id of the program; the default group when left out.", format: "uuid"),
            ], required: ["program", "email"]),
            "PartnershipUpdate": D.object([
                "group": D.string("A group id of the program.", format: "uuid"),
                "status": D.string(values: ["active", "declined", "archived"]),
                "reason": D.string("Approving or declining an application mails the partner; this note goes with it.", maxLength: 500),
            ]),
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
            "CustomerCreate": D.object([
                "program": D.programSlug,
                "key": D.string("Your own id for this customer; unique per program. Sending it again returns the first customer.", maxLength: 255),
                "email": D.string(format: "x-email"),
                "name": D.string(maxLength: 200),
                "click_id": D.string("The `tdm_click` value the tracking script kept.", maxLength: 64),
                "partner_key": D.string("Attributes to this partner when there is no `click_id`."),
                "coupon_code": D.string("A partner's coupon code, any case: attributes the customer when no click does (always, with the program's `coupon_wins`).", maxLength: 100),
                "signed_up_at": D.string("Now when left out.", format: "date-time"),
            ], required: ["program", "key"]),
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
            "TransactionCreate": D.object([
                "program": D.programSlug,
                "customer_key": D.string("The `key` the customer was created with."),
                "external_id": D.string("Your id of the payment; unique per program. Sending it again returns the first transaction.", maxLength: 255),
                "amount": D.integer("Minor units, more than 0.", minimum: 1),
                "currency": D.currency,
                "occurred_at": D.string("Now when left out.", format: "date-time"),
                "description": D.string(maxLength: 500),
                "coupon_code": D.string("A partner's coupon code: a customer not created before signs up now, attributed by the code.", maxLength: 100),
            ], required: ["program", "customer_key", "external_id", "amount", "currency"]),
            "CouponCodeCreate": D.object([
                "code": ["type": "string", "pattern": "^ *[A-Za-z0-9_-]{3,40} *$", "description": "3 to 40 letters, digits, dashes or underscores; unique in the program whatever its case."] as Object,
            ], required: ["code"]),
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
            "RefundCreate": D.object([
                "program": D.programSlug,
                "amount": D.integer("Minor units; all that is left to refund when left out.", minimum: 1),
            ], required: ["program"]),
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
            "LeadCreate": D.object([
                "program": D.programSlug,
                "partner_key": D.string("The partner who brought the lead."),
                "email": D.string(format: "x-email"),
                "name": D.string(),
                "company": D.string(maxLength: 200),
            ], required: ["program", "partner_key", "email", "name"]),
            "LeadUpdate": D.object(["status": leadStatus], required: ["status"]),
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
            "DealCreate": D.object([
                "program": D.programSlug,
                "partner_key": D.string("The partner who brought the deal."),
                "name": D.string(maxLength: 200),
                "amount": D.integer("Minor units, 0 or more.", minimum: 0),
                "currency": D.currency,
            ], required: ["program", "partner_key", "name", "amount"]),
            "DealUpdate": D.object(["stage": dealStage], required: ["stage"]),
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
            "RewardRuleCreate": D.when(D.object([
                "group": D.string("A group id of the program; every group of the program when left out.", format: "uuid"),
                "trigger": trigger,
                "kind": ruleKind,
                "amount": D.integer("Minor units, for a `flat` rule (required there, at least 1)."),
                "percent": D.number("For a `percent` rule (required there): more than 0, at most 100, two decimals at most, e.g. 12.5."),
                "duration_months": D.nullable(D.integer(
                    "`transaction` rules: null or left out for the customer's lifetime, 0 for the first transaction only, "
                        + "N for transactions in the first N months after signup.",
                    minimum: 0, maximum: 120
                )),
                "min_transaction_amount": D.integer("`transaction` rules: only transactions of at least this many minor units earn.", minimum: 0),
                "description": D.string(maxLength: 300),
            ], required: ["trigger", "kind"]), cases: [
                ("kind", "flat", ["amount": ["type": "integer", "minimum": 1] as Object]),
                ("kind", "percent", [
                    "percent": ["type": "number", "exclusiveMinimum": 0, "maximum": 100, "multipleOf": 0.01] as Object,
                    "trigger": D.string(values: ["transaction", "deal_won"]),
                ]),
            ]),
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
            "RewardReview": D.when(D.object([
                "action": D.string(values: ["approve", "hold", "decline"]),
                "rewards": Self.atLeastOne(D.array(D.uuid, "The rewards to review (their ids), 1 to 500.", maxItems: 500)),
                "reason": D.string("Required to decline: the partner sees it.", maxLength: 500),
            ], required: ["action", "rewards"]), cases: [
                ("action", "decline", ["reason": D.constrained(D.string(maxLength: 500), field: "reason", required: true)]),
            ]),
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
            "CampaignCreate": D.when(D.object([
                "name": D.string("Only the vendor sees it.", maxLength: 80),
                "subject": D.string(maxLength: 150),
                "body": D.string("Markdown (raw HTML is shown as text).", maxLength: 20000),
                "trigger": D.string("When it is sent; `broadcast`: once, by hand.", values: ["partner_joined", "days_after_joining", "inactive", "first_signup", "reward_earned", "broadcast"]),
                "days": D.integer("For `days_after_joining` and `inactive`.", minimum: 1, maximum: 365),
                "groups": D.array(D.uuid, "The program's groups it reaches; none: every group."),
            ], required: ["name", "subject", "body", "trigger"]), cases: [
                (field: "trigger", value: "days_after_joining", then: ["days": D.integer(minimum: 1, maximum: 365)]),
                (field: "trigger", value: "inactive", then: ["days": D.integer(minimum: 1, maximum: 365)]),
            ]),
            "CampaignUpdate": D.object([
                "name": D.string(maxLength: 80),
                "subject": D.string(maxLength: 150),
                "body": D.string("Markdown (raw HTML is shown as text).", maxLength: 20000),
                "trigger": D.string("Only a draft changes its trigger.", values: ["partner_joined", "days_after_joining", "inactive", "first_signup", "reward_earned", "broadcast"]),
                "days": D.integer(minimum: 1, maximum: 365),
                "groups": D.array(D.uuid, "Replaces the groups; an empty list: every group."),
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
            "TeammateCreate": D.object([
                "email": D.string(format: "x-email"),
                "name": D.string("Shown to the team; the address's first part when left out.", maxLength: 100),
                "role": D.string("owner: everything; admin: the team; finance: payouts; member: the numbers.", values: ["owner", "admin", "finance", "member"]),
            ], required: ["email", "role"]),
            "TeammateUpdate": D.object([
                "role": D.string(values: ["owner", "admin", "finance", "member"]),
            ], required: ["role"]),
            "Teammate": D.response([
                "id": D.uuid,
                "object": D.kind("teammate"),
                "name": D.string(),
                "email": D.string(),
                "role": D.string(values: ["owner", "admin", "finance", "member"]),
                "created_at": D.timestamp,
            ]),
            "PartnerMessageCreate": D.object([
                "program": D.string("The program (its slug)."),
                "body": D.string("The message: 1 to 5,000 characters; line breaks kept.", maxLength: 5000),
            ], required: ["program", "body"]),
            "MessageCreate": D.object([
                "partnership": D.string("The partnership (its id).", format: "uuid"),
                "body": D.string("The message: 1 to 5,000 characters; line breaks kept.", maxLength: 5000),
            ], required: ["partnership", "body"]),
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
            "WebhookEndpointCreate": D.object([
                "url": D.constrained(["type": "string", "maxLength": 2000, "pattern": D.webhookURLPattern,
                                      "description": "Where events are POSTed: https:// on a public host."], field: "url", required: true),
                "description": D.string("To know the endpoint by.", maxLength: 200),
                "events": ["type": "array", "minItems": 1, "maxItems": 50, "description": "The events to send; at least one.",
                           "items": D.string(values: WebhookEventType.subscribable.map(\.rawValue))] as Object,
            ], required: ["url", "events"]),
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
            "APIKeyCreate": D.object([
                "label": D.string("To know the key by later.", maxLength: 100),
            ], required: ["label"]),
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
            "RewardCreate": D.object([
                "partnership": D.string("The partnership to reward (its id).", format: "uuid"),
                "amount": D.integer("Minor units, more than 0.", minimum: 1),
                "currency": D.currency,
                "description": D.string("Why; the partner sees it.", maxLength: 300),
            ], required: ["partnership", "amount", "description"]),
            "RewardAction": D.object(["reason": reason], description: "May be left out, or empty."),
            "RewardDecline": D.object(["reason": reason], required: ["reason"]),
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
            "PayoutMethodUpdate": D.when(D.object([
                "provider": D.string(values: ["paypal", "stripe"]),
                "paypal_email": D.string("With `paypal` (required there): the PayPal account's email."),
                "stripe_account": D.string("With `stripe` (required there): the Stripe connected account id, `acct_` and letters or digits, 10 to 40 characters (acct_1A2b3C4d5E6f7G8h)."),
            ], required: ["provider"]), cases: [
                ("provider", "paypal", ["paypal_email": D.constrained(D.string(format: "x-email"), field: "paypal_email", required: true)]),
                ("provider", "stripe", ["stripe_account": ["type": "string", "pattern": "^[ ]*acct_[A-Za-z0-9]{5,35}[ ]*$"] as Object]),
            ]),
            "PayoutMethod": D.response([
                "object": D.kind("payout_method"),
                "provider": D.string(values: ["paypal", "stripe"]),
                "paypal_email": D.string("With `paypal`; null otherwise.", format: "x-email"),
                "stripe_account": D.string("With `stripe`; null otherwise."),
                "updated_at": D.timestamp,
            ], nullable: ["paypal_email", "stripe_account"]),
            "WithdrawalMarkPaid": D.object([
                "reference": D.string("Your record of the payment (a bank transfer id); `manual` when left out.", maxLength: 200),
            ]),
            "WithdrawalCreate": D.object([
                "currency": D.currency,
            ], required: ["currency"]),
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
            "LinkCreate": D.object([
                "program": D.programSlug,
                "slug": D.string("Letters, digits and dashes, unique in the program.", maxLength: 50),
                "destination": D.string("A page on one of the program's allowed domains; the program's default when left out.", format: "uri"),
            ], required: ["program", "slug"]),
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
