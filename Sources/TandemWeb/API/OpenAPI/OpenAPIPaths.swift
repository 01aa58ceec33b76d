import Foundation
import TandemOperations

/// `paths` of the OpenAPI document: one function per group of routes, each returning its
/// path items keyed by the path as the router spells it (`/api/v1/programs/{slug}`).
/// Describe only routes the router has; `OpenAPITests` checks both directions.
enum OpenAPIPaths {
    typealias Object = OpenAPIDocument.Object

    static let tags: [(name: String, description: String)] = [
        ("Programs", "A vendor's partner programs and their groups."),
        ("Partnerships", "Partners enrolled in a vendor's programs."),
        ("Customers", "Signups on the vendor's side, attributed to partners."),
        ("Transactions", "What referred customers paid, and refunds."),
        ("Leads and deals", "Prospects and opportunities partners brought."),
        ("Rewards", "Reward rules, and the vendor's review of the rewards partners earn."),
        ("Withdrawals", "Payouts of partners' available rewards, as the vendor sees them."),
        ("Partner", "What a partner key can read and do."),
        ("Tracking", "Links and the tracking script; no key."),
        ("API keys", "The company's API keys."),
        ("Messages", "One thread per partnership, between the partner and the vendor's team."),
        ("Resources", "Files and links a vendor shares with a program's partners."),
        ("Campaigns", "Emails to a program's partners: automated by trigger, or one-off broadcasts."),
        ("Webhooks", "Endpoints that receive events, signed as Standard Webhooks describes: a company's webhooks and a partner's postbacks."),
        ("Meta", "This document."),
    ]

    static func all() -> Object {
        var paths: Object = [:]
        for group in [
            meta(), programs(), campaignChanges(), partnerships(), customers(), transactions(), leadsAndDeals(), rewards(), withdrawals(), apiKeys(), partner(), partnerPayouts(),
            tracking(), webhooks(base: "/api/v1/webhooks", access: .vendor, noun: "Webhook", owner: "the company's"),
            webhooks(base: "/api/v1/partner/postbacks", access: .partner, noun: "Postback", owner: "the partner account's"),
        ] {
            paths.merge(group) { _, _ in preconditionFailure("A path is described twice; describe its methods in one path item.") }
        }
        return paths
    }
}

private typealias D = OpenAPIDocument

extension OpenAPIPaths {
    /// `POST /api/v1/programs/{slug}/campaigns/{id}/activate`, `/pause`, `/send`: one per `Campaigns.Change`.
    static func campaignChanges() -> Object {
        var paths: Object = [:]
        for change in Campaigns.Change.allCases {
            let (summary, description): (String, String?) = switch change {
            case .activate: ("Turn an automated campaign on", "From a draft or paused. It reaches what happens to partners from now on (inactivity: whoever is inactive now), once per partner.")
            case .pause: ("Turn an automated campaign off", nil)
            case .send: ("Send a broadcast", "Once: to the active partners its groups have now (not to those who unsubscribed). The mails go out within a minute or two.")
            }
            paths["/api/v1/programs/{slug}/campaigns/{id}/\(change.rawValue)"] = D.pathItem(
                [D.pathParameter("slug", "The program's slug."), D.pathParameter("id", "The campaign's id.")],
                D.apiOperation(
                    "post", id: "\(change.rawValue)Campaign", tag: "Campaigns", summary: summary, access: .vendor, description: description,
                    responses: [200: ok("The campaign.", "Campaign")], errors: [404, 409]
                )
            )
        }
        return paths
    }
}

extension OpenAPIPaths {
    static func ok(_ description: String, _ schema: String) -> Object { D.successResponse(description, schema: D.ref(schema)) }
    // Query parameters are listed from the declarations their handlers read them with (`QueryParameter`).
    static var partnershipFilter: Object { QueryFilters.partnership.document }
    static var programFilter: Object { QueryFilters.program.document }
    static func okList(_ description: String, of schema: String) -> Object { D.successResponse(description, schema: D.list(of: schema)) }

    // MARK: Meta

    static func meta() -> Object {
        [
            "/api/openapi.json": D.pathItem([], D.apiOperation(
                "get", id: "getOpenAPIDocument", tag: "Meta", summary: "This OpenAPI 3.1 document", access: .open,
                responses: [200: D.successResponse("The document.", schema: ["type": "object"])]
            )),
        ]
    }

    // MARK: Programs (ProgramsAPI)

    static func programs() -> Object {
        let slug = D.pathParameter("slug", "The program's slug.")
        return [
            "/api/v1/programs": D.pathItem(
                [],
                D.apiOperation(
                    "post", id: "createProgram", tag: "Programs", summary: "Create a program", access: .vendor,
                    description: "The program gets a default group named Default.",
                    body: "ProgramCreate", responses: [201: ok("The program.", "Program")], errors: [409]
                ),
                D.apiOperation(
                    "get", id: "listPrograms", tag: "Programs", summary: "List the company's programs", access: .vendor,
                    paged: true, responses: [200: okList("Programs, newest first.", of: "Program")]
                )
            ),
            "/api/v1/programs/{slug}": D.pathItem(
                [slug],
                D.apiOperation(
                    "get", id: "getProgram", tag: "Programs", summary: "Get a program", access: .vendor,
                    responses: [200: ok("The program.", "Program")], errors: [404]
                ),
                D.apiOperation(
                    "patch", id: "updateProgram", tag: "Programs", summary: "Change a program", access: .vendor,
                    body: "ProgramUpdate", responses: [200: ok("The program.", "Program")], errors: [404, 409]
                )
            ),
            "/api/v1/programs/{slug}/resources": D.pathItem(
                [slug],
                D.apiOperation(
                    "get", id: "listResources", tag: "Resources", summary: "A program's resources", access: .vendor,
                    paged: true, responses: [200: okList("Resources, newest first (no bytes).", of: "Resource")], errors: [404]
                ),
                Self.multipartUpload(D.apiOperation(
                    "post", id: "createResource", tag: "Resources", summary: "Upload a file (at most 25 MB) or add a link", access: .vendor,
                    description: "multipart/form-data: `title`, optional `description`, `group` (a group's id, repeated for each group that sees it; none: every group), and a `file` or a `url` (http or https). The file is served to partners as a download, never as a page.",
                    responses: [201: ok("The resource.", "Resource")], errors: [404, 413]
                ))
            ),
            "/api/v1/programs/{slug}/resources/{id}": D.pathItem(
                [slug, D.pathParameter("id", "The resource's id.")],
                D.apiOperation(
                    "delete", id: "deleteResource", tag: "Resources", summary: "Remove a resource and its file", access: .vendor,
                    responses: [204: D.successResponse("Removed.")], errors: [404]
                )
            ),
            "/api/v1/programs/{slug}/campaigns": D.pathItem(
                [slug],
                D.apiOperation(
                    "get", id: "listCampaigns", tag: "Campaigns", summary: "A program's email campaigns", access: .vendor,
                    paged: true, responses: [200: okList("Campaigns, newest first, each with its sent, failed and waiting counts.", of: "Campaign")], errors: [404]
                ),
                D.apiOperation(
                    "post", id: "createCampaign", tag: "Campaigns", summary: "Write a campaign (a draft)", access: .vendor,
                    description: """
                    A draft sends nothing: turn an automated campaign on (`/activate`) or send a broadcast (`/send`). `groups`: the \
                    program's groups it reaches (none: every group). `days` is required for `days_after_joining` and `inactive`. \
                    The body is Markdown; mails are plain text with an unsubscribe link.
                    """,
                    body: "CampaignCreate", responses: [201: ok("The campaign.", "Campaign")], errors: [404, 409]
                )
            ),
            "/api/v1/programs/{slug}/campaigns/{id}": D.pathItem(
                [slug, D.pathParameter("id", "The campaign's id.")],
                D.apiOperation(
                    "get", id: "getCampaign", tag: "Campaigns", summary: "Get a campaign", access: .vendor,
                    responses: [200: ok("The campaign.", "Campaign")], errors: [404]
                ),
                D.apiOperation(
                    "patch", id: "updateCampaign", tag: "Campaigns", summary: "Change a campaign", access: .vendor,
                    description: "Fields left out keep their value. A sent broadcast no longer changes (409 `campaign_sent`); a campaign that was turned on keeps its trigger.",
                    body: "CampaignUpdate", responses: [200: ok("The campaign.", "Campaign")], errors: [404, 409]
                ),
                D.apiOperation(
                    "delete", id: "deleteCampaign", tag: "Campaigns", summary: "Delete a campaign that mailed nobody", access: .vendor,
                    description: "409 `campaign_has_sends` once it has mailed a partner: pause it instead.",
                    responses: [204: D.successResponse("Deleted.")], errors: [404, 409]
                )
            ),
            "/api/v1/programs/{slug}/groups": D.pathItem(
                [slug],
                D.apiOperation(
                    "post", id: "createGroup", tag: "Programs", summary: "Add a partner group to a program", access: .vendor,
                    body: "GroupCreate", responses: [201: ok("The group.", "Group")], errors: [404]
                ),
                D.apiOperation(
                    "get", id: "listGroups", tag: "Programs", summary: "List a program's groups", access: .vendor,
                    query: [ProgramsAPI.archivedGroups.document],
                    responses: [200: okList("Groups, oldest first, each with its partner count (one page).", of: "Group")], errors: [404]
                )
            ),
            "/api/v1/programs/{slug}/groups/{id}": D.pathItem(
                [slug, D.pathParameter("id", "The group's id.")],
                D.apiOperation(
                    "patch", id: "updateGroup", tag: "Programs", summary: "Rename a group or make it the default", access: .vendor,
                    body: "GroupUpdate", responses: [200: ok("The group.", "Group")], errors: [404]
                ),
                D.apiOperation(
                    "delete", id: "archiveGroup", tag: "Programs", summary: "Archive a group", access: .vendor,
                    description: """
                    The group takes no partners and its reward rules are archived with it; rules and rewards made under it \
                    keep pointing at it. 409 `default_group` for the default group, 409 `group_in_use` while partners are in it. \
                    Archiving an archived group changes nothing and answers it as it is.
                    """,
                    responses: [200: ok("The group, archived.", "Group")], errors: [404, 409]
                )
            ),
        ]
    }

    // MARK: Partnerships (PartnershipsAPI)

    static func partnerships() -> Object {
        [
            "/api/v1/partnerships": D.pathItem(
                [],
                D.apiOperation(
                    "post", id: "createPartnership", tag: "Partnerships", summary: "Enrol a partner by email", access: .vendor,
                    description: "An existing partner account joins; a new email gets an account and an invitation. Enrolling twice returns the first partnership (200).",
                    body: "PartnershipCreate",
                    responses: [201: ok("The new partnership, with its partner key and default link.", "Partnership"),
                                200: ok("The partner was already enrolled.", "Partnership")],
                    errors: [404, 409]
                ),
                D.apiOperation(
                    "get", id: "listPartnerships", tag: "Partnerships", summary: "List partnerships", access: .vendor,
                    query: [
                        programFilter, PartnershipsAPI.statusFilter.document,
                    ],
                    paged: true, responses: [200: okList("Partnerships, newest first.", of: "Partnership")]
                )
            ),
            "/api/v1/partnerships/{id}": D.pathItem(
                [D.pathParameter("id", "The partnership's id.")],
                D.apiOperation(
                    "patch", id: "updatePartnership", tag: "Partnerships", summary: "Move a partnership to a group or change its status", access: .vendor,
                    body: "PartnershipUpdate", responses: [200: ok("The partnership.", "Partnership")], errors: [404, 409]
                )
            ),
            "/api/v1/partnerships/{id}/coupon-codes": D.pathItem(
                [D.pathParameter("id", "The partnership's id.")],
                D.apiOperation(
                    "get", id: "listCouponCodes", tag: "Partnerships", summary: "The partnership's coupon codes", access: .vendor,
                    paged: true, responses: [200: okList("Codes, oldest first.", of: "CouponCode")], errors: [404]
                ),
                D.apiOperation(
                    "post", id: "createCouponCode", tag: "Partnerships", summary: "Give the partnership a coupon code", access: .vendor,
                    description: "`coupon_code` on POST /customers and /transactions then attributes to this partnership. Giving the same code again returns it.",
                    body: "CouponCodeCreate", responses: [201: ok("The code.", "CouponCode")], errors: [404]
                )
            ),
            "/api/v1/partnerships/{id}/coupon-codes/{code}": D.pathItem(
                [D.pathParameter("id", "The partnership's id."), D.pathParameter("code", "The code's id.")],
                D.apiOperation(
                    "delete", id: "deleteCouponCode", tag: "Partnerships", summary: "Take a coupon code back", access: .vendor,
                    description: "Customers it attributed stay attributed; later ones naming it are not.",
                    responses: [204: D.successResponse("Deleted.")], errors: [404]
                )
            ),
        ]
    }

    // MARK: Customers (CustomersAPI)

    static func customers() -> Object {
        [
            "/api/v1/customers": D.pathItem([], D.apiOperation(
                "post", id: "createCustomer", tag: "Customers", summary: "Report a signup", access: .vendor,
                description: "Attributed to the partner whose link the visitor clicked last within the cookie window (`click_id`), or to `partner_key`.",
                body: "CustomerCreate",
                responses: [201: ok("The customer; `partnership_id` is none when unattributed.", "Customer"),
                            200: ok("A customer with this `key` exists already: that one.", "Customer")],
                errors: [404]
            ), D.apiOperation(
                "get", id: "listCustomers", tag: "Customers", summary: "List the customers of the company's programs", access: .vendor,
                query: [programFilter, partnershipFilter],
                paged: true, responses: [200: okList("Customers, newest signup first.", of: "Customer")], errors: [404]
            )),
        ]
    }

    // MARK: Transactions and refunds (TransactionsAPI)

    static func transactions() -> Object {
        [
            "/api/v1/transactions": D.pathItem([], D.apiOperation(
                "post", id: "createTransaction", tag: "Transactions", summary: "Report a payment by a customer", access: .vendor,
                body: "TransactionCreate",
                responses: [201: ok("The transaction, with the rewards it created.", "Transaction"),
                            200: ok("A transaction with this `external_id` exists already: that one, no new reward.", "Transaction")],
                errors: [404]
            ), D.apiOperation(
                "get", id: "listTransactions", tag: "Transactions", summary: "List the payments of the company's programs", access: .vendor,
                query: [programFilter, partnershipFilter, TransactionsAPI.customerFilter.document],
                paged: true, responses: [200: okList("Transactions, newest payment first, each with the rewards it made.", of: "Transaction")], errors: [404]
            )),
            "/api/v1/transactions/{external_id}/refunds": D.pathItem(
                [D.pathParameter("external_id", "The transaction's `external_id`.")],
                D.apiOperation(
                    "post", id: "createRefund", tag: "Transactions", summary: "Refund a transaction, in full or in part", access: .vendor,
                    body: "RefundCreate", responses: [201: ok("The refund.", "Refund")], errors: [404, 409]
                )
            ),
        ]
    }

    // MARK: Leads and deals (LeadsAndDealsAPI)

    static func leadsAndDeals() -> Object {
        [
            "/api/v1/leads": D.pathItem([], D.apiOperation(
                "post", id: "createLead", tag: "Leads and deals", summary: "Report a lead a partner brought", access: .vendor,
                description: "409 `leads_disabled` when the program does not take leads; 409 `email_taken` when that email is already a lead in the program.",
                body: "LeadCreate", responses: [201: ok("The lead.", "Lead")], errors: [404, 409]
            ), D.apiOperation(
                "get", id: "listLeads", tag: "Leads and deals", summary: "List leads", access: .vendor,
                query: [programFilter, partnershipFilter,
                        LeadsAndDealsAPI.leadStatusFilter.document],
                paged: true, responses: [200: okList("Leads, newest first.", of: "Lead")], errors: [404]
            )),
            "/api/v1/leads/{id}": D.pathItem(
                [D.pathParameter("id", "The lead's id.")],
                D.apiOperation(
                    "patch", id: "updateLead", tag: "Leads and deals", summary: "Change a lead's status", access: .vendor,
                    body: "LeadUpdate", responses: [200: ok("The lead.", "Lead")], errors: [404]
                )
            ),
            "/api/v1/deals": D.pathItem([], D.apiOperation(
                "post", id: "createDeal", tag: "Leads and deals", summary: "Report a deal a partner brought", access: .vendor,
                description: "409 `deals_disabled` when the program does not take deals.",
                body: "DealCreate", responses: [201: ok("The deal.", "Deal")], errors: [404, 409]
            ), D.apiOperation(
                "get", id: "listDeals", tag: "Leads and deals", summary: "List deals", access: .vendor,
                query: [programFilter, partnershipFilter, LeadsAndDealsAPI.dealStageFilter.document],
                paged: true, responses: [200: okList("Deals, newest first.", of: "Deal")], errors: [404]
            )),
            "/api/v1/deals/{id}": D.pathItem(
                [D.pathParameter("id", "The deal's id.")],
                D.apiOperation(
                    "patch", id: "updateDeal", tag: "Leads and deals", summary: "Change a deal's stage", access: .vendor,
                    body: "DealUpdate", responses: [200: ok("The deal.", "Deal")], errors: [404]
                )
            ),
        ]
    }

    // MARK: Reward rules and rewards (RewardsAPI)


    static func rewards() -> Object {
        let rewardID = D.pathParameter("id", "The reward's id.")
        func act(id: String, summary: String, description: String, body: String, bodyRequired: Bool) -> Object {
            D.pathItem(
                [rewardID],
                D.apiOperation(
                    "post", id: id, tag: "Rewards", summary: summary, access: .vendor,
                    description: description + " A reward that is part of a withdrawal cannot change: 409 `reward_in_withdrawal`; "
                        + "a status this action does not apply to: 409 `invalid_transition`.",
                    body: body, bodyRequired: bodyRequired, responses: [200: ok("The reward, with its new status.", "Reward")], errors: [404, 409]
                )
            )
        }
        return [
            "/api/v1/programs/{slug}/reward-rules": D.pathItem(
                [D.pathParameter("slug", "The program's slug.")],
                D.apiOperation(
                    "post", id: "createRewardRule", tag: "Rewards", summary: "Add a reward rule to a program", access: .vendor,
                    description: """
                    A `flat` rule pays `amount` minor units; a `percent` rule pays `percent` of the transaction or deal amount \
                    (only with the `transaction` and `deal_won` triggers). `duration_months` and `min_transaction_amount` \
                    apply to `transaction` rules only and are null for the others. A missing `amount` or `percent` is \
                    400 `missing_field`; other bad input (a `group` not of this program too) 400 `invalid_field`.
                    """,
                    body: "RewardRuleCreate", responses: [201: ok("The rule.", "RewardRule")], errors: [404]
                ),
                D.apiOperation(
                    "get", id: "listRewardRules", tag: "Rewards", summary: "List a program's reward rules", access: .vendor,
                    query: [RewardsAPI.archivedRules.document],
                    responses: [200: okList("Rules, oldest first (one page).", of: "RewardRule")], errors: [404]
                )
            ),
            "/api/v1/programs/{slug}/reward-rules/{id}": D.pathItem(
                [D.pathParameter("slug", "The program's slug."), D.pathParameter("id", "The rule's id.")],
                D.apiOperation(
                    "patch", id: "updateRewardRule", tag: "Rewards", summary: "Change a reward rule (a new version)", access: .vendor,
                    description: """
                    The body is the whole rule, as for creating one. The change is a new rule (a new id, `version_of` the first \
                    version) and the old one is archived: rewards already made keep the rule that made them, and an event the old \
                    version paid is not paid again. 409 `rule_archived` for an archived rule or an earlier version.
                    """,
                    body: "RewardRuleCreate", responses: [200: ok("The new version.", "RewardRule")], errors: [404, 409]
                ),
                D.apiOperation(
                    "delete", id: "archiveRewardRule", tag: "Rewards", summary: "Archive a reward rule", access: .vendor,
                    description: "The rule pays nothing new; what it paid stays. 409 `rule_archived` when it is archived already.",
                    responses: [200: ok("The rule, archived.", "RewardRule")], errors: [404, 409]
                )
            ),
            "/api/v1/rewards/review": D.pathItem([], D.apiOperation(
                "post", id: "reviewRewards", tag: "Rewards", summary: "Approve, hold or decline many rewards", access: .vendor,
                description: """
                Each reward changes on its own: one that cannot (paid, in a withdrawal, not the company's) is listed in `refused` \
                and the others change. A decline without `reason` refuses the whole request (400) before anything changes.
                """,
                body: "RewardReview", responses: [200: ok("What changed and what was refused.", "RewardReviewResult")]
            )),
            "/api/v1/rewards": D.pathItem(
                [],
                D.apiOperation(
                    "get", id: "listRewards", tag: "Rewards", summary: "List the rewards of the company's programs", access: .vendor,
                    query: [
                        programFilter, RewardsAPI.statusFilter.document, partnershipFilter,
                    ],
                    paged: true, responses: [200: okList("Rewards, newest first.", of: "Reward")]
                ),
                D.apiOperation(
                    "post", id: "createManualReward", tag: "Rewards", summary: "Give a partner a reward by hand", access: .vendor,
                    description: """
                    A `manual` reward, `pending` until the program's hold period ends. A partnership that is not one of \
                    the company's is a 404.
                    """,
                    body: "RewardCreate", responses: [201: ok("The reward.", "Reward")], errors: [404]
                )
            ),
            "/api/v1/rewards/{id}/approve": act(
                id: "approveReward", summary: "Approve a reward",
                description: "A `pending` or `held` reward becomes `available` at once.", body: "RewardAction", bodyRequired: false
            ),
            "/api/v1/rewards/{id}/decline": act(
                id: "declineReward", summary: "Decline a reward",
                description: "A `pending`, `held` or `available` reward becomes `declined`. `reason` is required (400 `missing_field`): the partner sees it.",
                body: "RewardDecline", bodyRequired: true
            ),
            "/api/v1/rewards/{id}/hold": act(
                id: "holdReward", summary: "Hold a reward",
                description: "A `pending` or `available` reward becomes `held` until it is approved or declined.", body: "RewardAction", bodyRequired: false
            ),
        ]
    }

    // MARK: Withdrawals, the vendor's side (WithdrawalsAPI)

    static func withdrawals() -> Object {
        [
            "/api/v1/withdrawals": D.pathItem([], D.apiOperation(
                "get", id: "listWithdrawals", tag: "Withdrawals", summary: "Withdrawals that include the company's rewards", access: .vendor,
                query: [
                    WithdrawalsAPI.withdrawalProgramFilter.document, WithdrawalsAPI.statusFilter.document,
                ],
                paged: true, responses: [200: okList("Withdrawals, newest request first.", of: "Withdrawal")]
            )),
            "/api/v1/withdrawals/{id}/mark-paid": D.pathItem(
                [D.pathParameter("id", "The withdrawal's id.")],
                D.apiOperation(
                    "post", id: "markWithdrawalPaid", tag: "Withdrawals", summary: "Mark a manual withdrawal paid", access: .vendor,
                    description: """
                    For a withdrawal with provider `manual`, once the vendor has paid the partner itself; its rewards become `paid`. \
                    409 `not_manual` for a PayPal or Stripe withdrawal (Tandem marks those when the provider confirms), \
                    409 `invalid_transition` when it is already paid or failed. A withdrawal that includes other companies' rewards \
                    is 403 `shared_withdrawal`: the platform operator settles it.
                    """,
                    body: "WithdrawalMarkPaid", bodyRequired: false,
                    responses: [200: ok("The withdrawal, now paid.", "Withdrawal")], errors: [404, 409]
                )
            ),
            "/api/v1/withdrawals/{id}/retry": D.pathItem(
                [D.pathParameter("id", "The failed withdrawal's id.")],
                D.apiOperation(
                    "post", id: "retryWithdrawal", tag: "Withdrawals", summary: "Try a failed withdrawal again", access: .vendor,
                    description: """
                    A new withdrawal of the partner's available rewards of the same programs (those of the failed one went back to \
                    available), paid to the partner's payout method as it is now. 409 `invalid_transition` unless it failed; \
                    409 when nothing is available.
                    """,
                    responses: [201: ok("The new withdrawal.", "Withdrawal")], errors: [404, 409]
                )
            ),
        ]
    }

    // MARK: API keys (APIKeysAPI)

    static func apiKeys() -> Object {
        [
            "/api/v1/api-keys": D.pathItem(
                [],
                D.apiOperation(
                    "get", id: "listAPIKeys", tag: "API keys", summary: "List the company's API keys", access: .vendor,
                    paged: true, responses: [200: okList("Keys, live first, newest first; no secrets.", of: "APIKey")]
                ),
                D.apiOperation(
                    "post", id: "createAPIKey", tag: "API keys", summary: "Create an API key", access: .vendor,
                    body: "APIKeyCreate", responses: [201: ok("The key, with its secret (shown this once).", "APIKey")]
                )
            ),
            "/api/v1/api-keys/{id}": D.pathItem(
                [D.pathParameter("id", "The key's id.")],
                D.apiOperation(
                    "delete", id: "revokeAPIKey", tag: "API keys", summary: "Revoke an API key", access: .vendor,
                    description: "At once; revoking a revoked key changes nothing.",
                    responses: [200: ok("The key, revoked.", "APIKey")], errors: [404]
                )
            ),
        ]
    }

    /// A file as `ResourceDownload` serves it: one of the safe types, or plain bytes.
    private static func download() -> Object {
        var content: Object = [:]
        for type in Resources.safeTypes.sorted() + ["application/octet-stream"] {
            content[type] = ["schema": D.string(format: "binary")]
        }
        return ["description": "The file, as an attachment.", "content": content]
    }

    /// An operation whose body is a multipart upload (the builder's bodies are JSON).
    private static func multipartUpload(_ operation: D.Operation) -> D.Operation {
        var object = operation.object
        let schema: Object = [
            "type": "object", "additionalProperties": false, "required": ["title"],
            "properties": [
                "title": D.constrained(D.string("At most 100 characters.", maxLength: 100), field: "title", required: true),
                "description": D.constrained(D.string("At most 1,000 characters.", maxLength: 1000), field: "description", required: false),
                "group": ["type": "string", "description": "A group's id; repeat the field for more groups; empty or left out: every group.",
                          "pattern": "^([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})?$"],
                "url": D.constrained(D.string("A link instead of a file: http or https.", format: "uri"), field: "url", required: false),
                "file": ["type": "string", "format": "binary", "description": "The file: at most 25 MB."],
            ] as Object,
        ]
        object["requestBody"] = ["required": true, "content": ["multipart/form-data": ["schema": schema]]]
        return D.Operation(method: operation.method, object: object)
    }

    // MARK: The partner's side (PartnerAPI)

    static func partner() -> Object {
        let program = programFilter
        return [
            "/api/v1/partner/programs": D.pathItem([], D.apiOperation(
                "get", id: "listPartnerPrograms", tag: "Partner", summary: "The partner's partnerships, with their stats", access: .partner,
                responses: [200: okList("Every partnership, newest first, in one page.", of: "PartnerProgram")]
            )),
            "/api/v1/partner/links": D.pathItem(
                [],
                D.apiOperation(
                    "get", id: "listPartnerLinks", tag: "Partner", summary: "The partner's links in active partnerships", access: .partner,
                    query: [program], paged: true, responses: [200: okList("Links, newest first.", of: "Link")]
                ),
                D.apiOperation(
                    "post", id: "createPartnerLink", tag: "Partner", summary: "Make a custom link", access: .partner,
                    description: "At most 50 custom links per partnership; 409 `link_limit_reached`, `slug_taken` or `custom_links_disabled`.",
                    body: "LinkCreate", responses: [201: ok("The link.", "Link")], errors: [404, 409]
                )
            ),
            "/api/v1/partner/links/{id}": D.pathItem(
                [D.pathParameter("id", "The link's id.")],
                D.apiOperation(
                    "delete", id: "deletePartnerLink", tag: "Partner", summary: "Delete a custom link", access: .partner,
                    description: "Its clicks stay counted and its slug is free again. The default link cannot be deleted (409 `default_link`).",
                    responses: [204: D.successResponse("Deleted.")], errors: [404, 409]
                )
            ),
            "/api/v1/partner/messages": D.pathItem(
                [],
                D.apiOperation(
                    "get", id: "listPartnerMessages", tag: "Messages", summary: "The thread with one program's team", access: .partner,
                    description: "Newest first. Reading here marks nothing read (a person opening the thread does).",
                    query: [MessagesAPI.threadProgram.document], paged: true,
                    responses: [200: okList("Messages, newest first.", of: "Message")], errors: [404]
                ),
                D.apiOperation(
                    "post", id: "createPartnerMessage", tag: "Messages", summary: "Write to a program's team", access: .partner,
                    description: "The team is mailed, at most once per thread per 10 minutes. 409 `partnership_not_active` unless the partnership is active.",
                    body: "PartnerMessageCreate", responses: [201: ok("The message.", "Message")], errors: [404]
                )
            ),
            "/api/v1/messages": D.pathItem(
                [],
                D.apiOperation(
                    "get", id: "listMessages", tag: "Messages", summary: "The thread with one partner", access: .vendor,
                    description: "Newest first. Reading here marks nothing read.",
                    query: [MessagesAPI.threadPartnership.document], paged: true,
                    responses: [200: okList("Messages, newest first.", of: "Message")], errors: [404]
                ),
                D.apiOperation(
                    "post", id: "createMessage", tag: "Messages", summary: "Write to a partner", access: .vendor,
                    description: "Everyone on the partner's account is mailed, at most once per thread per 10 minutes. 409 `partnership_not_active` unless the partnership is active.",
                    body: "MessageCreate", responses: [201: ok("The message.", "Message")], errors: [404]
                )
            ),
            "/api/v1/partner/resources": D.pathItem([], D.apiOperation(
                "get", id: "listPartnerResources", tag: "Resources", summary: "What a program shares with the partner's group", access: .partner,
                query: [ResourcesAPI.programParameter.document], paged: true,
                responses: [200: okList("Resources, newest first; a file's `url` is its download.", of: "Resource")], errors: [404]
            )),
            "/api/v1/partner/resources/{id}/download": D.pathItem([D.pathParameter("id", "The resource's id.")], D.apiOperation(
                "get", id: "downloadPartnerResource", tag: "Resources", summary: "Download a resource's file", access: .partner,
                description: "Always `Content-Disposition: attachment`; HTML, SVG and other active types are served as `application/octet-stream`.",
                responses: [200: Self.download()], errors: [404]
            )),
            "/api/v1/partner/customers": D.pathItem([], D.apiOperation(
                "get", id: "listPartnerCustomers", tag: "Partner", summary: "Customers the partner referred", access: .partner,
                query: [program], paged: true, responses: [200: okList("Customers, newest signup first; emails masked.", of: "PartnerCustomer")]
            )),
            "/api/v1/partner/stats": D.pathItem([], D.apiOperation(
                "get", id: "getPartnerStats", tag: "Partner", summary: "The five numbers over time", access: .partner,
                description: "By day or by month, every period included. Without `program`, all the partner's programs (they must pay in one currency).",
                query: [
                    program,
                    PartnerStatsAPI.fromParameter.document, PartnerStatsAPI.toParameter.document, PartnerStatsAPI.intervalParameter.document,
                ],
                responses: [200: ok("Totals and the series.", "PartnerStats")], errors: [400, 404]
            )),
            "/api/v1/marketplace": D.pathItem([], D.apiOperation(
                "get", id: "listMarketplace", tag: "Partner", summary: "Programs listed in the marketplace", access: .partner,
                query: [
                    PartnerAPI.searchFilter.document, PartnerAPI.categoryFilter.document,
                ],
                responses: [200: okList("Listed programs by name, in one page.", of: "MarketplaceProgram")]
            )),
        ]
    }

    // MARK: The partner's rewards, payout method and withdrawals (WithdrawalsAPI)

    static func partnerPayouts() -> Object {
        [
            "/api/v1/partner/rewards": D.pathItem([], D.apiOperation(
                "get", id: "listPartnerRewards", tag: "Partner", summary: "The partner's rewards, across programs", access: .partner,
                query: [
                    programFilter, RewardsAPI.statusFilter.document,
                ],
                paged: true, responses: [200: okList("Rewards, newest first.", of: "Reward")]
            )),
            "/api/v1/partner/team": D.pathItem(
                [],
                D.apiOperation(
                    "get", id: "listPartnerTeam", tag: "Partner", summary: "The partner account's teammates", access: .partner,
                    responses: [200: okList("Teammates, oldest first (one page: a team has at most 50).", of: "Teammate")]
                ),
                D.apiOperation(
                    "post", id: "invitePartnerTeammate", tag: "Partner", summary: "Invite a teammate", access: .partner,
                    description: """
                    A new address is mailed a 7-day link to choose a password; a known login joins at once and is told. 409 \
                    `already_a_teammate` when the address is on a team already; 409 `team_full` when the account has 50 people (pending \
                    invitations included). Only the owner makes partner keys, so a key acts as the owner.
                    """,
                    body: "TeammateCreate", responses: [201: ok("The teammate.", "Teammate")], errors: [409]
                )
            ),
            "/api/v1/partner/team/{id}": D.pathItem(
                [D.pathParameter("id", "The teammate's id.")],
                D.apiOperation(
                    "patch", id: "updatePartnerTeammate", tag: "Partner", summary: "Change a teammate's role", access: .partner,
                    description: "409 `last_owner` when it would leave the account without an owner.",
                    body: "TeammateUpdate", responses: [200: ok("The teammate.", "Teammate")], errors: [404, 409]
                ),
                D.apiOperation(
                    "delete", id: "removePartnerTeammate", tag: "Partner", summary: "Remove a teammate", access: .partner,
                    description: "Their login stays, with no account; their sessions end. 409 `last_owner` for the last owner.",
                    responses: [204: D.successResponse("Removed.")], errors: [404, 409]
                )
            ),
            "/api/v1/partner/payout-method": D.pathItem(
                [],
                D.apiOperation(
                    "get", id: "getPartnerPayoutMethod", tag: "Partner", summary: "How the partner is paid", access: .partner,
                    description: "404 `no_payout_method` while none is set.",
                    responses: [200: ok("The payout method.", "PayoutMethod")], errors: [404]
                ),
                D.apiOperation(
                    "put", id: "setPartnerPayoutMethod", tag: "Partner", summary: "Set how the partner is paid", access: .partner,
                    description: "Replaces the payout method, if any. 400 `invalid_field` names `provider`, `paypal_email` or `stripe_account`.",
                    body: "PayoutMethodUpdate", responses: [200: ok("The payout method.", "PayoutMethod")]
                )
            ),
            "/api/v1/partner/withdrawals": D.pathItem(
                [],
                D.apiOperation(
                    "get", id: "listPartnerWithdrawals", tag: "Partner", summary: "The partner's withdrawals", access: .partner,
                    paged: true, responses: [200: okList("Withdrawals, newest request first.", of: "Withdrawal")]
                ),
                D.apiOperation(
                    "post", id: "createPartnerWithdrawal", tag: "Partner", summary: "Withdraw the available balance in a currency", access: .partner,
                    description: """
                    Claims every `available` reward in `currency` (clawbacks included), across programs, into one withdrawal of their sum, \
                    paid to the payout method: through PayPal or Stripe when Tandem is set up for that provider, else `manual` \
                    (the vendor pays and marks it paid). Refusals: 400 `invalid_field` for `currency`; \
                    409 `no_payout_method`, `nothing_available`, `below_minimum` (under the largest `min_withdrawal` of the programs involved), \
                    `negative_balance` (clawbacks exceed the available rewards), `balance_changed` (the balance moved meanwhile; \
                    nothing was withdrawn: try again) or `invalid_withdrawal`.
                    """,
                    body: "WithdrawalCreate", responses: [201: ok("The withdrawal, `requested`.", "Withdrawal")], errors: [409]
                )
            ),
        ]
    }

    // MARK: Tracking (RedirectRoute, TrackingScript)

    static func tracking() -> Object {
        let redirect: Object = [
            "description": "To the link's destination with `tdm_click=CLICK_ID` added to its query (without it for bots and previews).",
            "headers": [
                "Location": ["description": "The destination.", "schema": D.string(format: "uri")] as Object,
                "Set-Cookie": ["description": "`tdm_vid`, the visitor cookie, when the visitor has none.", "schema": D.string()] as Object,
            ] as Object,
        ]
        let notFound = D.successResponse("No such link: a 404 page, never a redirect elsewhere.", schema: D.string(), contentType: "text/html")
        func follow(_ method: String, id: String, summary: String) -> D.Operation {
            D.Operation(method: method, object: [
                "operationId": id, "tags": ["Tracking"], "summary": summary, "security": [Object](),
                "responses": ["302": redirect, "404": notFound],
            ])
        }
        return [
            "/r/{key}": D.pathItem(
                [D.pathParameter("key", "The link's key.")],
                follow("get", id: "followLink", summary: "Follow a partner's link"),
                follow("head", id: "followLinkHead", summary: "Follow a partner's link (HEAD)")
            ),
            "/r/{program}/{slug}": D.pathItem(
                [D.pathParameter("program", "The program's slug."), D.pathParameter("slug", "The custom link's slug.")],
                follow("get", id: "followCustomLink", summary: "Follow a partner's custom link")
            ),
            "/t.js": D.pathItem([], D.Operation(method: "get", object: [
                "operationId": "getTrackingScript", "tags": ["Tracking"], "summary": "The tracking script for vendors' pages",
                "description": """
                `<script src="…/t.js" data-days="90"></script>` keeps `tdm_click` from the address in a first-party cookie \
                for the cookie window and fills every `<input name="tdm_click">` with it.
                """,
                "security": [Object](),
                "responses": ["200": D.successResponse("The script.", schema: D.string(), contentType: "text/javascript")],
            ])),
        ]
    }
}

extension OpenAPIPaths {
    /// The same operations for a company's webhooks and a partner account's postbacks.
    fileprivate static func webhooks(base: String, access: D.Access, noun: String, owner: String) -> Object {
        let id = D.pathParameter("id", "The endpoint's id.")
        return [
            base: D.pathItem(
                [],
                D.apiOperation(
                    "get", id: "list\(noun)s", tag: "Webhooks", summary: "List \(owner) endpoints", access: access,
                    paged: true, responses: [200: okList("Endpoints, newest first; no secrets.", of: "WebhookEndpoint")]
                ),
                D.apiOperation(
                    "post", id: "create\(noun)", tag: "Webhooks", summary: "Add an endpoint", access: access,
                    description: "At most \(access == .vendor ? 20 : 5). The URL must be https:// (http:// too when the server sets OUTBOUND_ALLOW_HTTP) and may not name a loopback, private, link-local or metadata address.",
                    body: "WebhookEndpointCreate", responses: [201: ok("The endpoint, with its signing secret (shown this once).", "WebhookEndpoint")]
                )
            ),
            base + "/{id}": D.pathItem(
                [id],
                D.apiOperation("get", id: "get\(noun)", tag: "Webhooks", summary: "Show an endpoint", access: access,
                               responses: [200: ok("The endpoint; no secret.", "WebhookEndpoint")], errors: [404]),
                D.apiOperation("delete", id: "delete\(noun)", tag: "Webhooks", summary: "Delete an endpoint", access: access,
                               description: "With its deliveries and their log; nothing more is sent to it.",
                               responses: [204: D.successResponse("Deleted.")], errors: [404])
            ),
            base + "/{id}/test": D.pathItem(
                [id],
                D.apiOperation("post", id: "test\(noun)", tag: "Webhooks", summary: "Send a test event", access: access,
                               description: "A `webhook.test` event to this endpoint only, sent within seconds.",
                               responses: [202: ok("The delivery, queued.", "WebhookDelivery")], errors: [404])
            ),
            base + "/{id}/rotate-secret": D.pathItem(
                [id],
                D.apiOperation("post", id: "rotate\(noun)Secret", tag: "Webhooks", summary: "Make a new signing secret", access: access,
                               description: "The previous secret also signs (a second signature in `webhook-signature`) for 24 hours.",
                               responses: [200: ok("The endpoint, with its new secret (shown this once).", "WebhookEndpoint")], errors: [404])
            ),
            base + "/{id}/enable": D.pathItem(
                [id],
                D.apiOperation("post", id: "enable\(noun)", tag: "Webhooks", summary: "Turn a disabled endpoint back on", access: access,
                               description: "Tandem disables an endpoint that failed 50 deliveries in a row or for three days; this forgets those failures.",
                               responses: [200: ok("The endpoint.", "WebhookEndpoint")], errors: [404])
            ),
            base + "/{id}/deliveries": D.pathItem(
                [id],
                D.apiOperation("get", id: "list\(noun)Deliveries", tag: "Webhooks", summary: "The endpoint's delivery log", access: access,
                               paged: true, responses: [200: okList("Deliveries, newest first (the last 200), each with its latest attempt.", of: "WebhookDelivery")], errors: [404])
            ),
            base + "/{id}/deliveries/{delivery}/redeliver": D.pathItem(
                [id, D.pathParameter("delivery", "The delivery's id.")],
                D.apiOperation("post", id: "redeliver\(noun)Delivery", tag: "Webhooks", summary: "Send a past event again", access: access,
                               responses: [202: ok("The new delivery, queued.", "WebhookDelivery")], errors: [404])
            ),
        ]
    }
}
