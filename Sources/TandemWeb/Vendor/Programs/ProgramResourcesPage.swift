import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// A program's resources: files (up to 25 MB, kept in the database) and links, each for
/// chosen groups or every group; partners find them in the program's Resources tab.
struct ProgramResourcesPage: WebPages {
    let env: WebEnvironment

    struct Row {
        let title: String
        let description: String
        let what: String
        let href: String
        let group: String
        let added: String
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
        let action: String
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.pattern(SiteRoute.vendorProgramResources, "slug")) { request, context in
            let scope = try await VendorScope.load(context, store: store)
            let program = try scope.program(slug: context.parameters.get("slug"))
            let notice: Shell.Notice? = switch request.uri.queryParameters["done"] {
            case "created": .init(kind: "success", message: "Added; partners of its group find it under Resources.")
            case "deleted": .init(kind: "success", message: "The resource was removed.")
            default: nil
            }
            return try await page(scope, program, context, notice: notice)
        }
        router.post(SiteRoute.pattern(SiteRoute.vendorProgramResources, "slug")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            let program = try scope.program(slug: context.parameters.get("slug"))
            try scope.require(.runPrograms)
            let form = context.form
            let values = ["title": form.string("title"), "description": form.string("description"), "url": form.string("url")]
            let chosen = form.all("group")
            let upload = context.multipart?.file("file").map {
                Resources.Upload(fileName: $0.fileName ?? "file", contentType: $0.contentType ?? "application/octet-stream", data: $0.data)
            }
            do {
                _ = try await Resources.create(program: program, groupIDs: chosen, title: values["title"] ?? "", description: values["description"],
                                               url: values["url"], file: upload, now: now(), on: store.db)
            } catch let refusal as OperationError {
                return try await page(scope, program, context, create: FormState(values: values, refusal: refusal), chosen: chosen, status: .init(refusal: refusal))
            }
            return Response.seeOther(.vendorProgramResources(slug: program.slug), query: "done=created")
        }
        router.post(SiteRoute.pattern(SiteRoute.vendorResourceDelete, "slug", "resource")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            let program = try scope.program(slug: context.parameters.get("slug"))
            try scope.require(.runPrograms)
            do {
                try await Resources.delete(programID: try program.requireID(), resourceID: try context.parameters.id("resource"), on: store.db)
            } catch OperationError.notFound {
                throw HTTPError(.notFound)
            }
            return Response.seeOther(.vendorProgramResources(slug: program.slug), query: "done=deleted")
        }
        router.get(SiteRoute.pattern(SiteRoute.vendorResourceDownload, "slug", "resource")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            let program = try scope.program(slug: context.parameters.get("slug"))
            let id = try context.parameters.id("resource")
            guard let resource = try await ResourceReads.find(id: id, programID: try program.requireID(), on: store.db), resource.kind == .file,
                  let data = try await ResourceReads.data(resourceID: id, on: store.db) else { throw HTTPError(.notFound) }
            return ResourceDownload.response(resource, data: data)
        }
    }

    /// "" is every group; anything else must be an id (the workflow checks it is the program's).
    func page(_ scope: VendorScope, _ program: Program, _ context: AppRequestContext, create: FormState = FormState(), chosen: [String] = [],
              notice: Shell.Notice? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let programID = try program.requireID()
        let groups = try await ProgramReads.groups(programID: programID, on: store.db)
        let names = Dictionary(uniqueKeysWithValues: groups.compactMap { group in group.id.map { ($0, group.name) } })
        let resources = try await ResourceReads.of(programIDs: [programID], on: store.db)
        let audiences = try await AudienceGroups.of(resources.compactMap(\.id), on: store.sql)
        return try renderer.html("vendor_program_resources", Model(
            shell: scope.shell("Resources · \(program.name)", tab: .none, context: context, renderer: renderer, notice: notice),
            name: program.name, tabs: VendorProgramTab.links(slug: program.slug, active: .resources),
            rows: try resources.map { resource in
                let id = try resource.requireID()
                return Row(
                    title: resource.title, description: resource.description,
                    what: resource.kind == .file ? "\(resource.fileName ?? "file") · \(Self.size(resource.sizeBytes))" : "Link",
                    href: resource.kind == .file ? SiteRoute.vendorResourceDownload(slug: program.slug, resource: id).path : (resource.url ?? "#"),
                    group: GroupChoices.names(audiences[id] ?? [], names: names), added: DateText.day(resource.createdAt),
                    deleteAction: SiteRoute.vendorResourceDelete(slug: program.slug, resource: id).path
                )
            },
            hasRows: !resources.isEmpty, canEdit: scope.role.may(.runPrograms), create: create,
            groups: GroupChoices.options(groups, chosen: chosen),
            action: SiteRoute.vendorProgramResources(slug: program.slug).path
        ), status: status)
    }

    /// "2.4 MB", "312 KB".
    static func size(_ bytes: Int64) -> String {
        bytes >= 1024 * 1024 ? String(format: "%.1f MB", Double(bytes) / 1_048_576) : "\(max(1, (bytes + 1023) / 1024)) KB"
    }
}
