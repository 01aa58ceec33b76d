import Foundation
import Hummingbird
import TandemStore

/// Home: every program of the partner with its status, and where to find more.
struct HomePage: WebPages {
    let env: WebEnvironment

    struct ProgramRow {
        let initial: String
        let name: String
        let company: String
        let status: String
        let statusLabel: String
        let href: String?
        let category: String
    }

    struct Model {
        let shell: Shell
        let firstName: String
        let programs: [ProgramRow]
        let hasPrograms: Bool
        let activeCount: Int
        let pendingCount: Int
        let marketplaceURL: String
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.partnerHome.routerPath) { _, context in
            let scope = try await PartnerScope.load(context, store: store)
            let rows = scope.memberships.map { membership in
                let status = membership.partnership.status
                return ProgramRow(
                    initial: String(membership.program.name.prefix(1)).uppercased(),
                    name: membership.program.name,
                    company: membership.companyName,
                    status: status.rawValue,
                    statusLabel: status.label,
                    href: status == .active ? SiteRoute.partnerProgram(id: membership.partnership.id!.uuidString.lowercased()).path : nil,
                    category: membership.program.category
                )
            }
            return try renderer.html("partner_home", Model(
                shell: scope.shell("Home", tab: .home, context: context, renderer: renderer),
                firstName: String(scope.identity.user.name.split(separator: " ").first ?? ""),
                programs: rows,
                hasPrograms: !rows.isEmpty,
                activeCount: rows.filter { $0.status == "active" }.count,
                pendingCount: rows.filter { $0.status == "applied" }.count,
                marketplaceURL: SiteRoute.partnerMarketplace.path
            ))
        }
    }
}
