import Foundation
import Hummingbird
import TandemStore

/// Every partner in the vendor's programs.
struct VendorPartnersPage: WebPages {
    let env: WebEnvironment

    struct Row {
        let partner: String
        let program: String
        let group: String
        let status: String
        let statusLabel: String
        let joined: String
    }

    struct Model {
        let shell: Shell
        let rows: [Row]
        let hasRows: Bool
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.vendorPartners.routerPath) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            let partnerships = try await PartnershipReads.ofCompany(scope.companyID, on: store.db)
            let rows = partnerships.map {
                Row(partner: $0.partnerAccount.name, program: $0.program.name, group: $0.group.name, status: $0.status.rawValue,
                    statusLabel: $0.status.label, joined: DateText.day($0.createdAt))
            }
            return try renderer.html("vendor_partners", Model(
                shell: scope.shell("Partners", tab: .partners, context: context, renderer: renderer), rows: rows, hasRows: !rows.isEmpty
            ))
        }
    }
}
