import FluentKit
import Foundation
import TandemDomain
import TandemOperations
import TandemStore
import TandemWeb

/// The demo installation: a few vendors with programs in different categories,
/// groups, and one partner account in several of them. Seeding twice changes nothing.
public enum DemoData {
    public static let partnerEmail = "partner@example.com"
    public static let vendorEmail = "vendor@example.com"
    public static let password = "tandem-demo"

    struct ProgramSeed {
        let name: String
        let category: String
        let currency: Currency
        let description: String
        let domain: String
        let marketplace: Bool
        let autoApprove: Bool
        let features: ProgramFeatures
        /// The demo partner's status here, or nil if not joined.
        let partnerStatus: PartnershipStatus?

        /// As the console's form or the API would send them: the demo's programs are checked the same way.
        var settings: ProgramSettings.Changes {
            var changes = ProgramSettings.Changes()
            changes.name = name
            changes.slug = Slug.make(from: name)
            changes.description = description
            changes.category = category
            changes.currency = currency.code
            changes.defaultDestination = "https://\(domain)/"
            changes.allowedDomains = [domain]
            changes.minWithdrawal = 5000
            changes.marketplace = marketplace
            changes.autoApprove = autoApprove
            changes.featureLinks = features.links
            changes.featureCustomLinks = features.customLinks
            changes.featureLeads = features.leads
            changes.featureDeals = features.deals
            return changes
        }

        /// The rules the descriptions promise.
        func rules(vipGroup: UUID) -> [RuleSeed] {
            switch category {
            // A deal rule only where deals are on: elsewhere it could never pay, and RewardRules refuses it.
            case "Analytics": [RuleSeed(trigger: .transaction, amount: .percent(basisPoints: 2000), months: 12, group: nil)]
                + (features.deals ? [RuleSeed(trigger: .dealWon, amount: .flat(50_000), months: nil, group: nil)] : [])
                + [RuleSeed(trigger: .transaction, amount: .percent(basisPoints: 500), months: 12, group: vipGroup)]
            case "Customer Support": [RuleSeed(trigger: .transaction, amount: .flat(4000), months: 0, group: nil)]
            case "Education": [RuleSeed(trigger: .transaction, amount: .percent(basisPoints: 3000), months: 0, group: nil)]
            default: [RuleSeed(trigger: .signup, amount: .flat(1000), months: nil, group: nil),
                      RuleSeed(trigger: .transaction, amount: .flat(10_000), months: 0, group: nil)]
            }
        }
    }

    struct RuleSeed {
        let trigger: RewardTrigger
        let amount: RewardAmount
        let months: Int?
        let group: UUID?

        /// As the console's form or the API would send it: the demo's rules are checked the same way.
        var input: RewardRules.Input {
            var input = RewardRules.Input()
            input.trigger = trigger.rawValue
            switch amount {
            case .flat(let minor):
                input.kind = "flat"
                input.amount = minor
            case .percent(let basisPoints):
                input.kind = "percent"
                input.percent = basisPoints % 100 == 0 ? String(basisPoints / 100) : String(format: "%.2f", Double(basisPoints) / 100)
            }
            input.durationMonths = months
            input.group = group?.uuidString
            return input
        }
    }

    struct VendorSeed {
        let company: String
        let admin: String
        let email: String
        let programs: [ProgramSeed]
    }

    static let vendors: [VendorSeed] = [
        VendorSeed(company: "Acme Analytics", admin: "Avery Stone", email: vendorEmail, programs: [
            ProgramSeed(name: "Acme Analytics Partners", category: "Analytics", currency: .usd,
                        description: "Product analytics for SaaS teams. Earn 20% of every payment for 12 months.",
                        domain: "acme-analytics.example", marketplace: true, autoApprove: true,
                        features: ProgramFeatures(links: true, customLinks: true, leads: true, deals: false), partnerStatus: .active),
            ProgramSeed(name: "Acme Enterprise Referrals", category: "Analytics", currency: .usd,
                        description: "Introduce enterprise buyers and earn a flat reward for every won deal.",
                        domain: "acme-analytics.example", marketplace: false, autoApprove: false,
                        features: ProgramFeatures(links: false, customLinks: false, leads: true, deals: true), partnerStatus: .active),
        ]),
        VendorSeed(company: "Brightdesk", admin: "Bo Lindqvist", email: "vendor@brightdesk.example", programs: [
            ProgramSeed(name: "Brightdesk Affiliates", category: "Customer Support", currency: .eur,
                        description: "Helpdesk software loved by small teams. €40 per paying customer.",
                        domain: "brightdesk.example", marketplace: true, autoApprove: true,
                        features: ProgramFeatures(), partnerStatus: .active),
        ]),
        VendorSeed(company: "Lumen Courses", admin: "Lena Okafor", email: "vendor@lumen.example", programs: [
            ProgramSeed(name: "Lumen Creators", category: "Education", currency: .gbp,
                        description: "Online courses for designers. 30% of the first purchase.",
                        domain: "lumen-courses.example", marketplace: true, autoApprove: false,
                        features: ProgramFeatures(), partnerStatus: .applied),
        ]),
        VendorSeed(company: "Northwind Hosting", admin: "Nia Patel", email: "vendor@northwind.example", programs: [
            ProgramSeed(name: "Northwind Cloud Partners", category: "Hosting", currency: .usd,
                        description: "Managed cloud hosting. $100 for every customer who stays three months.",
                        domain: "northwind.example", marketplace: true, autoApprove: true,
                        features: ProgramFeatures(links: true, customLinks: false, leads: false, deals: false), partnerStatus: nil),
        ]),
    ]

    /// What a first seeding made that exists nowhere else: the demo vendor's API key.
    public struct Seeded: Sendable {
        public let vendorKey: String
    }

    /// Returns nil when the demo data was already there.
    @discardableResult
    public static func seed(store: Store, hasher: PasswordHasher, now: Date = Date()) async throws -> Seeded? {
        if try await AccountQueries.user(email: partnerEmail, on: store.db) != nil { return nil }
        var vendorKey = ""
        let hash = try await hasher.hash(password)
        let yearAgo = now.addingTimeInterval(-365 * 24 * 3600)
        try await store.db.transaction { db in
            let (_, account) = try await AccountQueries.createPartner(
                name: "Dana Reyes", email: partnerEmail, passwordHash: hash, accountName: "Reyes Media", now: yearAgo, on: db
            )
            for vendor in vendors {
                let (_, company) = try await AccountQueries.createVendor(
                    company: vendor.company, name: vendor.admin, email: vendor.email, passwordHash: hash, now: yearAgo, on: db
                )
                for seed in vendor.programs {
                    let (program, created) = try await ProgramSettings.create(companyID: try company.requireID(), seed.settings, now: yearAgo, on: db)
                    let programID = try program.requireID()
                    let standard = try await ProgramSettings.updateGroup(
                        programID: programID, groupID: try created.requireID(), name: "Standard", makeDefault: false, on: db)
                    let vip = try await ProgramSettings.createGroup(programID: programID, name: "VIP", isDefault: false, now: yearAgo, on: db)
                    for rule in seed.rules(vipGroup: try vip.requireID()) {
                        _ = try await RewardRules.create(program: program, rule.input, now: yearAgo, on: db)
                    }
                    if let status = seed.partnerStatus {
                        _ = try await PartnershipQueries.create(
                            program: program, accountID: try account.requireID(), groupID: try standard.requireID(),
                            status: status, now: yearAgo, on: db
                        )
                    }
                }
            }
        }
        try await DemoHistory.seed(store: store, now: now)
        if let company = try await AccountQueries.company(slug: Slug.make(from: vendors[0].company), on: store.db) {
            vendorKey = try await AccountKeys.create(for: .company(try company.requireID()), label: "Demo key", now: now, on: store.db)
            try await conversation(companyID: try company.requireID(), vendorName: vendors[0].admin, store: store, now: now)
            if let program = try await ProgramReads.ofCompany(try company.requireID(), byName: true, on: store.db).first {
                _ = try await CustomTabs.create(
                    program: program, groupIDs: [], title: "Brand guide", kind: "page", url: nil,
                    body: "## Using our name\n\nWrite **Acme Analytics** in full the first time.\n\n- Logos: ask us in Messages\n- Never bid on our brand in search ads\n\n[Press kit](https://example.com/press)",
                    now: now, on: store.db
                )
                _ = try await Resources.create(
                    program: program, groupIDs: [], title: "Press kit", description: "Logos, screenshots and our boilerplate.",
                    url: "https://example.com/press", file: nil, now: now, on: store.db
                )
                _ = try await Resources.create(
                    program: program, groupIDs: [], title: "Product one-pager", description: "A page to send to prospects.", url: nil,
                    file: Resources.Upload(fileName: "acme-one-pager.txt", contentType: "text/plain",
                                           data: Data("Acme Analytics: product analytics that respects privacy.\n".utf8)),
                    now: now, on: store.db
                )
                try await campaigns(program: program, store: store, now: now)
            }
        }
        return Seeded(vendorKey: vendorKey)
    }

    /// A welcome campaign that is on, and a broadcast that was sent: the background job mails
    /// the broadcast to the demo partner within a minute, so its counts and /dev/mail show it.
    static func campaigns(program: Program, store: Store, now: Date) async throws {
        let welcome = try await Campaigns.save(Campaigns.Draft(
            name: "Welcome", subject: "Welcome to \(program.name)",
            body: "## Welcome aboard\n\nYour tracked link is ready in your dashboard. Three things that work well:\n\n- a comparison post\n- a short video walkthrough\n- a line in your newsletter\n\nQuestions? Answer in Messages.",
            trigger: "partner_joined", days: nil, groupIDs: []
        ), program: program, now: now, on: store.db)
        try await Campaigns.change(welcome, to: "activate", now: now, on: store.db)
        let news = try await Campaigns.save(Campaigns.Draft(
            name: "December news", subject: "New in \(program.name): yearly plans",
            body: "Yearly plans are live: your reward applies to the whole first payment.", trigger: "broadcast", days: nil, groupIDs: []
        ), program: program, now: now, on: store.db)
        try await Campaigns.change(news, to: "send", now: now, on: store.db)
    }

    /// A short thread between the demo partner and the first vendor, through the same
    /// workflow as the pages (the vendor's reply is left unread, so the partner's top bar counts it).
    static func conversation(companyID: UUID, vendorName: String, store: Store, now: Date) async throws {
        guard let partner = try await AccountQueries.user(email: partnerEmail, on: store.db),
              let vendor = try await AccountQueries.user(email: vendorEmail, on: store.db),
              let account = try await AccountQueries.memberships(userID: try partner.requireID(), on: store.db).0.first?.$account.id,
              // The first program by name, as the demo's Brand guide: two partnerships made in the
              // same instant would otherwise be picked by id, at random, from run to run.
              let program = try await ProgramReads.ofCompany(companyID, byName: true, on: store.db).first,
              let partnership = try await PartnershipReads.ofCompany(companyID, programSlug: program.slug, status: .active, on: store.db)
                .first(where: { $0.$partnerAccount.id == account }) else { return }
        let links = Messages.Links(partnerThread: "/partner/messages", vendorThread: "/vendor/messages")
        let lines: [(Message.Side, String)] = [
            (.partner, "Hi! I'm writing a comparison post next month. Could I get a longer trial link for my readers?"),
            (.vendor, "Happy to help: your links already carry a 60-day window. Send me the draft and I'll add a quote from our team."),
        ]
        for (index, (side, text)) in lines.enumerated() {
            let sender = side == .partner ? partner : vendor
            _ = try await Messages.post(
                partnership: partnership, program: partnership.program, from: side, senderUserID: try sender.requireID(),
                senderName: side == .partner ? sender.name : vendorName, body: text, links: links,
                now: now.addingTimeInterval(Double(index - lines.count) * 3600), on: store.db
            )
        }
        try await MessageReads.markRead(partnershipID: try partnership.requireID(), sentBy: .partner, now: now, on: store.sql)
    }
}
