import Foundation
import Hummingbird
import TandemStore

/// A vendor's Markdown page among a program's tabs. Only partners of the tab's group (or
/// of every group, when it names none) find it; anyone else gets a 404.
struct ProgramCustomTabPage: WebPages {
    let env: WebEnvironment

    struct Model {
        let shell: Shell
        let name: String
        let company: String
        let tabs: [ProgramTab.Link]
        let title: String
        let html: String
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.pattern(SiteRoute.partnerProgramTab, "program", "tab")) { _, context in
            let scope = try await PartnerScope.load(context, store: store)
            let membership = try scope.membership(id: context.parameters.id("program"))
            let tabID = try context.parameters.id("tab")
            guard let tab = membership.customTabs.first(where: { $0.id == tabID }), tab.kind == .page else { throw HTTPError(.notFound) }
            return try renderer.html("partner_program_tab", Model(
                shell: scope.shell("\(tab.title) · \(membership.program.name)", tab: .none, context: context, renderer: renderer),
                name: membership.program.name, company: membership.companyName,
                tabs: ProgramTab.links(for: membership, active: nil, activeCustom: tabID),
                title: tab.title, html: MarkdownHTML.render(tab.body ?? "")
            ))
        }
    }
}
