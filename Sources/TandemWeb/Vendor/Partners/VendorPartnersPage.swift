import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// Every partner of the company's programs, filtered by program, group, status and name;
/// applications approved or declined from the row (`Partnerships.review`, as the API's
/// PATCH), and partners invited by email (`Partnerships.invite`, as the API's POST).
struct VendorPartnersPage: WebPages {
    let env: WebEnvironment
    /// An archived or declined partnership's links stop redirecting at once on this node.
    let links: LinkDirectory
    static let pageSize = 50

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Row {
        let id: String
        let partner: String
        let url: String
        let program: String
        let group: String
        let status: String
        let statusLabel: String
        let joined: String
        let isApplication: Bool
        let reviewAction: String
    }

    struct Model {
        let shell: Shell
        let programs: [Option]
        let groups: [Option]
        let hasGroups: Bool
        let statuses: [Option]
        let search: String
        let rows: [Row]
        let hasRows: Bool
        let canManage: Bool
        let invite: FormState
        let invitePrograms: [Option]
        let hasPrograms: Bool
        let previousURL: String?
        let nextURL: String?
        let pageNumber: Int
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.vendorPartners.routerPath) { request, context in
            let scope = try await VendorScope.load(context, store: store)
            let query = Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { _, last in last })
            let notice: Shell.Notice? = switch query["done"] {
            case "invited": .init(kind: "success", message: "The partner was added; an email tells them how to start.")
            case "approved": .init(kind: "success", message: "The application was approved; the partner was told by email.")
            case "declined": .init(kind: "success", message: "The application was declined; the partner was told by email.")
            case "saved": .init(kind: "success", message: "The partner was updated.")
            default: nil
            }
            return try await page(scope, query, context, notice: notice)
        }

        router.post(SiteRoute.vendorPartnersInvite.routerPath) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            try scope.require(.runPrograms)
            let form = context.form
            let values = ["program": form.string("program"), "email": form.string("email"), "name": form.string("name")]
            guard let program = scope.program(filter: values["program"]) else {
                var errors = FieldErrors()
                errors.add("program", "Choose one of your programs.")
                return try await page(scope, [:], context, invite: FormState(values: values, errors: errors), status: .unprocessableContent)
            }
            let base = config.baseURL
            do {
                _ = try await Partnerships.invite(
                    program: program, email: values["email"] ?? "", name: values["name"], groupID: nil, now: now(),
                    invitationURL: { base + SiteRoute.resetPassword(token: $0).path },
                    joinURL: { base + SiteRoute.partnerProgram(id: $0).path }, on: store.db
                )
            } catch let refusal as OperationError {
                return try await page(scope, [:], context, invite: FormState(values: values, refusal: refusal), status: .init(refusal: refusal))
            }
            return Response.seeOther(.vendorPartners, query: "done=invited")
        }

        router.post(SiteRoute.pattern(SiteRoute.vendorPartnerReview, "id")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            try scope.require(.runPrograms)
            let id = try context.parameters.id("id")
            let form = context.form
            let groupID = form["group"].flatMap { $0.isEmpty ? nil : $0 }
            let status = form["status"].flatMap { $0.isEmpty ? nil : $0 }
            let wasApplication = try await CompanyPartnerReads.find(id: id, programIDs: scope.programs.compactMap(\.id), on: store.sql)?.status == .applied
            do {
                _ = try await Partnerships.review(
                    partnershipID: id, companyID: scope.companyID, status: status, groupID: try groupID.map { raw in
                        guard let uuid = UUID(uuidString: raw) else { throw OperationError.invalid(field: "group", message: "Choose a group of the program.") }
                        return uuid
                    },
                    reason: form["reason"], actor: .user(scope.identity.userID), now: now(),
                    dashboardURL: config.baseURL + SiteRoute.partnerHome.path, on: store.db
                )
            } catch let refusal as OperationError {
                if case .notFound = refusal { throw HTTPError(.notFound) }
                let back = form["back"] == "partner" ? SiteRoute.vendorPartner(id: id) : SiteRoute.vendorPartners
                return Response.seeOther(back, query: SiteRoute.query([("error", refusal.code)]))
            }
            links.invalidateAll()
            let done = switch (wasApplication, status) { case (true, "active"?): "approved"; case (true, "declined"?): "declined"; default: "saved" }
            if form["back"] == "partner" { return Response.seeOther(.vendorPartner(id: id), query: "done=\(done)") }
            return Response.seeOther(.vendorPartners, query: "done=\(done)")
        }
    }

    func page(
        _ scope: VendorScope, _ query: [String: String], _ context: AppRequestContext, invite: FormState = FormState(),
        notice: Shell.Notice? = nil, status httpStatus: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let program = scope.program(filter: query["program"])
        let groups = try await program.asyncFlatMap { try await ProgramReads.groups(programID: $0.requireID(), on: store.db) } ?? []
        let groupID = query["group"].flatMap(UUID.init(uuidString:)).flatMap { id in groups.contains { $0.id == id } ? id : nil }
        let status = query["status"].flatMap(PartnershipStatus.init(rawValue:))
        let search = String((query["q"] ?? "").trimmingCharacters(in: .whitespaces).prefix(100))
        let pageNumber = max(1, min(Int(query["page"] ?? "") ?? 1, 10_000))
        let filter = CompanyPartnerReads.Filter(
            programIDs: program.flatMap(\.id).map { [$0] } ?? scope.programs.compactMap(\.id), groupID: groupID, status: status, search: search
        )
        var found = try await CompanyPartnerReads.page(filter, limit: Self.pageSize + 1, offset: (pageNumber - 1) * Self.pageSize, on: store.sql)
        let hasNext = found.count > Self.pageSize
        found = Array(found.prefix(Self.pageSize))
        let canManage = scope.role.may(.runPrograms)
        let rows = found.map { row in
            Row(id: row.id.pathText, partner: row.partner_name, url: SiteRoute.vendorPartner(id: row.id).path, program: row.program_name,
                group: row.group_name, status: row.status.rawValue, statusLabel: row.status.label, joined: DateText.day(row.created_at),
                isApplication: canManage && row.status == .applied, reviewAction: SiteRoute.vendorPartnerReview(id: row.id).path)
        }
        let filters = [("program", program?.slug ?? ""), ("group", groupID?.pathText ?? ""), ("status", status?.rawValue ?? ""), ("q", search)]
        func pageURL(_ n: Int) -> String { SiteRoute.vendorPartners.path + "?" + SiteRoute.query(filters + [("page", String(n))]) }
        return try renderer.html("vendor_partners", Model(
            shell: scope.shell("Partners", tab: .partners, context: context, renderer: renderer, notice: notice ?? Self.refusalNotice(query["error"])),
            programs: [Option(value: "", label: "All programs", selected: program == nil)]
                + scope.programs.map { Option(value: $0.slug, label: $0.name, selected: $0.slug == program?.slug) },
            groups: [Option(value: "", label: "Every group", selected: groupID == nil)]
                + groups.compactMap { g in g.id.map { Option(value: $0.pathText, label: g.name, selected: $0 == groupID) } },
            hasGroups: !groups.isEmpty,
            statuses: [Option(value: "", label: "Any status", selected: status == nil)]
                + PartnershipStatus.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == status) },
            search: search, rows: rows, hasRows: !rows.isEmpty, canManage: canManage, invite: invite,
            invitePrograms: scope.programs.map { Option(value: $0.slug, label: $0.name, selected: $0.slug == (invite.values["program"] ?? program?.slug)) },
            hasPrograms: !scope.programs.isEmpty,
            previousURL: pageNumber > 1 ? pageURL(pageNumber - 1) : nil, nextURL: hasNext ? pageURL(pageNumber + 1) : nil, pageNumber: pageNumber
        ), status: httpStatus)
    }

    /// A refusal carried back by its code (never its words: a crafted link cannot write on the page).
    static func refusalNotice(_ code: String?) -> Shell.Notice? {
        switch code {
        case nil: nil
        case "invalid_field"?: .init(kind: "error", message: "Choose a group of the program and a status of active, declined or archived.")
        case "not_found"?: .init(kind: "error", message: "That group is not a group of the partner's program.")
        default: .init(kind: "error", message: "The partner could not be changed.")
        }
    }
}
