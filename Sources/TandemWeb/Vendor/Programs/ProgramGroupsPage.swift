import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// A program's groups: how many partners each has (a link to them, where they are moved),
/// which is the default that new partners join, and a new group.
struct ProgramGroupsPage: WebPages {
    let env: WebEnvironment

    struct Row {
        let id: String
        let name: String
        let isDefault: Bool
        let partners: String
        let partnersURL: String
        let action: String
        let archiveAction: String?
        let form: FormState
        let editing: Bool
    }

    struct Model {
        let shell: Shell
        let name: String
        let tabs: [VendorProgramTab.Link]
        let rows: [Row]
        let canEdit: Bool
        let create: FormState
        let action: String
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.pattern(SiteRoute.vendorProgramGroups, "slug")) { request, context in
            let scope = try await VendorScope.load(context, store: store)
            let program = try scope.program(slug: context.parameters.get("slug"))
            let notice: Shell.Notice? = switch request.uri.queryParameters["done"] {
            case "created": .init(kind: "success", message: "The group was created.")
            case "saved": .init(kind: "success", message: "The group was saved.")
            case "archived": .init(kind: "success", message: "The group was archived, with its reward rules.")
            default: nil
            }
            return try await page(scope, program, context, notice: notice)
        }

        router.post(SiteRoute.pattern(SiteRoute.vendorProgramGroups, "slug")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            let program = try scope.program(slug: context.parameters.get("slug"))
            try scope.require(.runPrograms)
            let values = ["name": context.form.string("name")]
            do {
                _ = try await ProgramSettings.createGroup(programID: program.requireID(), name: values["name"], isDefault: !context.form.string("default").isEmpty,
                                                          now: now(), on: store.db)
            } catch let refusal as OperationError {
                return try await page(scope, program, context, create: FormState(values: values, refusal: refusal), status: .init(refusal: refusal))
            }
            return Response.seeOther(.vendorProgramGroups(slug: program.slug), query: "done=created")
        }

        router.post(SiteRoute.pattern(SiteRoute.vendorProgramGroup, "slug", "group")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            let program = try scope.program(slug: context.parameters.get("slug"))
            try scope.require(.runPrograms)
            let groupID = try context.parameters.id("group")
            let values = ["name": context.form.string("name")]
            do {
                _ = try await ProgramSettings.updateGroup(programID: program.requireID(), groupID: groupID, name: context.form["name"],
                                                          makeDefault: !context.form.string("default").isEmpty, on: store.db)
            } catch let refusal as OperationError {
                if case .notFound = refusal { throw HTTPError(.notFound) }
                return try await page(scope, program, context, editing: (groupID, FormState(values: values, refusal: refusal)), status: .init(refusal: refusal))
            }
            return Response.seeOther(.vendorProgramGroups(slug: program.slug), query: "done=saved")
        }

        router.post(SiteRoute.pattern(SiteRoute.vendorProgramGroupArchive, "slug", "group")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            let program = try scope.program(slug: context.parameters.get("slug"))
            try scope.require(.runPrograms)
            do {
                _ = try await ProgramSettings.archiveGroup(programID: program.requireID(), groupID: try context.parameters.id("group"), now: now(), on: store.db)
            } catch let refusal as OperationError {
                if case .notFound = refusal { throw HTTPError(.notFound) }
                return try await page(scope, program, context, notice: Shell.Notice(refusal: refusal), status: .init(refusal: refusal))
            }
            return Response.seeOther(.vendorProgramGroups(slug: program.slug), query: "done=archived")
        }
    }

    func page(_ scope: VendorScope, _ program: Program, _ context: AppRequestContext, create: FormState = FormState(),
              editing: (UUID, FormState)? = nil, notice: Shell.Notice? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let programID = try program.requireID()
        let groups = try await ProgramReads.groups(programID: programID, on: store.db)
        let sizes = try await ProgramReads.groupSizes(programID: programID, on: store.sql)
        let rows = try groups.map { group in
            let id = try group.requireID()
            let failed = editing.flatMap { $0.0 == id ? $0.1 : nil }
            return Row(
                id: id.pathText, name: group.name, isDefault: group.isDefault, partners: Money.grouped(sizes[id] ?? 0),
                partnersURL: SiteRoute.vendorPartners.path + "?" + SiteRoute.query([("program", program.slug), ("group", id.pathText)]),
                action: SiteRoute.vendorProgramGroup(slug: program.slug, group: id).path,
                archiveAction: group.isDefault || (sizes[id] ?? 0) > 0 ? nil : SiteRoute.vendorProgramGroupArchive(slug: program.slug, group: id).path,
                form: failed ?? FormState(values: ["name": group.name]), editing: failed != nil
            )
        }
        return try renderer.html("vendor_program_groups", Model(
            shell: scope.shell("Groups · \(program.name)", tab: .none, context: context, renderer: renderer, notice: notice),
            name: program.name, tabs: VendorProgramTab.links(slug: program.slug, active: .groups), rows: rows,
            canEdit: scope.role.may(.runPrograms), create: create, action: SiteRoute.vendorProgramGroups(slug: program.slug).path
        ), status: status)
    }
}
