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
    let programs: [Link]
    let menu: [Link]
    let notice: Notice?

    enum PartnerTab { case home, rewards, reporting, marketplace, none }
    enum VendorTab { case programs, partners, none }

    static func make(
        title: String, area: Area, context: AppRequestContext, renderer: Renderer,
        partnerTab: PartnerTab = .none, vendorTab: VendorTab = .none, programs: [Link] = [], notice: Notice? = nil
    ) -> Shell {
        let identity = context.identity
        var nav: [Link] = []
        var menu: [Link] = []
        var home = SiteRoute.root.path
        switch area {
        case .partner:
            home = SiteRoute.partnerHome.path
            nav = [
                Link(label: "Home", href: SiteRoute.partnerHome.path, active: partnerTab == .home),
                Link(label: "Rewards & Withdrawals", href: SiteRoute.partnerRewards.path, active: partnerTab == .rewards),
                Link(label: "Reporting", href: SiteRoute.partnerReporting.path, active: partnerTab == .reporting),
                Link(label: "Marketplace", href: SiteRoute.partnerMarketplace.path, active: partnerTab == .marketplace),
            ]
            menu = [
                Link(label: "Settings", href: SiteRoute.partnerSettings.path),
                Link(label: "FAQs", href: SiteRoute.partnerFAQs.path),
                Link(label: "Technical support", href: SiteRoute.partnerSupport.path),
            ]
            if identity?.companyMembership != nil { menu.append(Link(label: "Vendor dashboard", href: SiteRoute.vendorHome.path)) }
        case .vendor:
            home = SiteRoute.vendorHome.path
            nav = [
                Link(label: "Programs", href: SiteRoute.vendorHome.path, active: vendorTab == .programs),
                Link(label: "Partners", href: SiteRoute.vendorPartners.path, active: vendorTab == .partners),
            ]
            if identity?.partnerMembership != nil { menu.append(Link(label: "Partner dashboard", href: SiteRoute.partnerHome.path)) }
        case .bare:
            if let identity {
                home = identity.partnerMembership != nil ? SiteRoute.partnerHome.path : SiteRoute.vendorHome.path
            }
        }
        if renderer.showDevMail { menu.append(Link(label: "Dev mailbox", href: SiteRoute.devMail.path)) }
        return Shell(
            title: title, csrf: renderer.csrfToken(context), signedIn: identity != nil && area != .bare,
            userName: identity?.user.name ?? "", homeURL: home, nav: nav, showSwitcher: area == .partner,
            programs: programs, menu: menu, notice: notice
        )
    }
}
