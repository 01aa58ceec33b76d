import Foundation
import Hummingbird
import TandemOperations
import TandemStore

/// A program's Resources tab: what the vendor gave the partner's group (or every group),
/// files to download and links. Another group's resource is a 404, as is anyone else's.
struct PartnerResourcesPage: WebPages {
    let env: WebEnvironment

    struct Row {
        let title: String
        let description: String
        let what: String
        let href: String
        let isLink: Bool
    }

    struct Model {
        let shell: Shell
        let name: String
        let company: String
        let tabs: [ProgramTab.Link]
        let rows: [Row]
        let hasRows: Bool
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.pattern(SiteRoute.partnerProgramResources, "program")) { _, context in
            let scope = try await PartnerScope.load(context, store: store)
            let membership = try scope.membership(id: context.parameters.id("program"))
            let resources = try await ResourceReads.visible(programID: membership.partnership.$program.id, toGroup: membership.partnership.$group.id, on: store.db)
            let rows = try resources.map { resource in
                Row(title: resource.title, description: resource.description,
                    what: resource.kind == .file ? "\(resource.fileName ?? "file") · \(ProgramResourcesPage.size(resource.sizeBytes))" : "Link",
                    href: resource.kind == .file ? SiteRoute.partnerResourceDownload(id: membership.id, resource: try resource.requireID()).path : (resource.url ?? "#"),
                    isLink: resource.kind == .link)
            }
            return try renderer.html("partner_program_resources", Model(
                shell: scope.shell("Resources · \(membership.program.name)", tab: .none, context: context, renderer: renderer),
                name: membership.program.name, company: membership.companyName,
                tabs: ProgramTab.links(for: membership, active: .resources), rows: rows, hasRows: !rows.isEmpty
            ))
        }
        router.get(SiteRoute.pattern(SiteRoute.partnerResourceDownload, "program", "resource")) { _, context in
            let scope = try await PartnerScope.load(context, store: store)
            let membership = try scope.membership(id: context.parameters.id("program"))
            let id = try context.parameters.id("resource")
            guard let resource = try await ResourceReads.visibleFile(
                      id: id, programID: membership.partnership.$program.id, toGroup: membership.partnership.$group.id, on: store.db),
                  let data = try await ResourceReads.data(resourceID: id, on: store.db) else { throw HTTPError(.notFound) }
            return ResourceDownload.response(resource, data: data)
        }
    }
}
