import Foundation
import Hummingbird
import TandemStore

/// The vendor's programs, with how many partners each has.
struct VendorHomePage: WebPages {
    let env: WebEnvironment

    struct Row {
        let name: String
        let slug: String
        let category: String
        let currency: String
        let listed: Bool
        let activePartners: Int
        let applications: Int
    }

    struct Model {
        let shell: Shell
        let company: String
        let role: String
        let programs: [Row]
        let hasPrograms: Bool
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.vendorHome.routerPath) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            let programs = try await ProgramReads.ofCompany(scope.companyID, byName: true, on: store.db)
            let counts = try await PartnershipReads.statusCounts(companyID: scope.companyID, on: store.sql)
            let rows = programs.map { program in
                let mine = program.id.flatMap { counts[$0] } ?? [:]
                return Row(
                    name: program.name, slug: program.slug, category: program.category, currency: program.currencyCode,
                    listed: program.marketplace, activePartners: mine[.active] ?? 0, applications: mine[.applied] ?? 0
                )
            }
            return try renderer.html("vendor_home", Model(
                shell: scope.shell("Programs", tab: .overview, context: context, renderer: renderer),
                company: scope.member.company.name, role: scope.member.role.rawValue.replacingOccurrences(of: "_", with: "-"),
                programs: rows, hasPrograms: !rows.isEmpty
            ))
        }
    }
}
