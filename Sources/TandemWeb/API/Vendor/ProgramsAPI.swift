import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// `/api/v1/programs`: a vendor's programs and their groups.
struct ProgramsAPI {
    let env: WebEnvironment
    /// Redirects read the program's allowed domains: a change to them applies on this node at once.
    let links: LinkDirectory

    struct FeaturesBody: Codable {
        var links: Bool?
        var customLinks: Bool?
        var leads: Bool?
        var deals: Bool?
    }

    struct ProgramBody: Decodable {
        var name: String?
        var slug: String?
        var currency: String?
        var defaultDestination: String?
        var allowedDomains: [String]?
        var cookieWindowDays: Int?
        var holdDays: Int?
        var minWithdrawal: Int64?
        var category: String?
        var description: String?
        var marketplace: Bool?
        var autoApprove: Bool?
        var couponWins: Bool?
        var features: FeaturesBody?
    }

    /// A program's fields as the API takes them, creating a program or changing one.
    static let programNotes: [String: FieldNote] = [
        "name": .text(max: 100),
        "slug": .text("Letters, digits and dashes; unique across Tandem. Made from `name` when left out."),
        "currency": .currency,
        "default_destination": .url("Where the default links lead; its host must be one of `allowed_domains`."),
        "allowed_domains": .hostnames("Domains links may lead to (the default destination's host when left empty).", maxItems: 50),
        "cookie_window_days": .integer(min: 1, max: 730, default: 90),
        "hold_days": .integer("Days a reward waits before it is available.", min: 0, max: 365, default: 30),
        "min_withdrawal": .integer("The smallest withdrawal, in minor units.", min: 0, default: 0),
        "category": .text(max: 50),
        "description": .text(max: 2000),
        "marketplace": .flag("Listed in the partner marketplace.", default: false),
        "auto_approve": .flag("Partners who apply are approved at once.", default: false),
        "coupon_wins": .flag("A signup naming a partner's coupon code is theirs even when another partner's link was clicked.", default: false),
        "features.links": .flag("Partners get tracking links."),
        "features.custom_links": .flag("Partners may make their own links with a slug."),
        "features.leads": .flag("The vendor may report leads."),
        "features.deals": .flag("The vendor may report deals."),
    ]
    static let createContract = BodyContract(
        ProgramBody.self, name: "ProgramCreate", required: ["name", "currency", "default_destination"], notes: programNotes)
    static let updateContract = BodyContract(ProgramBody.self, name: "ProgramUpdate", description: "Only the fields sent change.", notes: programNotes)

    /// The features as a program answers them: each is on or off.
    struct FeaturesDTO: Encodable {
        let links: Bool
        let customLinks: Bool
        let leads: Bool
        let deals: Bool
    }

    struct ProgramDTO: Encodable {
        let id: UUID
        let object = "program"
        let name: String
        let slug: String
        let currency: String
        let defaultDestination: String
        let allowedDomains: [String]
        let cookieWindowDays: Int
        let holdDays: Int
        let minWithdrawal: Int64
        let category: String
        let description: String
        let marketplace: Bool
        let autoApprove: Bool
        let couponWins: Bool
        let features: FeaturesDTO
        let groups: [GroupDTO]
        let createdAt: Date
    }

    struct GroupBody: Decodable {
        var name: String?
        var `default`: Bool?
    }

    static let groupCreateContract = BodyContract(GroupBody.self, name: "GroupCreate", required: ["name"], notes: [
        "name": .text(max: 100),
        "default": .flag("New partners join the default group; making this one default unmarks the other.", default: false),
    ])
    static let groupUpdateContract = BodyContract(GroupBody.self, name: "GroupUpdate", notes: [
        "name": .text(max: 100),
        "default": .only(
            true, "`true` makes it the default group (the previous default stops being it); `false` is refused.",
            refusal: "A group stops being the default when another becomes it: send `default: true` on that one."),
    ])

    struct GroupDTO: Encodable {
        let id: UUID
        let object = "group"
        let name: String
        let `default`: Bool
        /// Partners in the group (applied, invited or active); only in the groups list.
        @NullEncoded var partners: Int64?
        @NullEncoded var archivedAt: Date?
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("programs") { _, context in try await create(context) }
        api.get("programs") { request, context in
            let companyID = try context.vendorCompanyID()
            let programs = try await ProgramReads.ofCompany(companyID, on: env.store.db)
            let page = try PageRequest(request).page(programs, id: \.id)
            return try APIJSON.response(try await page.asyncMap { try await dto($0) })
        }
        api.get("programs/:slug") { _, context in
            let program = try await APILookups.program(slug: context.parameters.get("slug"), companyID: context.vendorCompanyID(), on: env.store)
            return try APIJSON.response(try await dto(program))
        }
        api.patch("programs/:slug") { _, context in try await update(context) }
        api.post("programs/:slug/groups") { _, context in try await createGroup(context) }
        api.get("programs/:slug/groups") { request, context in try await listGroups(request, context) }
        api.patch("programs/:slug/groups/:id") { _, context in try await updateGroup(context) }
        api.delete("programs/:slug/groups/:id") { _, context in try await archiveGroup(context) }
    }

    func dto(_ program: Program) async throws -> ProgramDTO {
        let groups = try await ProgramReads.groups(programID: program.requireID(), on: env.store.db)
        return try ProgramDTO(program, groups: groups)
    }

    /// The body as the workflow's changes.
    static func changes(_ body: ProgramBody) -> ProgramSettings.Changes {
        var changes = ProgramSettings.Changes()
        changes.name = body.name
        changes.slug = body.slug
        changes.currency = body.currency
        changes.defaultDestination = body.defaultDestination
        changes.allowedDomains = body.allowedDomains
        changes.cookieWindowDays = body.cookieWindowDays
        changes.holdDays = body.holdDays
        changes.minWithdrawal = body.minWithdrawal
        changes.category = body.category
        changes.description = body.description
        changes.marketplace = body.marketplace
        changes.autoApprove = body.autoApprove
        changes.couponWins = body.couponWins
        changes.featureLinks = body.features?.links
        changes.featureCustomLinks = body.features?.customLinks
        changes.featureLeads = body.features?.leads
        changes.featureDeals = body.features?.deals
        return changes
    }

    func create(_ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        let body = try APIJSON.decode(Self.createContract, from: context)
        let (program, group) = try await ProgramSettings.create(companyID: companyID, Self.changes(body), now: env.now(), on: env.store.db)
        return try APIJSON.response(try ProgramDTO(program, groups: [group]), status: .created)
    }

    func update(_ context: AppRequestContext) async throws -> Response {
        let program = try await APILookups.program(slug: context.parameters.get("slug"), companyID: context.vendorCompanyID(), on: env.store)
        let body = try APIJSON.decode(Self.updateContract, from: context)
        try await ProgramSettings.update(program, Self.changes(body), on: env.store.db)
        links.invalidateAll()
        return try APIJSON.response(try await dto(program))
    }

    func createGroup(_ context: AppRequestContext) async throws -> Response {
        let program = try await APILookups.program(slug: context.parameters.get("slug"), companyID: context.vendorCompanyID(), on: env.store)
        let body = try APIJSON.decode(Self.groupCreateContract, from: context)
        let group = try await ProgramSettings.createGroup(
            programID: try program.requireID(), name: body.name, isDefault: body.default ?? false, now: env.now(), on: env.store.db
        )
        return try APIJSON.response(try GroupDTO(group), status: .created)
    }

    static let archivedGroups = QueryParameter.flag("archived", "`true`: archived groups as well.")

    /// Every group of the program with its partner count; archived ones with `?archived=true`.
    func listGroups(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let program = try await APILookups.program(slug: context.parameters.get("slug"), companyID: context.vendorCompanyID(), on: env.store)
        let programID = try program.requireID()
        let archived = try Self.archivedGroups.read(request) ?? false
        let groups = try await ProgramReads.groups(programID: programID, archived: archived, on: env.store.db)
        let sizes = try await ProgramReads.groupSizes(programID: programID, on: env.store.sql)
        return try APIJSON.response(ListPage(data: try groups.map { try GroupDTO($0, partners: sizes[$0.id!] ?? 0) }, hasMore: false))
    }

    func updateGroup(_ context: AppRequestContext) async throws -> Response {
        let program = try await APILookups.program(slug: context.parameters.get("slug"), companyID: context.vendorCompanyID(), on: env.store)
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("group") }
        let body = try APIJSON.decode(Self.groupUpdateContract, from: context)
        let group = try await ProgramSettings.updateGroup(
            // Blank optional text is absent in the API (as its document says): no rename.
            programID: try program.requireID(), groupID: id, name: body.name.nonBlank, makeDefault: body.default == true, on: env.store.db)
        return try APIJSON.response(try GroupDTO(group))
    }

    /// Archives the group (never deletes it: rules and rewards keep pointing at it).
    func archiveGroup(_ context: AppRequestContext) async throws -> Response {
        let program = try await APILookups.program(slug: context.parameters.get("slug"), companyID: context.vendorCompanyID(), on: env.store)
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("group") }
        let group = try await ProgramSettings.archiveGroup(programID: try program.requireID(), groupID: id, now: env.now(), on: env.store.db)
        return try APIJSON.response(try GroupDTO(group))
    }
}

// From the stored rows; the memberwise initializer builds the document's example.
extension ProgramsAPI.ProgramDTO {
    init(_ program: Program, groups: [ProgramGroup]) throws {
        id = try program.requireID()
        name = program.name
        slug = program.slug
        currency = program.currencyCode
        defaultDestination = program.defaultDestination
        allowedDomains = program.allowedDomains
        cookieWindowDays = program.cookieWindowDays
        holdDays = program.holdDays
        minWithdrawal = program.minWithdrawal
        category = program.category
        description = program.description
        marketplace = program.marketplace
        autoApprove = program.autoApprove
        couponWins = program.couponWins
        features = ProgramsAPI.FeaturesDTO(links: program.featureLinks, customLinks: program.featureCustomLinks, leads: program.featureLeads, deals: program.featureDeals)
        self.groups = try groups.map { try ProgramsAPI.GroupDTO($0) }
        createdAt = program.createdAt
    }
}

// From the stored rows; the memberwise initializer builds the document's example.
extension ProgramsAPI.GroupDTO {
    init(_ group: ProgramGroup, partners: Int64? = nil) throws {
        id = try group.requireID()
        name = group.name
        self.default = group.isDefault
        self.partners = partners
        archivedAt = group.archivedAt
    }
}

// The answers, read from the types above (`ResponseContract`).
extension ProgramsAPI {
    static let featuresResponse = ResponseContract(FeaturesDTO(links: true, customLinks: false, leads: true, deals: true), name: "ProgramFeatures", notes: [
        "links": .flag("Partners get tracking links."),
        "custom_links": .flag("Partners may make their own links with a slug."),
        "leads": .flag("The vendor may report leads."),
        "deals": .flag("The vendor may report deals."),
    ])

    static let groupResponse = ResponseContract(
        GroupDTO(id: Examples.id(10), name: "Default", default: true, partners: 12, archivedAt: Examples.date), name: "Group", notes: [
            "partners": .integer("Partners in the group (applied, invited or active); only in the groups list, null elsewhere."),
        ]
    )

    static let programResponse = ResponseContract(
        ProgramDTO(
            id: Examples.id(11), name: "Acme Pro", slug: Examples.programSlug, currency: "USD", defaultDestination: "https://acme.example/pricing",
            allowedDomains: ["acme.example"], cookieWindowDays: 90, holdDays: 30, minWithdrawal: 5_000, category: "SaaS",
            description: "Earn 20% of every payment for a year.", marketplace: true, autoApprove: false, couponWins: true,
            features: featuresResponse.example, groups: [groupResponse.example], createdAt: Examples.date
        ),
        name: "Program", notes: [
            "currency": .currency,
            "default_destination": .url(),
        ]
    )
}
