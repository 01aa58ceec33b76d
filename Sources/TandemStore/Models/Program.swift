import FluentKit
import Foundation
import TandemDomain

/// A vendor's partner program: its currency, tracking windows, payout rules and switches.
public final class Program: Model, @unchecked Sendable {
    public static let schema = "programs"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "company_id") public var company: Company
    @Field(key: "name") public var name: String
    /// Unique across the installation: it appears in URLs and the marketplace.
    @Field(key: "slug") public var slug: String
    @Field(key: "description") public var description: String
    @Field(key: "category") public var category: String
    @Field(key: "currency") public var currencyCode: String
    @Field(key: "default_destination") public var defaultDestination: String
    /// One host per line; kept as text so raw SQL reads it the same on SQLite and PostgreSQL.
    @Field(key: "allowed_domains") public var allowedDomainsText: String
    @Field(key: "cookie_window_days") public var cookieWindowDays: Int
    @Field(key: "hold_days") public var holdDays: Int
    @Field(key: "min_withdrawal") public var minWithdrawal: Int64
    @Field(key: "marketplace") public var marketplace: Bool
    @Field(key: "auto_approve") public var autoApprove: Bool
    /// A coupon code wins over a click when both name a partner (by default the click wins).
    @Field(key: "coupon_wins") public var couponWins: Bool
    @Field(key: "feature_links") public var featureLinks: Bool
    @Field(key: "feature_custom_links") public var featureCustomLinks: Bool
    @Field(key: "feature_leads") public var featureLeads: Bool
    @Field(key: "feature_deals") public var featureDeals: Bool
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public var currency: Currency { Currency(code: currencyCode) ?? .usd }

    public var allowedDomains: [String] {
        get { allowedDomainsText.split(separator: "\n").map(String.init) }
        set { allowedDomainsText = newValue.joined(separator: "\n") }
    }

    public var features: ProgramFeatures {
        get { ProgramFeatures(links: featureLinks, customLinks: featureCustomLinks, leads: featureLeads, deals: featureDeals) }
        set {
            featureLinks = newValue.links
            featureCustomLinks = newValue.customLinks
            featureLeads = newValue.leads
            featureDeals = newValue.deals
        }
    }

    public init(
        companyID: UUID, name: String, slug: String, description: String, category: String, currency: Currency,
        defaultDestination: String, allowedDomains: [String], cookieWindowDays: Int = 90, holdDays: Int = 30,
        minWithdrawal: Int64, marketplace: Bool, autoApprove: Bool, features: ProgramFeatures, createdAt: Date
    ) {
        self.$company.id = companyID
        self.name = name
        self.slug = slug
        self.description = description
        self.category = category
        self.currencyCode = currency.code
        self.defaultDestination = defaultDestination
        self.allowedDomainsText = allowedDomains.joined(separator: "\n")
        self.cookieWindowDays = cookieWindowDays
        self.holdDays = holdDays
        self.minWithdrawal = minWithdrawal
        self.marketplace = marketplace
        self.autoApprove = autoApprove
        self.couponWins = false
        self.createdAt = createdAt
        self.features = features
    }
}

/// Partners of a program are in groups; each group has its own rewards, resources and tabs.
public final class ProgramGroup: Model, @unchecked Sendable {
    public static let schema = "program_groups"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "program_id") public var program: Program
    @Field(key: "name") public var name: String
    @Field(key: "is_default") public var isDefault: Bool
    @Field(key: "created_at") public var createdAt: Date
    /// Set when the vendor archives the group: it takes no partners and leaves the lists.
    @OptionalField(key: "archived_at") public var archivedAt: Date?

    public init() {}

    public init(programID: UUID, name: String, isDefault: Bool, createdAt: Date) {
        self.$program.id = programID
        self.name = name
        self.isDefault = isDefault
        self.createdAt = createdAt
    }
}
