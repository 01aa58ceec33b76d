import Foundation
import Hummingbird
import TandemDomain
import TandemStore

/// Home: every program of the partner with its status and five numbers, an overview
/// across programs (money per currency, never mixed), and the recent activity.
struct HomePage: WebPages {
    let env: WebEnvironment

    struct ProgramRow {
        let initial: String
        let name: String
        let company: String
        let status: String
        let statusLabel: String
        let href: String?
        let clicks: String
        let referred: String
        let sold: String
        let earned: String
        let pending: String
    }

    /// A program's default referral link, ready to copy.
    struct ReferralLink {
        let field: String
        let program: String
        let url: String
    }

    struct CurrencyTotals {
        let currency: String
        let sold: String
        let earned: String
        let pending: String
    }

    struct Activity {
        let when: String
        let what: String
    }

    struct Model {
        let shell: Shell
        let firstName: String
        let programs: [ProgramRow]
        let hasPrograms: Bool
        let links: [ReferralLink]
        let hasLinks: Bool
        let clicks: String
        let referred: String
        let currencies: [CurrencyTotals]
        let activity: [Activity]
        let hasActivity: Bool
        let marketplaceURL: String
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.partnerHome.routerPath) { _, context in
            let scope = try await PartnerScope.load(context, store: store)
            let ids = scope.memberships.compactMap(\.partnership.id)
            let totals = try await PartnerStatsQueries.totals(partnershipIDs: ids, on: store.sql)
            var bySold: [String: (sold: Int64, earned: Int64, pending: Int64)] = [:]
            var rows: [ProgramRow] = []
            for membership in scope.memberships {
                let id = membership.partnership.id!
                let stats = totals[id] ?? PartnerStatsQueries.Totals()
                let currency = membership.program.currency
                var sum = bySold[currency.code] ?? (0, 0, 0)
                sum.sold = try sum.sold.addingChecked(stats.sold)
                sum.earned = try sum.earned.addingChecked(stats.earned)
                sum.pending = try sum.pending.addingChecked(stats.pending)
                bySold[currency.code] = sum
                let status = membership.partnership.status
                rows.append(ProgramRow(
                    initial: String(membership.program.name.prefix(1)).uppercased(), name: membership.program.name,
                    company: membership.companyName, status: status.rawValue, statusLabel: status.label,
                    href: status == .active ? SiteRoute.partnerProgram(id: id).path : nil,
                    clicks: Money.grouped(stats.clicks), referred: Money.grouped(stats.referred),
                    sold: Money(amount: stats.sold, currency: currency).formatted,
                    earned: Money(amount: stats.earned, currency: currency).formatted,
                    pending: Money(amount: stats.pending, currency: currency).formatted
                ))
            }
            let live = scope.memberships.filter { $0.partnership.status == .active && $0.program.featureLinks }
            let defaults = try await LinkReads.defaultLinks(partnershipIDs: live.compactMap(\.partnership.id), on: store.db)
            let links = live.enumerated().compactMap { index, membership in
                defaults[membership.partnership.id!].map {
                    ReferralLink(field: "link-\(index)", program: membership.program.name, url: config.baseURL + "/r/" + $0.key)
                }
            }
            let names = Dictionary(uniqueKeysWithValues: scope.memberships.map { ($0.partnership.id!, $0.program.name) })
            let activity = try await ActivityQueries.recent(accountID: scope.accountID, partnershipIDs: ids, on: store.db).map { item in
                Activity(when: DateText.day(item.at), what: Self.describe(item, program: item.partnershipID.flatMap { names[$0] }))
            }
            let allTotals = totals.values
            return try renderer.html("partner_home", Model(
                shell: scope.shell("Home", tab: .home, context: context, renderer: renderer),
                firstName: String(scope.identity.user.name.split(separator: " ").first ?? ""),
                programs: rows, hasPrograms: !rows.isEmpty, links: links, hasLinks: !links.isEmpty,
                clicks: Money.grouped(try allTotals.map(\.clicks).checkedSum()),
                referred: Money.grouped(try allTotals.map(\.referred).checkedSum()),
                currencies: bySold.keys.sorted().compactMap { code in
                    guard let currency = Currency(code: code), let sum = bySold[code] else { return nil }
                    return CurrencyTotals(currency: code, sold: Money(amount: sum.sold, currency: currency).formatted,
                                          earned: Money(amount: sum.earned, currency: currency).formatted,
                                          pending: Money(amount: sum.pending, currency: currency).formatted)
                },
                activity: activity, hasActivity: !activity.isEmpty, marketplaceURL: SiteRoute.partnerMarketplace.path
            ))
        }
    }

    static func describe(_ item: ActivityQueries.Item, program: String?) -> String {
        let money = item.currency.flatMap(Currency.init(code:)).map { Money(amount: item.amount, currency: $0).formatted } ?? ""
        let place = program.map { " · \($0)" } ?? ""
        switch item.kind {
        case .clicks: return "\(Money.grouped(item.amount)) unique click\(item.amount == 1 ? "" : "s")\(place)"
        case .signup: return "New signup\(item.detail.isEmpty ? "" : ": \(item.detail)")\(place)"
        case .payment: return "Payment of \(money)\(place)"
        case .reward: return "Reward of \(money) (\(item.detail))\(place)"
        case .withdrawal: return "Withdrawal of \(money) (\(item.detail))"
        }
    }
}
