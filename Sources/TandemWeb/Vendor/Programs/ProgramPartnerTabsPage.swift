import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// A program's custom partner tabs: links and Markdown pages the vendor adds for chosen groups
/// or every group; partners see them beside the program's own tabs.
struct ProgramPartnerTabsPage: WebPages {
    let env: WebEnvironment

    struct Row {
        let title: String
        let kind: String
        let target: String
        let group: String
        let deleteAction: String
    }

    struct Model {
        let shell: Shell
        let name: String
        let tabs: [VendorProgramTab.Link]
        let rows: [Row]
        let hasRows: Bool
        let canEdit: Bool
        let create: FormState
        let groups: [GroupChoices.Option]
        let linkChosen: Bool
        let action: String
        let maxBody = CustomTabs.maxBody
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.pattern(SiteRoute.vendorProgramTabs, "slug")) { request, context in
            let scope = try await VendorScope.load(context, store: store)
            let program = try scope.program(slug: context.parameters.get("slug"))
            let notice: Shell.Notice? = switch request.uri.queryParameters["done"] {
            case "created": .init(kind: "success", message: "The tab was added; partners of its groups see it now.")
            case "deleted": .init(kind: "success", message: "The tab was removed.")
            default: nil
            }
            return try await page(scope, program, context, notice: notice)
        }
        router.post(SiteRoute.pattern(SiteRoute.vendorProgramTabs, "slug")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            let program = try scope.program(slug: context.parameters.get("slug"))
            try scope.require(.runPrograms)
            let form = context.form
            let values = ["title": form.string("title"), "kind": form.string("kind"), "url": form.string("url"), "body": form.string("body")]
            let chosen = form.all("group")
            do {
                _ = try await CustomTabs.create(
                    program: program, groupIDs: chosen, title: values["title"] ?? "", kind: values["kind"] ?? "",
                    url: values["url"], body: values["body"], now: now(), on: store.db
                )
            } catch let refusal as OperationError {
                return try await page(scope, program, context, create: FormState(values: values, refusal: refusal), chosen: chosen, status: .init(refusal: refusal))
            }
            return Response.seeOther(.vendorProgramTabs(slug: program.slug), query: "done=created")
        }
        router.post(SiteRoute.pattern(SiteRoute.vendorProgramTabDelete, "slug", "tab")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            let program = try scope.program(slug: context.parameters.get("slug"))
            try scope.require(.runPrograms)
            do {
                try await CustomTabs.delete(programID: try program.requireID(), tabID: try context.parameters.id("tab"), on: store.db)
            } catch OperationError.notFound {
                throw HTTPError(.notFound)
            }
            return Response.seeOther(.vendorProgramTabs(slug: program.slug), query: "done=deleted")
        }
    }

    func page(_ scope: VendorScope, _ program: Program, _ context: AppRequestContext, create: FormState = FormState(), chosen: [String] = [],
              notice: Shell.Notice? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let programID = try program.requireID()
        let groups = try await ProgramReads.groups(programID: programID, on: store.db)
        let names = Dictionary(uniqueKeysWithValues: groups.compactMap { group in group.id.map { ($0, group.name) } })
        let tabs = try await CustomTabReads.of(programIDs: [programID], on: store.db)
        let audiences = try await AudienceGroups.of(tabs.compactMap(\.id), on: store.sql)
        return try renderer.html("vendor_program_tabs", Model(
            shell: scope.shell("Partner tabs · \(program.name)", tab: .none, context: context, renderer: renderer, notice: notice),
            name: program.name, tabs: VendorProgramTab.links(slug: program.slug, active: .partnerTabs),
            rows: try tabs.map { tab in
                Row(title: tab.title, kind: tab.kind == .link ? "Link" : "Page",
                    target: tab.kind == .link ? (tab.url ?? "") : "\(Money.grouped(Int64(tab.body?.count ?? 0))) characters of Markdown",
                    group: GroupChoices.names(audiences[try tab.requireID()] ?? [], names: names),
                    deleteAction: SiteRoute.vendorProgramTabDelete(slug: program.slug, tab: try tab.requireID()).path)
            },
            hasRows: !tabs.isEmpty, canEdit: scope.role.may(.runPrograms), create: create,
            groups: GroupChoices.options(groups, chosen: chosen),
            linkChosen: create.values["kind"] != "page", action: SiteRoute.vendorProgramTabs(slug: program.slug).path
        ), status: status)
    }
}
