import Foundation
import Hummingbird

/// Every page of the site. Routes are registered from `pattern` and links are
/// built from `path`, so the two can never disagree. Ids are typed: a handler reads them
/// with `parameters.id(_:)`, so a malformed id is a 404 before anything is queried.
public enum SiteRoute: Hashable, Sendable {
    case root
    case login
    case logout
    case signup
    case forgotPassword
    case resetPassword(token: String)

    case partnerHome
    case partnerRewards
    case partnerReporting
    case partnerMarketplace
    case partnerJoin(program: String)
    case partnerSettings
    case partnerPassword
    case partnerEmail
    case partnerProgramEmails
    /// The link mailed to a new address: it becomes the login once opened.
    case confirmEmail(token: String)
    case partnerSessionEnd(id: UUID)
    case partnerTeam
    case partnerTeamMember(id: UUID)
    case partnerTeamMemberRemove(id: UUID)
    case partnerAPIKeys
    case partnerAPIKeyRevoke(id: UUID)
    case partnerFAQs
    case partnerSupport
    case partnerProgram(id: UUID)
    case partnerReportingRewards
    /// `kind`: "overview" or "rewards".
    case partnerReportingExport(kind: String)
    case partnerPayoutMethod
    case partnerWithdraw
    case partnerProgramPerformance(id: UUID)
    case partnerProgramLinks(id: UUID)
    case partnerProgramLink(id: UUID, link: UUID)
    case partnerProgramLinkDelete(id: UUID, link: UUID)
    case partnerProgramReferrals(id: UUID)
    case partnerProgramLeads(id: UUID)
    case partnerProgramDeals(id: UUID)
    case partnerProgramMessages(id: UUID)
    /// A custom tab the vendor wrote as a Markdown page.
    case partnerProgramTab(id: UUID, tab: UUID)
    case partnerProgramResources(id: UUID)
    case partnerResourceDownload(id: UUID, resource: UUID)
    /// Every program's thread, unread first: where the top bar's Messages goes.
    case partnerMessages

    case vendorHome
    case vendorPartners
    case vendorPartnersInvite
    case vendorPartner(id: UUID)
    case vendorPartnerReview(id: UUID)
    case vendorPartnerCoupons(id: UUID)
    case vendorPartnerCouponRemove(id: UUID, code: UUID)
    case vendorProgramNew
    case vendorProgramSettings(slug: String)
    case vendorProgramGroups(slug: String)
    case vendorProgramGroup(slug: String, group: UUID)
    case vendorProgramGroupArchive(slug: String, group: UUID)
    case vendorProgramRules(slug: String)
    case vendorProgramRule(slug: String, rule: UUID)
    case vendorProgramRuleArchive(slug: String, rule: UUID)
    case vendorRewards
    case vendorRewardsReview
    case vendorRewardsManual
    case vendorPayouts
    case vendorWithdrawalPaid(id: UUID)
    case vendorWithdrawalRetry(id: UUID)
    case vendorCompanySettings
    case vendorTeam
    case vendorTeamMember(id: UUID)
    case vendorTeamMemberRemove(id: UUID)
    case vendorAPIKeys
    /// Webhooks (vendor) and postbacks (partner): one set of pages on either side.
    case webhooks(WebhookSide)
    case webhook(WebhookSide, id: UUID)
    case webhookAction(WebhookSide, id: UUID, action: WebhookPageAction)
    case webhookRedeliver(WebhookSide, id: UUID, delivery: UUID)
    case vendorAPIKeyRevoke(id: UUID)
    case vendorCustomers
    case vendorLeads
    case vendorLead(id: UUID)
    case vendorDeals
    case vendorDeal(id: UUID)
    case vendorReporting
    case vendorMessages
    case vendorProgramTabs(slug: String)
    case vendorProgramTabDelete(slug: String, tab: UUID)
    case vendorProgramResources(slug: String)
    case vendorProgramCampaigns(slug: String)
    case vendorCampaign(slug: String, campaign: UUID)
    case vendorCampaignStatus(slug: String, campaign: UUID)
    case vendorCampaignDelete(slug: String, campaign: UUID)
    case unsubscribe(token: String)
    case vendorResourceDelete(slug: String, resource: UUID)
    case vendorResourceDownload(slug: String, resource: UUID)
    case vendorThread(partnership: UUID)
    case vendorReportingExport

    case devMail
    case healthz
    case metrics
    case stylesheet
    case script

    public var path: String {
        switch self {
        case .root: "/"
        case .login: "/login"
        case .logout: "/logout"
        case .signup: "/signup"
        case .forgotPassword: "/password/forgot"
        case .resetPassword(let token): "/password/reset/\(token)"
        case .partnerHome: "/partner"
        case .partnerRewards: "/partner/rewards"
        case .partnerReporting: "/partner/reporting"
        case .partnerMarketplace: "/partner/marketplace"
        case .partnerJoin(let program): "/partner/marketplace/\(program)/join"
        case .partnerSettings: "/partner/settings"
        case .partnerPassword: "/partner/settings/password"
        case .partnerEmail: "/partner/settings/email"
        case .partnerProgramEmails: "/partner/settings/program-emails"
        case .confirmEmail(let token): "/email/confirm/\(token)"
        case .partnerSessionEnd(let id): "/partner/settings/sessions/\(id.pathText)/end"
        case .partnerTeam: "/partner/settings/team"
        case .partnerTeamMember(let id): "/partner/settings/team/\(id.pathText)"
        case .partnerTeamMemberRemove(let id): "/partner/settings/team/\(id.pathText)/remove"
        case .partnerAPIKeys: "/partner/settings/api-keys"
        case .partnerAPIKeyRevoke(let id): "/partner/settings/api-keys/\(id.pathText)/revoke"
        case .partnerFAQs: "/partner/faqs"
        case .partnerSupport: "/partner/support"
        case .partnerProgram(let id): "/partner/programs/\(id.pathText)"
        case .partnerReportingRewards: "/partner/reporting/rewards"
        case .partnerReportingExport(let kind): "/partner/reporting/export/\(kind)"
        case .partnerPayoutMethod: "/partner/rewards/payout-method"
        case .partnerWithdraw: "/partner/rewards/withdraw"
        case .partnerProgramPerformance(let id): "/partner/programs/\(id.pathText)/performance"
        case .partnerProgramLinks(let id): "/partner/programs/\(id.pathText)/links"
        case .partnerProgramLink(let id, let link): "/partner/programs/\(id.pathText)/links/\(link.pathText)"
        case .partnerProgramLinkDelete(let id, let link): "/partner/programs/\(id.pathText)/links/\(link.pathText)/delete"
        case .partnerProgramReferrals(let id): "/partner/programs/\(id.pathText)/referrals"
        case .partnerProgramLeads(let id): "/partner/programs/\(id.pathText)/leads"
        case .partnerProgramDeals(let id): "/partner/programs/\(id.pathText)/deals"
        case .partnerProgramMessages(let id): "/partner/programs/\(id.pathText)/messages"
        case .partnerProgramTab(let id, let tab): "/partner/programs/\(id.pathText)/tabs/\(tab.pathText)"
        case .partnerProgramResources(let id): "/partner/programs/\(id.pathText)/resources"
        case .partnerResourceDownload(let id, let resource): "/partner/programs/\(id.pathText)/resources/\(resource.pathText)/download"
        case .partnerMessages: "/partner/messages"
        case .vendorHome: "/vendor"
        case .vendorPartners: "/vendor/partners"
        case .vendorPartnersInvite: "/vendor/partners/invite"
        case .vendorPartner(let id): "/vendor/partners/\(id.pathText)"
        case .vendorPartnerCoupons(let id): "/vendor/partners/\(id.pathText)/coupon-codes"
        case .vendorPartnerCouponRemove(let id, let code): "/vendor/partners/\(id.pathText)/coupon-codes/\(code.pathText)/remove"
        case .vendorPartnerReview(let id): "/vendor/partners/\(id.pathText)/review"
        case .vendorProgramNew: "/vendor/programs/new"
        case .vendorProgramSettings(let slug): "/vendor/programs/\(slug)/settings"
        case .vendorProgramGroups(let slug): "/vendor/programs/\(slug)/groups"
        case .vendorProgramGroup(let slug, let group): "/vendor/programs/\(slug)/groups/\(group.pathText)"
        case .vendorProgramGroupArchive(let slug, let group): "/vendor/programs/\(slug)/groups/\(group.pathText)/archive"
        case .vendorProgramRules(let slug): "/vendor/programs/\(slug)/rewards"
        case .vendorProgramRule(let slug, let rule): "/vendor/programs/\(slug)/rewards/\(rule.pathText)"
        case .vendorProgramRuleArchive(let slug, let rule): "/vendor/programs/\(slug)/rewards/\(rule.pathText)/archive"
        case .vendorRewards: "/vendor/rewards"
        case .vendorRewardsReview: "/vendor/rewards/review"
        case .vendorRewardsManual: "/vendor/rewards/manual"
        case .vendorPayouts: "/vendor/payouts"
        case .vendorWithdrawalPaid(let id): "/vendor/payouts/\(id.pathText)/paid"
        case .vendorWithdrawalRetry(let id): "/vendor/payouts/\(id.pathText)/retry"
        case .vendorCompanySettings: "/vendor/settings/company"
        case .vendorTeam: "/vendor/settings/team"
        case .vendorTeamMember(let id): "/vendor/settings/team/\(id.pathText)"
        case .vendorTeamMemberRemove(let id): "/vendor/settings/team/\(id.pathText)/remove"
        case .vendorAPIKeys: "/vendor/settings/api-keys"
        case .webhooks(let side): side.basePath
        case .webhook(let side, let id): "\(side.basePath)/\(id.pathText)"
        case .webhookAction(let side, let id, let action): "\(side.basePath)/\(id.pathText)/\(action.rawValue)"
        case .webhookRedeliver(let side, let id, let delivery): "\(side.basePath)/\(id.pathText)/deliveries/\(delivery.pathText)/redeliver"
        case .vendorAPIKeyRevoke(let id): "/vendor/settings/api-keys/\(id.pathText)/revoke"
        case .vendorCustomers: "/vendor/customers"
        case .vendorLeads: "/vendor/leads"
        case .vendorLead(let id): "/vendor/leads/\(id.pathText)"
        case .vendorDeals: "/vendor/deals"
        case .vendorDeal(let id): "/vendor/deals/\(id.pathText)"
        case .vendorReporting: "/vendor/reporting"
        case .vendorMessages: "/vendor/messages"
        case .vendorProgramTabs(let slug): "/vendor/programs/\(slug)/tabs"
        case .vendorProgramTabDelete(let slug, let tab): "/vendor/programs/\(slug)/tabs/\(tab.pathText)/delete"
        case .vendorProgramResources(let slug): "/vendor/programs/\(slug)/resources"
        case .vendorProgramCampaigns(let slug): "/vendor/programs/\(slug)/campaigns"
        case .vendorCampaign(let slug, let campaign): "/vendor/programs/\(slug)/campaigns/\(campaign.pathText)"
        case .vendorCampaignStatus(let slug, let campaign): "/vendor/programs/\(slug)/campaigns/\(campaign.pathText)/status"
        case .vendorCampaignDelete(let slug, let campaign): "/vendor/programs/\(slug)/campaigns/\(campaign.pathText)/delete"
        case .unsubscribe(let token): "/unsubscribe/\(token)"
        case .vendorResourceDelete(let slug, let resource): "/vendor/programs/\(slug)/resources/\(resource.pathText)/delete"
        case .vendorResourceDownload(let slug, let resource): "/vendor/programs/\(slug)/resources/\(resource.pathText)/download"
        case .vendorThread(let id): "/vendor/messages/\(id.pathText)"
        case .vendorReportingExport: "/vendor/reporting/export"
        case .devMail: "/dev/mail"
        case .healthz: "/healthz"
        case .metrics: "/metrics"
        case .stylesheet: "/assets/styles.css"
        case .script: "/assets/app.js"
        }
    }

    public var routerPath: RouterPath { RouterPath(path) }

    /// The router pattern of a route with parameters: its path built from `:name` placeholders.
    public static func pattern(_ make: (String) -> SiteRoute, _ parameter: String) -> RouterPath {
        RouterPath(make(":\(parameter)").path)
    }

    /// For routes with an id: the path is built with stand-in ids, then each becomes its placeholder.
    public static func pattern(_ make: (UUID) -> SiteRoute, _ parameter: String) -> RouterPath {
        RouterPath(make(standIn[0]).path.replacingOccurrences(of: standIn[0].pathText, with: ":\(parameter)"))
    }

    public static func pattern(_ make: (UUID, UUID) -> SiteRoute, _ first: String, _ second: String) -> RouterPath {
        RouterPath(make(standIn[0], standIn[1]).path
            .replacingOccurrences(of: standIn[0].pathText, with: ":\(first)")
            .replacingOccurrences(of: standIn[1].pathText, with: ":\(second)"))
    }

    /// A slug and an id: `/vendor/programs/:slug/groups/:group`.
    public static func pattern(_ make: (String, UUID) -> SiteRoute, _ first: String, _ second: String) -> RouterPath {
        RouterPath(make(":\(first)", standIn[0]).path.replacingOccurrences(of: standIn[0].pathText, with: ":\(second)"))
    }

    private static let standIn = [UUID(uuidString: "00000000-0000-0000-0000-00000000ab01")!, UUID(uuidString: "00000000-0000-0000-0000-00000000ab02")!]
}

extension SiteRoute {
    /// `name=value&…` with each value percent-encoded; empty values are left out.
    public static func query(_ items: [(String, String)]) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        return items.filter { !$0.1.isEmpty }
            .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
    }
}

extension UUID {
    /// How an id is written in a path: lower case.
    public var pathText: String { uuidString.lowercased() }
}

extension Parameters {
    /// A path id; a malformed one is not found, before any query runs.
    func id(_ name: String) throws -> UUID {
        guard let raw = get(name), let id = UUID(uuidString: raw) else { throw HTTPError(.notFound) }
        return id
    }
}

/// Which side's endpoints a webhook page shows: the company's webhooks or the partner's postbacks.
public enum WebhookSide: String, Hashable, Sendable, CaseIterable {
    case vendor, partner

    var basePath: String { self == .vendor ? "/vendor/settings/webhooks" : "/partner/settings/postbacks" }
}

/// The buttons of an endpoint's page, each a POST.
public enum WebhookPageAction: String, Hashable, Sendable, CaseIterable {
    case test, rotate = "rotate-secret", enable, delete
}
