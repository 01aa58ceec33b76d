/// The tabs above a program's console pages: Settings, Groups, Reward rules, Resources, Partner tabs, Campaigns.
enum VendorProgramTab: CaseIterable {
    case settings, groups, rules, resources, partnerTabs, campaigns

    struct Link {
        let label: String
        let href: String
        let active: Bool
    }

    static func links(slug: String, active: VendorProgramTab) -> [Link] {
        [
            Link(label: "Settings", href: SiteRoute.vendorProgramSettings(slug: slug).path, active: active == .settings),
            Link(label: "Groups", href: SiteRoute.vendorProgramGroups(slug: slug).path, active: active == .groups),
            Link(label: "Reward rules", href: SiteRoute.vendorProgramRules(slug: slug).path, active: active == .rules),
            Link(label: "Resources", href: SiteRoute.vendorProgramResources(slug: slug).path, active: active == .resources),
            Link(label: "Partner tabs", href: SiteRoute.vendorProgramTabs(slug: slug).path, active: active == .partnerTabs),
            Link(label: "Campaigns", href: SiteRoute.vendorProgramCampaigns(slug: slug).path, active: active == .campaigns),
        ]
    }
}
