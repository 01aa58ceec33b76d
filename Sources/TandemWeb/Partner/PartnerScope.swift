import Foundation
import Hummingbird
import TandemDomain
import TandemStore

/// The partner account a signed-in user acts for, and its programs. Every partner
/// page starts here, so every query below it is scoped to this account.
struct PartnerScope {
    struct Membership {
        let partnership: Partnership
        let program: Program
        let companyName: String
        /// The vendor's messages in this thread the partner has not opened.
        var unread = 0
        /// The vendor's custom tabs for this partner's group (or every group).
        var customTabs: [CustomTab] = []

        /// The partnership's id: what the program's pages are addressed by.
        var id: UUID { partnership.id! }
    }

    let identity: Identity
    let member: PartnerMember
    let accountID: UUID
    let memberships: [Membership]

    /// Each partnership's program currency: money of a partnership is counted in it.
    var currencies: [UUID: String] {
        Dictionary(memberships.compactMap { m in m.partnership.id.map { ($0, m.program.currencyCode) } }, uniquingKeysWith: { a, _ in a })
    }

    static func load(_ context: AppRequestContext, store: Store) async throws -> PartnerScope {
        let identity = try context.requireIdentity()
        guard let member = identity.partnerMembership else { throw HTTPError(.forbidden) }
        let accountID = member.$account.id
        let partnerships = try await PartnershipReads.ofAccount(accountID, oldestFirst: true, on: store.db)
        let unread = try await MessageReads.unreadForAccount(accountID, on: store.sql)
        let tabs = try await CustomTabReads.visible(to: partnerships.filter { $0.status == .active }, on: store.db)
        let memberships = partnerships.map { partnership in
            Membership(
                partnership: partnership, program: partnership.program, companyName: partnership.program.company.name,
                unread: partnership.id.flatMap { unread[$0] } ?? 0,
                customTabs: partnership.id.flatMap { tabs[$0] } ?? []
            )
        }
        return PartnerScope(identity: identity, member: member, accountID: accountID, memberships: memberships)
    }

    /// The switcher lists programs the partner can open: active ones.
    var switcherLinks: [Shell.Link] {
        memberships.filter { $0.partnership.status == .active }.map {
            Shell.Link(label: $0.program.name, href: SiteRoute.partnerProgram(id: $0.id).path)
        }
    }

    /// A partnership of this account by id; anyone else's is a 404, never a 403, so ids reveal nothing.
    func membership(id: UUID) throws -> Membership {
        guard let found = memberships.first(where: { $0.partnership.id == id }), found.partnership.status == .active else { throw HTTPError(.notFound) }
        return found
    }

    func shell(_ title: String, tab: Shell.PartnerTab, context: AppRequestContext, renderer: Renderer, notice: Shell.Notice? = nil) -> Shell {
        Shell.make(title: title, area: .partner, context: context, renderer: renderer, partnerTab: tab, programs: switcherLinks, notice: notice,
                   unreadMessages: memberships.filter { $0.partnership.status == .active }.reduce(0) { $0 + $1.unread })
    }
}

/// How a partnership status reads on a badge.
extension PartnershipStatus {
    var label: String {
        switch self {
        case .applied: "Applied"
        case .active: "Active"
        case .declined: "Declined"
        case .archived: "Archived"
        }
    }
}
