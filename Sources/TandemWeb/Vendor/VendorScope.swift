import Foundation
import Hummingbird
import TandemStore

/// The company a signed-in vendor teammate acts for. Vendor pages query through it.
struct VendorScope {
    let identity: Identity
    let member: CompanyMember
    let companyID: UUID

    static func load(_ context: AppRequestContext) throws -> VendorScope {
        let identity = try context.requireIdentity()
        guard let member = identity.companyMembership else { throw HTTPError(.forbidden) }
        return VendorScope(identity: identity, member: member, companyID: member.$company.id)
    }

    func shell(_ title: String, tab: Shell.VendorTab, context: AppRequestContext, renderer: Renderer) -> Shell {
        Shell.make(title: title, area: .vendor, context: context, renderer: renderer, vendorTab: tab)
    }
}
