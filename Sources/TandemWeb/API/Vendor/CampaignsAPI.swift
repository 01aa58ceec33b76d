import Foundation
import Hummingbird
import TandemOperations
import TandemStore

/// Email campaigns through the API, the same workflow as the console's Campaigns tab:
/// `GET/POST /api/v1/programs/{slug}/campaigns`, `GET/PATCH/DELETE …/campaigns/{id}`, and
/// `POST …/campaigns/{id}/activate`, `/pause`, `/send`.
struct CampaignsAPI {
    let env: WebEnvironment

    struct CampaignBody: Decodable {
        var name: String?
        var subject: String?
        var body: String?
        var trigger: String?
        var days: Int?
        var groups: [UUID]?
    }

    static let triggers = ["partner_joined", "days_after_joining", "inactive", "first_signup", "reward_earned", "broadcast"]
    static let createContract = BodyContract(
        CampaignBody.self, name: "CampaignCreate", required: ["name", "subject", "body", "trigger"],
        notes: [
            "name": .text("Only the vendor sees it.", max: 80),
            "subject": .text(max: 150),
            "body": .text("Markdown (raw HTML is shown as text).", max: 20000),
            "trigger": .oneOf(triggers, "When it is sent; `broadcast`: once, by hand."),
            "days": .integer("For `days_after_joining` and `inactive`.", min: 1, max: 365),
            "groups": .ids("The program's groups it reaches; none: every group."),
        ],
        cases: [
            .init(field: "trigger", value: "days_after_joining", then: ["days": FieldNote()]),
            .init(field: "trigger", value: "inactive", then: ["days": FieldNote()]),
        ])
    static let updateContract = BodyContract(CampaignBody.self, name: "CampaignUpdate", notes: [
        "name": .text(max: 80),
        "subject": .text(max: 150),
        "body": .text("Markdown (raw HTML is shown as text).", max: 20000),
        "trigger": .oneOf(triggers, "Only a draft changes its trigger."),
        "days": .integer(min: 1, max: 365),
        "groups": .ids("Replaces the groups; an empty list: every group."),
    ])

    struct CountsDTO: Encodable {
        let sent: Int64
        let failed: Int64
        let waiting: Int64
    }

    struct CampaignDTO: Encodable {
        let id: UUID
        let object = "campaign"
        let program: String
        let name: String
        let subject: String
        let body: String
        let trigger: String
        @NullEncoded var days: Int?
        let groups: [UUID]
        let status: String
        @NullEncoded var activatedAt: Date?
        @NullEncoded var sentAt: Date?
        let counts: CountsDTO
        let createdAt: Date
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("programs/:slug/campaigns") { request, context in
            let program = try await program(context)
            let campaigns = try await CampaignReads.of(programID: try program.requireID(), on: env.store.db)
            let page = try PageRequest(request).page(campaigns, id: \.id)
            return try APIJSON.response(ListPage(data: try await dtos(page.data, program: program), hasMore: page.hasMore))
        }
        api.post("programs/:slug/campaigns") { _, context in
            let program = try await program(context)
            let body = try APIJSON.decode(Self.createContract, from: context)
            let draft = Campaigns.Draft(name: body.name ?? "", subject: body.subject ?? "", body: body.body ?? "", trigger: body.trigger ?? "",
                                        days: body.days.map(String.init), groupIDs: (body.groups ?? []).map(\.uuidString))
            let campaign = try await Campaigns.save(draft, program: program, now: env.now(), on: env.store.db)
            return try APIJSON.response(try await dtos([campaign], program: program)[0], status: .created)
        }
        api.get("programs/:slug/campaigns/:id") { _, context in
            let (program, campaign) = try await campaign(context)
            return try APIJSON.response(try await dtos([campaign], program: program)[0])
        }
        api.patch("programs/:slug/campaigns/:id") { _, context in
            let (program, campaign) = try await campaign(context)
            let body = try APIJSON.decode(Self.updateContract, from: context)
            let id = try campaign.requireID()
            var groups = body.groups ?? []
            if body.groups == nil { groups = try await CampaignReads.groups(campaignIDs: [id], on: env.store.db)[id] ?? [] }
            // What is left out keeps its value.
            let draft = Campaigns.Draft(
                name: body.name.nonBlank ?? campaign.name, subject: body.subject.nonBlank ?? campaign.subject, body: body.body.nonBlank ?? campaign.body,
                trigger: body.trigger.nonBlank ?? campaign.trigger.rawValue, days: (body.days ?? campaign.days).map(String.init), groupIDs: groups.map(\.uuidString)
            )
            let saved = try await Campaigns.save(draft, existing: campaign, program: program, now: env.now(), on: env.store.db)
            return try APIJSON.response(try await dtos([saved], program: program)[0])
        }
        api.delete("programs/:slug/campaigns/:id") { _, context in
            let (_, campaign) = try await campaign(context)
            try await Campaigns.delete(campaign, on: env.store.db)
            return Response(status: .noContent)
        }
        for change in Campaigns.Change.allCases {
            api.post("programs/:slug/campaigns/:id/\(change.rawValue)") { _, context in
                let (program, campaign) = try await campaign(context)
                try await Campaigns.change(campaign, to: change.rawValue, now: env.now(), on: env.store.db)
                return try APIJSON.response(try await dtos([campaign], program: program)[0])
            }
        }
    }

    func program(_ context: AppRequestContext) async throws -> Program {
        try await APILookups.program(slug: context.parameters.get("slug"), companyID: try context.vendorCompanyID(), on: env.store, field: "slug")
    }

    /// The company's program and one of its campaigns; anyone else's is a 404.
    func campaign(_ context: AppRequestContext) async throws -> (Program, Campaign) {
        let program = try await program(context)
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let campaign = try await CampaignReads.find(id, programID: try program.requireID(), on: env.store.db) else {
            throw APIError.notFound("campaign")
        }
        return (program, campaign)
    }

    func dtos(_ campaigns: [Campaign], program: Program) async throws -> [CampaignDTO] {
        let ids = campaigns.compactMap(\.id)
        let groups = try await CampaignReads.groups(campaignIDs: ids, on: env.store.db)
        let counts = try await CampaignReads.counts(campaignIDs: ids, on: env.store.sql)
        return try campaigns.map { campaign in
            let id = try campaign.requireID()
            return try CampaignDTO(campaign, program: program.slug, groups: groups[id] ?? [], counts: counts[id] ?? CampaignReads.Counts())
        }
    }
}

// From the stored rows; the memberwise initializer builds the document's example.
extension CampaignsAPI.CampaignDTO {
    init(_ campaign: Campaign, program: String, groups: [UUID], counts: CampaignReads.Counts) throws {
        id = try campaign.requireID()
        self.program = program
        name = campaign.name
        subject = campaign.subject
        body = campaign.body
        trigger = campaign.trigger.rawValue
        days = campaign.days
        self.groups = groups
        status = campaign.status.rawValue
        activatedAt = campaign.activatedAt
        sentAt = campaign.sentAt
        self.counts = CampaignsAPI.CountsDTO(sent: counts.sent, failed: counts.failed, waiting: counts.waiting)
        createdAt = campaign.createdAt
    }
}

// The answer (`ResponseContract`).
extension CampaignsAPI {
    static let campaignResponse = ResponseContract(
        CampaignDTO(
            id: Examples.id(16), program: Examples.programSlug, name: "Welcome", subject: "Welcome to Acme Pro",
            body: "Hi! Your link is on your dashboard.", trigger: "days_after_joining", days: 3, groups: [Examples.id(10)], status: "active",
            activatedAt: Examples.date, sentAt: Examples.date, counts: CountsDTO(sent: 40, failed: 1, waiting: 2), createdAt: Examples.date
        ),
        name: "Campaign", notes: [
            "program": .programSlug,
            "body": .text("Markdown."),
            "trigger": .oneOf(["partner_joined", "days_after_joining", "inactive", "first_signup", "reward_earned", "broadcast"]),
            "days": .integer(min: 1, max: 365),
            "groups": .list("Empty: every group."),
            "status": .oneOf(["draft", "active", "paused", "sent"], "`draft` sends nothing; `active` and `paused` are automated campaigns turned on and off; `sent`: a broadcast."),
            "counts.sent": .integer("Mails delivered (or kept for /dev/mail without SMTP).", min: 0),
            "counts.failed": .integer("Mails that failed for good.", min: 0),
            "counts.waiting": .integer("Mails queued or being retried.", min: 0),
        ]
    )
}
