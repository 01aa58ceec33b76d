import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// `/api/v1/partner/…` and `/api/v1/marketplace`: what a partner key can read and do.
struct PartnerAPI {
    let env: WebEnvironment
    let tracking: Tracking

    struct ProgramDTO: Encodable {
        let id: UUID
        let object = "partnership"
        let program: String
        let programName: String
        let company: String
        let status: String
        let currency: String
        let partnerKey: String
        @NullEncoded var defaultLink: String?
        let stats: Stats
    }

    struct Stats: Encodable {
        let clicks: Int64
        let referred: Int64
        let sold: Int64
        let earned: Int64
        let pending: Int64
    }

    struct LinkBody: Decodable {
        var program: String?
        var slug: String?
        var destination: String?
    }

    static let linkContract = BodyContract(LinkBody.self, name: "LinkCreate", required: ["program", "slug"], notes: [
        "program": .programSlug,
        "slug": .text("Letters, digits and dashes, unique in the program.", max: 50),
        "destination": .url("A page on one of the program's allowed domains; the program's default when left out."),
    ])

    struct LinkDTO: Encodable {
        let id: UUID
        let object = "link"
        let program: String
        let url: String
        @NullEncoded var slugUrl: String?
        @NullEncoded var slug: String?
        let destination: String
        let isDefault: Bool
        let createdAt: Date
    }

    typealias CustomerDTO = PartnerCustomerObject

    struct MarketplaceDTO: Encodable {
        let object = "program"
        let slug: String
        let name: String
        let company: String
        let category: String
        let description: String
        let currency: String
        let autoApprove: Bool
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("partner/programs") { _, context in try await programs(context) }
        api.get("partner/links") { request, context in try await listLinks(request, context) }
        api.post("partner/links") { _, context in try await createLink(context) }
        api.delete("partner/links/:id") { _, context in try await deleteLink(context) }
        api.get("partner/customers") { request, context in try await customers(request, context) }
        api.get("marketplace") { request, context in try await marketplace(request, context) }
        PartnerStatsAPI(env: env, partnerships: { [self] accountID, slug in
            try await partnerships(accountID: accountID, programSlug: slug)
        }).addRoutes(to: api)
    }

    func partnerships(accountID: UUID, programSlug: String? = nil) async throws -> [Partnership] {
        try await PartnershipReads.ofAccount(accountID, programSlug: programSlug, on: env.store.db)
    }

    func programs(_ context: AppRequestContext) async throws -> Response {
        let accountID = try context.partnerAccountID()
        let partnerships = try await partnerships(accountID: accountID)
        let totals = try await PartnerStatsQueries.totals(partnershipIDs: partnerships.compactMap(\.id), on: env.store.sql)
        var data: [ProgramDTO] = []
        for partnership in partnerships {
            let id = try partnership.requireID()
            let link = try await LinkReads.defaultLink(partnershipID: id, on: env.store.db)
            let stats = totals[id] ?? PartnerStatsQueries.Totals()
            data.append(ProgramDTO(
                id: id, program: partnership.program.slug, programName: partnership.program.name, company: partnership.program.company.name,
                status: partnership.status.rawValue, currency: partnership.program.currencyCode, partnerKey: partnership.partnerKey,
                defaultLink: partnership.status == .active ? link.map { env.config.baseURL + "/r/" + $0.key } : nil,
                stats: Stats(clicks: stats.clicks, referred: stats.referred, sold: stats.sold, earned: stats.earned, pending: stats.pending)
            ))
        }
        return try APIJSON.response(ListPage(data: data, hasMore: false))
    }

    func linkDTO(_ link: Link, programSlug: String) throws -> LinkDTO {
        LinkDTO(
            id: try link.requireID(), program: programSlug, url: env.config.baseURL + "/r/" + link.key,
            slugUrl: link.slug.map { env.config.baseURL + "/r/\(programSlug)/\($0)" }, slug: link.slug,
            destination: link.destination, isDefault: link.isDefault, createdAt: link.createdAt
        )
    }

    func listLinks(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let accountID = try context.partnerAccountID()
        let mine = try await partnerships(accountID: accountID, programSlug: try QueryFilters.program.read(request))
            .filter { $0.status == .active }
        let slugs = Dictionary(uniqueKeysWithValues: try mine.map { (try $0.requireID(), $0.program.slug) })
        let links = try await LinkReads.active(partnershipIDs: Array(slugs.keys), on: env.store.db)
        let page = try PageRequest(request).page(links, id: \.id)
        return try APIJSON.response(try page.map { try linkDTO($0, programSlug: slugs[$0.$partnership.id] ?? "") })
    }

    func createLink(_ context: AppRequestContext) async throws -> Response {
        let accountID = try context.partnerAccountID()
        let body = try APIJSON.decode(Self.linkContract, from: context)
        guard let programSlug = body.program.nonBlank else {
            throw APIError(status: .badRequest, code: "missing_field", message: "`program` is required.", field: "program")
        }
        guard let partnership = try await partnerships(accountID: accountID, programSlug: programSlug).first, partnership.status == .active else {
            throw APIError.notFound("program")
        }
        let program = partnership.program
        let link = try await CustomLinks.create(
            partnership: partnership, program: program, slug: body.slug ?? "", destination: body.destination ?? "", now: env.now(), on: env.store.db
        )
        return try APIJSON.response(try linkDTO(link, programSlug: program.slug), status: .created)
    }

    func deleteLink(_ context: AppRequestContext) async throws -> Response {
        let accountID = try context.partnerAccountID()
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let link = try await LinkReads.active(id: id, accountID: accountID, on: env.store.db) else { throw APIError.notFound("link") }
        try await CustomLinks.archive(link, now: env.now(), on: env.store.db)
        tracking.links.invalidateAll()
        return Response(status: .noContent)
    }

    func customers(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let accountID = try context.partnerAccountID()
        let mine = try await partnerships(accountID: accountID, programSlug: try QueryFilters.program.read(request))
        let slugs = Dictionary(uniqueKeysWithValues: try mine.map { (try $0.requireID(), $0.program.slug) })
        let page = try await APILookups.page(request) { after, limit in
            try await ReferralReads.customers(partnershipIDs: Array(slugs.keys), after: after, limit: limit, on: env.store.db)
        }
        return try APIJSON.response(try page.map { customer in
            CustomerDTO(id: try customer.requireID(), program: slugs[customer.$partnership.id ?? UUID()] ?? "", name: customer.name,
                        email: customer.email, signedUpAt: customer.signedUpAt)
        })
    }

    static let searchFilter = QueryParameter.text("q", "Words in the program's name, description or company.")
    static let categoryFilter = QueryParameter.text("category", "Only this category.")

    func marketplace(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.partnerAccountID()
        let needle = (try Self.searchFilter.read(request) ?? "").lowercased()
        let category = try Self.categoryFilter.read(request)
        let programs = try await ProgramReads.listed(on: env.store.db)
        let data = programs.filter { program in
            (category == nil || program.category == category)
                && (needle.isEmpty || [program.name, program.description, program.company.name].contains { $0.lowercased().contains(needle) })
        }.map {
            MarketplaceDTO(slug: $0.slug, name: $0.name, company: $0.company.name, category: $0.category, description: $0.description,
                           currency: $0.currencyCode, autoApprove: $0.autoApprove)
        }
        return try APIJSON.response(ListPage(data: data, hasMore: false))
    }
}

// The answers (`ResponseContract`).
extension PartnerAPI {
    static let statsResponse = ResponseContract(Stats(clicks: 1_204, referred: 31, sold: 412_000, earned: 82_400, pending: 12_000), name: "PartnerProgramStats", notes: [
        "referred": .integer("Customers attributed."),
        "sold": .integer("Revenue of referred customers net of refunds, in minor units."),
        "earned": .integer("Rewards earned, in minor units."),
        "pending": .integer("Rewards not yet available, in minor units."),
    ])

    static let programResponse = ResponseContract(
        ProgramDTO(
            id: Examples.id(2), program: Examples.programSlug, programName: "Acme Pro", company: "Acme", status: "active", currency: "USD",
            partnerKey: "sam-lee", defaultLink: "https://tandem.example/r/k7Qp2x", stats: statsResponse.example
        ),
        name: "PartnerProgram", notes: [
            "id": .text("The partnership's id."),
            "program": .programSlug,
            "company": .text("The vendor's name."),
            "status": .oneOf(["applied", "active", "declined", "archived"]),
            "currency": .currency,
            "default_link": FieldNote(description: "While the partnership is active.", format: .url),
        ]
    )

    static let linkResponse = ResponseContract(
        LinkDTO(
            id: Examples.id(23), program: Examples.programSlug, url: "https://tandem.example/r/k7Qp2x",
            slugUrl: "https://tandem.example/r/acme-pro/sam", slug: "sam", destination: "https://acme.example/pricing", isDefault: false,
            createdAt: Examples.date
        ),
        name: "Link", notes: [
            "program": .programSlug,
            "url": FieldNote(description: "`/r/{key}`.", format: .url),
            "slug_url": FieldNote(description: "`/r/{program}/{slug}`, for a custom link.", format: .url),
            "destination": .url(),
        ]
    )

    static let customerResponse = ResponseContract(PartnerCustomerObject.example, name: "PartnerCustomer", notes: [
        "program": .programSlug,
        "email": .text("Masked: `d***@example.com`."),
    ])

    static let marketplaceResponse = ResponseContract(
        MarketplaceDTO(
            slug: Examples.programSlug, name: "Acme Pro", company: "Acme", category: "SaaS", description: "Earn 20% of every payment for a year.",
            currency: "USD", autoApprove: true
        ),
        name: "MarketplaceProgram", notes: [
            "company": .text("The vendor's name."),
            "currency": .currency,
        ]
    )
}
