import Foundation
import Hummingbird

/// Rewards & Withdrawals. Until the money engine lands it shows what will be here
/// and an honest empty state; nothing is faked.
struct RewardsPage: WebPages {
    let env: WebEnvironment

    struct Model {
        let shell: Shell
        let programCount: Int
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.partnerRewards.routerPath) { _, context in
            let scope = try await PartnerScope.load(context, store: store)
            return try renderer.html("partner_rewards", Model(
                shell: scope.shell("Rewards & Withdrawals", tab: .rewards, context: context, renderer: renderer),
                programCount: scope.memberships.count
            ))
        }
    }
}
