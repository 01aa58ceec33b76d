import Foundation
import Hummingbird
import TandemDomain
import TandemStore

/// One program, seen by a partner: the left-hand tabs and the Summary.
struct ProgramSummaryPage: WebPages {
    let env: WebEnvironment

    struct Model {
        let shell: Shell
        let name: String
        let company: String
        let description: String
        let category: String
        let currency: String
        let cookieWindowDays: Int
        let holdDays: Int
        let partnerKey: String
        let defaultLink: String?
        /// The coupon codes the vendor gave this partnership.
        let couponCodes: [String]
        let hasCouponCodes: Bool
        let stats: [Stat]
        let offers: [String]
        let hasOffers: Bool
        let activity: [HomePage.Activity]
        let hasActivity: Bool
        let tabs: [ProgramTab.Link]
    }

    struct Stat {
        let label: String
        let value: String
        let hint: String
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.pattern(SiteRoute.partnerProgram, "program")) { request, context in
            let scope = try await PartnerScope.load(context, store: store)
            let membership = try scope.membership(id: context.parameters.id("program"))
            let program = membership.program
            let joined = request.uri.queryParameters["joined"] == "1"
            let partnershipID = try membership.partnership.requireID()
            let link = try await LinkReads.defaultLink(partnershipID: partnershipID, on: store.db)
            let codes = try await CouponCodeReads.of(partnershipIDs: [partnershipID], on: store.db)[partnershipID] ?? []
            let totals = try await PartnerStatsQueries.totals(partnershipIDs: [partnershipID], on: store.sql)[partnershipID] ?? PartnerStatsQueries.Totals()
            let currency = program.currency
            let offers = try await RewardOfferQueries.offers(
                programIDs: [program.requireID()], groupIDs: [program.requireID(): membership.partnership.$group.id], on: store.db
            )[program.requireID()] ?? []
            let activity = try await ActivityQueries.recent(accountID: nil, partnershipIDs: [partnershipID], limit: 10, on: store.db).map {
                HomePage.Activity(when: DateText.day($0.at), what: HomePage.describe($0, program: nil))
            }
            return try renderer.html("partner_program", Model(
                shell: scope.shell(program.name, tab: .none, context: context, renderer: renderer,
                                   notice: joined ? .init(kind: "success", message: "Welcome to \(program.name)!") : nil),
                name: program.name, company: membership.companyName, description: program.description,
                category: program.category, currency: program.currencyCode, cookieWindowDays: program.cookieWindowDays,
                holdDays: program.holdDays, partnerKey: membership.partnership.partnerKey,
                defaultLink: program.featureLinks ? link.map { config.baseURL + "/r/" + $0.key } : nil,
                couponCodes: codes.map(\.code), hasCouponCodes: !codes.isEmpty,
                // Without links there are no clicks to count: the stat is left out, not shown as 0.
                stats: (program.featureLinks ? [Stat(label: "Clicks", value: Money.grouped(totals.clicks), hint: "Unique visitors, one per day")] : []) + [
                    Stat(label: "Referred", value: Money.grouped(totals.referred), hint: "Customers who signed up"),
                    Stat(label: "Sold", value: Money(amount: totals.sold, currency: currency).formatted, hint: "Their payments, less refunds"),
                    Stat(label: "Earned", value: Money(amount: totals.earned, currency: currency).formatted, hint: "Rewards paid out to you"),
                    Stat(label: "Pending", value: Money(amount: totals.pending, currency: currency).formatted, hint: "Rewards not yet paid"),
                ],
                offers: offers, hasOffers: !offers.isEmpty, activity: activity, hasActivity: !activity.isEmpty,
                tabs: ProgramTab.links(for: membership, active: .summary)
            ))
        }
    }
}
