import Foundation
import Hummingbird
import TandemStore

/// One program, seen by a partner: the left-hand tabs and the Summary.
struct ProgramSummaryPage: WebPages {
    let env: WebEnvironment

    struct Tab {
        let label: String
        let href: String
        let active: Bool
    }

    struct Model {
        let shell: Shell
        let name: String
        let company: String
        let description: String
        let category: String
        let currency: String
        let cookieWindowDays: Int
        let holdDays: Int
        let partnerKey: String
        let tabs: [Tab]
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.pattern(SiteRoute.partnerProgram, "program")) { request, context in
            let scope = try await PartnerScope.load(context, store: store)
            let membership = try scope.membership(id: context.parameters.get("program"))
            let program = membership.program
            let joined = request.uri.queryParameters["joined"] == "1"
            return try renderer.html("partner_program", Model(
                shell: scope.shell(program.name, tab: .none, context: context, renderer: renderer,
                                   notice: joined ? .init(kind: "success", message: "Welcome to \(program.name)!") : nil),
                name: program.name, company: membership.companyName, description: program.description,
                category: program.category, currency: program.currencyCode, cookieWindowDays: program.cookieWindowDays,
                holdDays: program.holdDays, partnerKey: membership.partnership.partnerKey,
                tabs: [Tab(label: "Summary", href: request.uri.path, active: true)]
            ))
        }
    }
}
