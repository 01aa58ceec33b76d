import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// A program's Links tab: the default link, and the partner's custom links (create, edit,
/// delete), each with its unique clicks and signups.
///
/// The redirect handler caches links for a few seconds (`LinkDirectory`); the pages do not
/// hold the tracking object, so an edited or deleted link may still redirect the old way
/// for up to that long. That is accepted.
struct ProgramLinksPage: WebPages {
    let env: WebEnvironment

    struct Model {
        let shell: Shell
        let name: String
        let company: String
        let tabs: [ProgramTab.Link]
        let defaultLink: Row?
        /// The coupon codes the vendor gave this partnership: customers who use one are yours without a click.
        let couponCodes: [String]
        let hasCouponCodes: Bool
        /// "12 more customers came without a link …", when some did: the links' signups then
        /// add up to less than the program's Referred, and the page says why.
        let withoutLink: String?
        let links: [Row]
        let hasLinks: Bool
        let customLinksEnabled: Bool
        let remaining: Int
        let limit: Int
        let canCreate: Bool
        let allowedDomains: String
        let prefix: String
        let action: String
        let create: FormState
    }

    struct Row {
        let id: String
        let url: String
        let slug: String?
        let slugURL: String?
        let destination: String
        let clicks: String
        let signups: String
        let createdAt: String
        let editAction: String
        let deleteAction: String
        /// The edit form as typed, when a save of this link failed.
        let edit: FormState
        let editing: Bool
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.pattern(SiteRoute.partnerProgramLinks, "program")) { request, context in
            let (scope, membership) = try await load(context)
            let notice: Shell.Notice? = switch request.uri.queryParameters["done"] {
            case "created": .init(kind: "success", message: "Your link was created.")
            case "saved": .init(kind: "success", message: "Your link was saved.")
            case "deleted": .init(kind: "success", message: "Your link was deleted.")
            default: nil
            }
            return try await page(scope, membership, context, notice: notice)
        }

        router.post(SiteRoute.pattern(SiteRoute.partnerProgramLinks, "program")) { _, context in
            let (scope, membership) = try await load(context)
            let program = membership.program
            let slug = context.form.string("slug").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            let destination = context.form.string("destination").trimmingCharacters(in: .whitespacesAndNewlines)
            let typed = ["slug": slug, "destination": destination]
            let (errors, _) = CustomLinks.check(slug: slug, destination: destination, program: program)
            guard errors.isEmpty || !program.featureCustomLinks else {
                return try await page(scope, membership, context, create: FormState(values: typed, errors: errors), status: .unprocessableContent)
            }
            do {
                _ = try await CustomLinks.create(partnership: membership.partnership, program: program, slug: slug, destination: destination, now: now(), on: store.db)
            } catch let refusal as OperationError {
                return try await page(scope, membership, context, create: FormState(values: typed, refusal: refusal), status: .unprocessableContent)
            }
            return Response.seeOther(.partnerProgramLinks(id: membership.id), query: "done=created")
        }

        router.post(SiteRoute.pattern(SiteRoute.partnerProgramLink, "program", "link")) { _, context in
            let (scope, membership) = try await load(context)
            let link = try await customLink(context, membership)
            let program = membership.program
            let slug = context.form.string("slug").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            let destination = context.form.string("destination").trimmingCharacters(in: .whitespacesAndNewlines)
            let typed = ["slug": slug, "destination": destination]
            let linkID = try link.requireID()
            let (errors, _) = CustomLinks.check(slug: slug, destination: destination, program: program)
            guard errors.isEmpty else {
                return try await page(scope, membership, context, editing: (linkID, FormState(values: typed, errors: errors)), status: .unprocessableContent)
            }
            do {
                try await CustomLinks.update(link, program: program, slug: slug, destination: destination, on: store.db)
            } catch let refusal as OperationError {
                return try await page(scope, membership, context, editing: (linkID, FormState(values: typed, refusal: refusal)), status: .unprocessableContent)
            }
            return Response.seeOther(.partnerProgramLinks(id: membership.id), query: "done=saved")
        }

        router.post(SiteRoute.pattern(SiteRoute.partnerProgramLinkDelete, "program", "link")) { _, context in
            let (_, membership) = try await load(context)
            let link = try await customLink(context, membership)
            try await CustomLinks.archive(link, now: now(), on: store.db)
            return Response.seeOther(.partnerProgramLinks(id: membership.id), query: "done=deleted")
        }
    }

    func load(_ context: AppRequestContext) async throws -> (PartnerScope, PartnerScope.Membership) {
        let scope = try await PartnerScope.load(context, store: store)
        let membership = try scope.membership(id: context.parameters.id("program"))
        try ProgramTab.links.require(membership)
        return (scope, membership)
    }


    /// A live custom link of this partnership, or 404: the default link, archived links and
    /// anyone else's links cannot be edited here.
    func customLink(_ context: AppRequestContext, _ membership: PartnerScope.Membership) async throws -> Link {
        guard let link = try await LinkReads.customLink(id: context.parameters.id("link"), partnershipID: membership.partnership.requireID(), on: store.db)
        else { throw HTTPError(.notFound) }
        return link
    }

    func page(
        _ scope: PartnerScope, _ membership: PartnerScope.Membership, _ context: AppRequestContext,
        create: FormState = FormState(), editing: (UUID, FormState)? = nil,
        notice: Shell.Notice? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let program = membership.program
        let partnershipID = try membership.partnership.requireID()
        let id = membership.id
        let links = try await LinkReads.active(partnershipIDs: [partnershipID], on: store.db)
        let (clicks, signups) = try await LinkReads.counts(partnershipID: partnershipID, on: store.sql)
        let withoutLink = try await LinkReads.signupsWithoutLink(partnershipID: partnershipID, on: store.sql)
        let codes = try await CouponCodeReads.of(partnershipIDs: [partnershipID], on: store.db)[partnershipID] ?? []
        let base = config.baseURL
        func row(_ link: Link) throws -> Row {
            let linkID = try link.requireID()
            let failed = editing.flatMap { $0.0 == linkID ? $0.1 : nil }
            return Row(
                id: linkID.pathText, url: base + "/r/" + link.key, slug: link.slug,
                slugURL: link.slug.map { base + "/r/\(program.slug)/\($0)" }, destination: link.destination,
                clicks: Money.grouped(clicks[linkID] ?? 0), signups: Money.grouped(signups[linkID] ?? 0),
                createdAt: DateText.day(link.createdAt),
                editAction: SiteRoute.partnerProgramLink(id: id, link: linkID).path,
                deleteAction: SiteRoute.partnerProgramLinkDelete(id: id, link: linkID).path,
                edit: failed ?? FormState(values: ["slug": link.slug ?? "", "destination": link.destination]),
                editing: failed != nil
            )
        }
        let custom = try links.filter { !$0.isDefault }.map(row)
        let remaining = max(0, LinkQueries.customLinkLimit - custom.count)
        return try renderer.html("partner_program_links", Model(
            shell: scope.shell("Links · \(program.name)", tab: .none, context: context, renderer: renderer, notice: notice),
            name: program.name, company: membership.companyName,
            tabs: ProgramTab.links(for: membership, active: .links),
            defaultLink: try links.first(where: \.isDefault).map(row),
            couponCodes: codes.map(\.code), hasCouponCodes: !codes.isEmpty,
            withoutLink: withoutLink == 0 ? nil : "\(Money.grouped(withoutLink)) more \(withoutLink == 1 ? "customer" : "customers") referred without a link (by your partner key, a lead, or the vendor) count in the program's Referred but on no link.",
            links: custom, hasLinks: !custom.isEmpty,
            customLinksEnabled: program.featureCustomLinks,
            remaining: remaining, limit: LinkQueries.customLinkLimit,
            canCreate: program.featureCustomLinks && remaining > 0,
            allowedDomains: program.allowedDomains.joined(separator: ", "),
            prefix: base + "/r/\(program.slug)/",
            action: SiteRoute.partnerProgramLinks(id: id).path,
            create: create
        ), status: status)
    }
}
