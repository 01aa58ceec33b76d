import Foundation
import Hummingbird

/// Every page of the site. Routes are registered from `pattern` and links are
/// built from `path`, so the two can never disagree.
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
    case partnerFAQs
    case partnerSupport
    case partnerProgram(id: String)
    case partnerReportingRewards
    /// `kind`: "overview" or "rewards".
    case partnerReportingExport(kind: String)
    case partnerPayoutMethod
    case partnerWithdraw
    case partnerProgramPerformance(id: String)
    case partnerProgramLinks(id: String)
    case partnerProgramLink(id: String, link: String)
    case partnerProgramLinkDelete(id: String, link: String)
    case partnerProgramReferrals(id: String)
    case partnerProgramLeads(id: String)
    case partnerProgramDeals(id: String)

    case vendorHome
    case vendorPartners
    case vendorProgram(slug: String)

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
        case .partnerFAQs: "/partner/faqs"
        case .partnerSupport: "/partner/support"
        case .partnerProgram(let id): "/partner/programs/\(id)"
        case .partnerReportingRewards: "/partner/reporting/rewards"
        case .partnerReportingExport(let kind): "/partner/reporting/export/\(kind)"
        case .partnerPayoutMethod: "/partner/rewards/payout-method"
        case .partnerWithdraw: "/partner/rewards/withdraw"
        case .partnerProgramPerformance(let id): "/partner/programs/\(id)/performance"
        case .partnerProgramLinks(let id): "/partner/programs/\(id)/links"
        case .partnerProgramLink(let id, let link): "/partner/programs/\(id)/links/\(link)"
        case .partnerProgramLinkDelete(let id, let link): "/partner/programs/\(id)/links/\(link)/delete"
        case .partnerProgramReferrals(let id): "/partner/programs/\(id)/referrals"
        case .partnerProgramLeads(let id): "/partner/programs/\(id)/leads"
        case .partnerProgramDeals(let id): "/partner/programs/\(id)/deals"
        case .vendorHome: "/vendor"
        case .vendorPartners: "/vendor/partners"
        case .vendorProgram(let slug): "/vendor/programs/\(slug)"
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

    /// The same for routes with two parameters.
    public static func pattern(_ make: (String, String) -> SiteRoute, _ first: String, _ second: String) -> RouterPath {
        RouterPath(make(":\(first)", ":\(second)").path)
    }
}
