import Foundation
import Hummingbird
import TandemDomain
import TandemStore

/// The company a signed-in vendor teammate acts for, and its programs. Every vendor page
/// starts here, so every read below it is scoped to this company, and every change first
/// asks `require(_:)` whether the teammate's role allows it.
struct VendorScope {
    let identity: Identity
    let member: CompanyMember
    let companyID: UUID
    let companyName: String
    let programs: [Program]
    /// Partner messages nobody on the team has opened: the top bar's count.
    let unreadMessages: Int

    var role: VendorRole { member.role }

    static func load(_ context: AppRequestContext, store: Store) async throws -> VendorScope {
        let identity = try context.requireIdentity()
        guard let member = identity.companyMembership else { throw HTTPError(.forbidden) }
        let companyID = member.$company.id
        let programs = try await ProgramReads.ofCompany(companyID, byName: true, on: store.db)
        let unread = try await MessageReads.unreadForCompany(companyID, on: store.sql)
        return VendorScope(identity: identity, member: member, companyID: companyID, companyName: member.company.name, programs: programs,
                           unreadMessages: unread)
    }

    /// Refuses (403) work the teammate's role does not allow; pages hide such buttons too,
    /// but this is what holds.
    func require(_ work: VendorWork) throws {
        guard role.may(work) else { throw HTTPError(.forbidden) }
    }

    /// A program of this company by slug; anyone else's is a 404, so slugs reveal nothing.
    func program(slug: String?) throws -> Program {
        guard let slug, let found = programs.first(where: { $0.slug == slug }) else { throw HTTPError(.notFound) }
        return found
    }

    /// The program named by the `program` query or form value, when it is one of ours.
    func program(filter slug: String?) -> Program? {
        guard let slug, !slug.isEmpty else { return nil }
        return programs.first { $0.slug == slug }
    }

    var switcherLinks: [Shell.Link] {
        programs.map { Shell.Link(label: $0.name, href: SiteRoute.vendorProgramSettings(slug: $0.slug).path) }
    }

    func shell(_ title: String, tab: Shell.VendorTab, context: AppRequestContext, renderer: Renderer, notice: Shell.Notice? = nil) -> Shell {
        Shell.make(
            title: title, area: .vendor, context: context, renderer: renderer, vendorTab: tab, programs: switcherLinks,
            notice: notice, canCreatePrograms: role.may(.runPrograms), canManageCompany: role.may(.manageCompany), unreadMessages: unreadMessages
        )
    }
}
