import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// Marketplace: every program listed on the platform, searchable, and joinable.
struct MarketplacePage: WebPages {
    let env: WebEnvironment

    struct Card {
        let slug: String
        let name: String
        let company: String
        let description: String
        let category: String
        let initial: String
        let joinURL: String
        let joined: Bool
        let statusLabel: String?
        /// The badge's colour: an application is not shown green like a membership.
        let status: String?
        let autoApprove: Bool
        let offers: [String]
    }

    struct Category {
        let name: String
        let selected: Bool
    }

    struct Model {
        let shell: Shell
        let query: String
        let categories: [Category]
        let programs: [Card]
        let hasPrograms: Bool
        let filtered: Bool
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.partnerMarketplace.routerPath) { request, context in
            try await show(request: request, context: context, notice: nil)
        }
        router.post(SiteRoute.pattern(SiteRoute.partnerJoin, "program")) { request, context in
            try await join(slug: context.parameters.get("program") ?? "", request: request, context: context)
        }
    }

    func show(request: Request, context: AppRequestContext, notice: Shell.Notice?) async throws -> Response {
        let scope = try await PartnerScope.load(context, store: store)
        let query = String((request.uri.queryParameters["q"].map(String.init) ?? "").trimmingCharacters(in: .whitespaces).prefix(100))
        let category = String((request.uri.queryParameters["category"].map(String.init) ?? "").prefix(100))
        let listed = try await ProgramReads.listed(on: store.db)
        let categories = Set(listed.map(\.category)).sorted()
        let needle = query.lowercased()
        let matching = listed.filter { program in
            (category.isEmpty || program.category == category)
                && (needle.isEmpty || [program.name, program.description, program.company.name, program.category].contains { $0.lowercased().contains(needle) })
        }
        let offers = try await RewardOfferQueries.offers(
            programIDs: matching.compactMap(\.id),
            groupIDs: ProgramReads.defaultGroupIDs(programIDs: matching.compactMap(\.id), on: store.db), on: store.db
        )
        let mine = Dictionary(scope.memberships.map { ($0.program.id!, $0.partnership.status) }, uniquingKeysWith: { a, _ in a })
        let cards = matching.map { program in
            Card(
                slug: program.slug, name: program.name, company: program.company.name, description: program.description,
                category: program.category, initial: String(program.name.prefix(1)).uppercased(),
                joinURL: SiteRoute.partnerJoin(program: program.slug).path, joined: mine[program.id!] != nil,
                statusLabel: mine[program.id!]?.label, status: mine[program.id!]?.rawValue, autoApprove: program.autoApprove,
                offers: offers[program.id!] ?? []
            )
        }
        return try renderer.html("partner_marketplace", Model(
            shell: scope.shell("Marketplace", tab: .marketplace, context: context, renderer: renderer, notice: notice),
            query: query,
            categories: categories.map { Category(name: $0, selected: $0 == category) },
            programs: cards, hasPrograms: !cards.isEmpty, filtered: !query.isEmpty || !category.isEmpty
        ))
    }

    /// Joining makes an active partnership when the program approves automatically, an application otherwise.
    func join(slug: String, request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try await PartnerScope.load(context, store: store)
        guard let program = try await ProgramReads.listed(slug: slug, on: store.db) else {
            throw HTTPError(.notFound)
        }
        let partnership: Partnership
        do {
            partnership = try await Partnerships.apply(program: program, accountID: scope.accountID, now: now(), on: store.db)
        } catch let refusal as OperationError {
            return try await show(request: request, context: context, notice: .init(kind: refusal.code == "already_joined" ? "info" : "error", message: refusal.sentence))
        }
        if partnership.status == .active {
            return Response.seeOther(.partnerProgram(id: try partnership.requireID()), query: "joined=1")
        }
        return try await show(request: request, context: context, notice: .init(kind: "success", message: "Your application to \(program.name) was sent. The vendor will review it."))
    }
}
