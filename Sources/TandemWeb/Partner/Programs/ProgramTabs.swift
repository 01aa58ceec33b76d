import Foundation
import Hummingbird
import TandemStore

/// The left-hand tabs of a program page. A tab the program does not enable is not
/// shown, and its pages answer 404 (`require`).
enum ProgramTab: String, CaseIterable {
    case summary, performance, links, referrals, deals, resources, messages

    var label: String {
        switch self {
        case .summary: "Summary"
        case .performance: "Performance"
        case .links: "Links"
        case .referrals: "Referrals"
        case .deals: "Deals"
        case .resources: "Resources"
        case .messages: "Messages"
        }
    }

    func isEnabled(for program: Program) -> Bool {
        switch self {
        case .summary, .performance, .referrals, .resources, .messages: true
        case .links: program.featureLinks
        case .deals: program.featureDeals
        }
    }

    func route(_ partnershipID: UUID) -> SiteRoute {
        switch self {
        case .summary: .partnerProgram(id: partnershipID)
        case .performance: .partnerProgramPerformance(id: partnershipID)
        case .links: .partnerProgramLinks(id: partnershipID)
        case .referrals: .partnerProgramReferrals(id: partnershipID)
        case .deals: .partnerProgramDeals(id: partnershipID)
        case .resources: .partnerProgramResources(id: partnershipID)
        case .messages: .partnerProgramMessages(id: partnershipID)
        }
    }

    struct Link {
        let label: String
        let href: String
        let active: Bool
        /// A vendor's link tab: it opens in a new browser tab.
        var external = false
    }

    /// The tabs to show (the `program_tabs` partial): the program's own, then the vendor's
    /// custom tabs for the partner's group. `activeCustom`: the custom page being shown.
    static func links(for membership: PartnerScope.Membership, active: ProgramTab?, activeCustom: UUID? = nil) -> [Link] {
        let id = membership.id
        let own = allCases.filter { $0.isEnabled(for: membership.program) }.map {
            // Messages shows how many of the vendor's messages are unread, as the top bar does.
            let label = $0 == .messages && membership.unread > 0 ? "Messages (\(membership.unread))" : $0.label
            return Link(label: label, href: $0.route(id).path, active: $0 == active)
        }
        let custom = membership.customTabs.compactMap { tab -> Link? in
            guard let tabID = tab.id else { return nil }
            switch tab.kind {
            case .link: return Link(label: tab.title, href: tab.url ?? "#", active: false, external: true)
            case .page: return Link(label: tab.title, href: SiteRoute.partnerProgramTab(id: id, tab: tabID).path, active: tabID == activeCustom)
            }
        }
        return own + custom
    }

    /// Throws 404 when the program does not enable this tab.
    func require(_ membership: PartnerScope.Membership) throws {
        guard isEnabled(for: membership.program) else { throw HTTPError(.notFound) }
    }
}

