import Foundation
import TandemDomain

/// The tabs of a partner's Settings: Profile, Team, and API keys and postbacks for those who may manage them.
enum SettingsTab {
    case profile, team, keys, postbacks

    static func links(for role: PartnerRole, active: SettingsTab) -> [ProgramTab.Link] {
        var tabs: [(SettingsTab, String, SiteRoute)] = [(.profile, "Profile", .partnerSettings), (.team, "Team", .partnerTeam)]
        if role.canManageKeys {
            tabs.append((.keys, "API keys", .partnerAPIKeys))
            tabs.append((.postbacks, "Postbacks", .webhooks(.partner)))
        }
        return tabs.map { ProgramTab.Link(label: $0.1, href: $0.2.path, active: $0.0 == active) }
    }
}
