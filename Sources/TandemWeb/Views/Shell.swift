import Foundation
import Hummingbird
import TandemStore

/// The frame around every page: the top bar, the program switcher, the user menu,
/// and the notice shown after a form. Every page's view model has one as `shell`.
struct Shell {
    enum Area { case partner, vendor, bare }

    struct Link {
        let label: String
        let href: String
        var active: Bool = false
    }

    struct Notice {
        let kind: String
        let message: String
    }

    let title: String
    let csrf: String
    let signedIn: Bool
    let userName: String
    let homeURL: String
    let nav: [Link]
    let showSwitcher: Bool
    let switcherLabel: String
    let programs: [Link]
    /// Below the programs: "Find more programs" for a partner, "New program" for a vendor.
    let switcherFooter: Link?
    let menu: [Link]
    let notice: Notice?

    enum PartnerTab { case home, rewards, reporting, marketplace, messages, none }
    enum VendorTab { case overview, partners, rewards, payouts, reporting, messages, none }

    static func make(
        title: String, area: Area, context: AppRequestContext, renderer: Renderer,
        partnerTab: PartnerTab = .none, vendorTab: VendorTab = .none, programs: [Link] = [], notice: Notice? = nil,
        canCreatePrograms: Bool = false, canManageCompany: Bool = false, unreadMessages: Int = 0
    ) -> Shell {
        let messages = unreadMessages > 0 ? "Messages (\(unreadMessages))" : "Messages"
        let identity = context.identity
        var nav: [Link] = []
        var menu: [Link] = []
        var home = SiteRoute.root.path
        var switcherLabel = "Your Programs"
        var switcherFooter: Link? = nil
        switch area {
        case .partner:
            home = SiteRoute.partnerHome.path
            nav = [
                Link(label: "Home", href: SiteRoute.partnerHome.path, active: partnerTab == .home),
                Link(label: "Rewards & Withdrawals", href: SiteRoute.partnerRewards.path, active: partnerTab == .rewards),
                Link(label: "Reporting", href: SiteRoute.partnerReporting.path, active: partnerTab == .reporting),
                Link(label: "Marketplace", href: SiteRoute.partnerMarketplace.path, active: partnerTab == .marketplace),
                Link(label: messages, href: SiteRoute.partnerMessages.path, active: partnerTab == .messages),
            ]
            menu = [
                Link(label: "Settings", href: SiteRoute.partnerSettings.path),
                Link(label: "FAQs", href: SiteRoute.partnerFAQs.path),
                Link(label: "Technical support", href: SiteRoute.partnerSupport.path),
            ]
            switcherFooter = Link(label: "Find more programs", href: SiteRoute.partnerMarketplace.path)
            if identity?.companyMembership != nil { menu.append(Link(label: "Vendor dashboard", href: SiteRoute.vendorHome.path)) }
        case .vendor:
            home = SiteRoute.vendorHome.path
            nav = [
                Link(label: "Overview", href: SiteRoute.vendorHome.path, active: vendorTab == .overview),
                Link(label: "Partners", href: SiteRoute.vendorPartners.path, active: vendorTab == .partners),
                Link(label: "Rewards", href: SiteRoute.vendorRewards.path, active: vendorTab == .rewards),
                Link(label: "Payouts", href: SiteRoute.vendorPayouts.path, active: vendorTab == .payouts),
                Link(label: "Reporting", href: SiteRoute.vendorReporting.path, active: vendorTab == .reporting),
                Link(label: messages, href: SiteRoute.vendorMessages.path, active: vendorTab == .messages),
            ]
            menu = [
                Link(label: "Company settings", href: SiteRoute.vendorCompanySettings.path),
                Link(label: "Team", href: SiteRoute.vendorTeam.path),
            ]
            if canManageCompany {
                menu.append(Link(label: "API keys", href: SiteRoute.vendorAPIKeys.path))
                menu.append(Link(label: "Webhooks", href: SiteRoute.webhooks(.vendor).path))
            }
            switcherLabel = "Programs"
            if canCreatePrograms { switcherFooter = Link(label: "New program", href: SiteRoute.vendorProgramNew.path) }
            if identity?.partnerMembership != nil { menu.append(Link(label: "Partner dashboard", href: SiteRoute.partnerHome.path)) }
        case .bare:
            if let identity {
                home = identity.partnerMembership != nil ? SiteRoute.partnerHome.path : SiteRoute.vendorHome.path
            }
        }
        if renderer.showDevMail { menu.append(Link(label: "Dev mailbox", href: SiteRoute.devMail.path)) }
        return Shell(
            title: title, csrf: renderer.csrfToken(context), signedIn: identity != nil && area != .bare,
            userName: identity?.user.name ?? "", homeURL: home, nav: nav, showSwitcher: area != .bare,
            switcherLabel: switcherLabel, programs: programs, switcherFooter: switcherFooter, menu: menu, notice: notice
        )
    }
}
