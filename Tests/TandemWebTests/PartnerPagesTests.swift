import FluentKit
import Foundation
import TandemDomain
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemCLI
@testable import TandemWeb

@Suite struct PartnerPagesTests {
    static let pages: [(path: String, heading: String)] = [
        ("/partner", "Welcome"),
        ("/partner/rewards", "Rewards &amp; Withdrawals"),
        ("/partner/reporting", "Reporting"),
        ("/partner/marketplace", "Marketplace"),
        ("/partner/settings", "Settings"),
        ("/partner/faqs", "How does my referral link track people?"),
        ("/partner/support", "Technical support"),
    ]

    @Test func everyPageRendersInsideTheDashboardFrame() async throws {
        try await TestApp.run { browser, store, clock in
            try await TestApp.makePartner(store: store, clock: clock)
            try await browser.logIn("dana@example.com", "correct horse battery")
            for page in Self.pages {
                let answer = try await browser.get(page.path)
                #expect(answer.status == .ok, "\(page.path)")
                #expect(answer.contains(page.heading), "\(page.path)")
                for item in ["Home", "Rewards &amp; Withdrawals", "Reporting", "Marketplace", "Your Programs", "Settings", "FAQs", "Technical support", "Logout", "Dana Reyes"] {
                    #expect(answer.contains(item), "\(page.path) lacks \(item)")
                }
            }
        }
    }

    @Test func aNewPartnerIsSentToTheMarketplace() async throws {
        try await TestApp.run { browser, store, clock in
            try await TestApp.makePartner(store: store, clock: clock)
            try await browser.logIn("dana@example.com", "correct horse battery")
            let home = try await browser.get("/partner")
            #expect(home.contains("You have not joined a program yet"))
            #expect(home.contains(#"href="/partner/marketplace""#))
        }
    }

    @Test func joiningFromTheMarketplace() async throws {
        try await TestApp.run { browser, store, clock in
            try await DemoData.seed(store: store, hasher: PasswordHasher(cost: 4), now: clock.now)
            try await TestApp.makePartner(store: store, clock: clock)
            try await browser.logIn("dana@example.com", "correct horse battery")

            let search = try await browser.get("/partner/marketplace?q=northwind")
            #expect(search.contains("Northwind Cloud Partners"))
            #expect(!search.contains("Brightdesk Affiliates"))
            let category = try await browser.get("/partner/marketplace?category=Education")
            #expect(category.contains("Lumen Creators"))
            #expect(!category.contains("Northwind Cloud Partners"))
            #expect(!category.contains("Acme Enterprise Referrals"), "unlisted programs are not in the marketplace")

            let joined = try await browser.post("/partner/marketplace/northwind-cloud-partners/join", [])
            #expect(joined.status == .seeOther)
            let programPage = try #require(joined.location)
            #expect(programPage.hasPrefix("/partner/programs/"))
            let summary = try await browser.get(programPage)
            #expect(summary.contains("Welcome to Northwind Cloud Partners!"))
            #expect(try await browser.get("/partner").contains("Northwind Cloud Partners"))

            let applied = try await browser.post("/partner/marketplace/lumen-creators/join", [])
            #expect(applied.status == .ok)
            #expect(applied.contains("Your application to Lumen Creators was sent."))
            #expect(applied.contains(#"<span class="badge badge--applied">Applied</span>"#), "an application is not green like a membership")
            #expect(applied.contains(#"<span class="badge badge--active">Active</span>"#))
            let account = try #require(try await PartnerAccount.query(on: store.db).filter(\.$name == "Dana Reyes").first())
            let statuses = try await Partnership.query(on: store.db).filter(\.$partnerAccount.$id == account.requireID()).all().map(\.status)
            #expect(statuses.sorted { $0.rawValue < $1.rawValue } == [.active, .applied])

            // Applying twice makes nothing new.
            try await browser.get("/partner/marketplace")
            try await browser.post("/partner/marketplace/lumen-creators/join", [])
            #expect(try await Partnership.query(on: store.db).filter(\.$partnerAccount.$id == account.requireID()).count() == 2)
        }
    }

    @Test func anotherPartnersProgramIsA404() async throws {
        try await TestApp.run { browser, store, clock in
            try await DemoData.seed(store: store, hasher: PasswordHasher(cost: 4), now: clock.now)
            let demoAccount = try #require(try await PartnerAccount.query(on: store.db).filter(\.$name == "Reyes Media").first())
            let theirs = try #require(try await Partnership.query(on: store.db).filter(\.$partnerAccount.$id == demoAccount.requireID()).filter(\.$status == .active).first())
            try await TestApp.makePartner(store: store, clock: clock)
            try await browser.logIn("dana@example.com", "correct horse battery")
            let answer = try await browser.get("/partner/programs/\(try theirs.requireID().uuidString.lowercased())")
            #expect(answer.status == .notFound)
            #expect(try await browser.get("/partner/programs/not-a-uuid").status == .notFound)
        }
    }

    @Test func whatPartnersTypeIsEscaped() async throws {
        try await TestApp.run { browser, store, clock in
            try await TestApp.makePartner(name: #"<script>alert("x")</script>"#, store: store, clock: clock)
            try await browser.logIn("dana@example.com", "correct horse battery")
            let home = try await browser.get("/partner")
            #expect(!home.contains("<script>alert"))
            #expect(home.contains("&lt;script&gt;"))
        }
    }

    @Test func changingTheProfileAndThePassword() async throws {
        try await TestApp.run { browser, store, clock in
            try await TestApp.makePartner(store: store, clock: clock)
            try await browser.logIn("dana@example.com", "correct horse battery")
            let empty = try await browser.submit("/partner/settings", [("name", "  ")])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.contains("Enter your name."))
            let saved = try await browser.submit("/partner/settings", [("name", "Dana Q. Reyes")])
            #expect(saved.location == "/partner/settings?saved=profile")
            #expect(try await browser.get("/partner/settings?saved=profile").contains("Your profile was saved."))

            let wrong = try await browser.submit("/partner/settings", to: "/partner/settings/password", [
                ("current_password", "not it"), ("new_password", "a brand new password"), ("new_password_confirmation", "a brand new password"),
            ])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.contains("That is not your current password."))
            let changed = try await browser.submit("/partner/settings", to: "/partner/settings/password", [
                ("current_password", "correct horse battery"), ("new_password", "a brand new password"), ("new_password_confirmation", "a brand new password"),
            ])
            #expect(changed.location == "/partner/settings?saved=password")
            let user = try #require(try await AccountQueries.user(email: "dana@example.com", on: store.db))
            #expect(user.name == "Dana Q. Reyes")
            #expect(try await PasswordHasher(cost: 4).verify("a brand new password", against: user.passwordHash))
        }
    }

    @Test func aSupportMessageReachesTheOperator() async throws {
        try await TestApp.run { browser, store, clock in
            try await TestApp.makePartner(store: store, clock: clock)
            try await browser.logIn("dana@example.com", "correct horse battery")
            let missing = try await browser.submit("/partner/support", [("subject", ""), ("message", "it broke")])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.contains("it broke"), "the message typed is kept")
            let sent = try await browser.submit("/partner/support", [("subject", "Links"), ("message", "My link <b>404s</b>")])
            #expect(sent.location == "/partner/support?sent=1")
            #expect(try await browser.get("/partner/support?sent=1").contains("Your message was sent."))
            let mail = try #require(try await OutboxEmail.query(on: store.db).first())
            #expect(mail.toAddress == "support@localhost")
            #expect(mail.subject == "[Support] Links")
            #expect(mail.textBody.contains("dana@example.com"))
        }
    }
}

@Suite struct VendorPagesTests {
    @Test func aVendorLandsOnTheirProgramsAndSeesTheirPartners() async throws {
        try await TestApp.run { browser, store, clock in
            try await DemoData.seed(store: store, hasher: PasswordHasher(cost: 4), now: clock.now)
            let login = try await browser.logIn(DemoData.vendorEmail, DemoData.password)
            #expect(login.location == "/vendor")
            let home = try await browser.get("/vendor")
            #expect(home.contains("Acme Analytics Partners"))
            #expect(!home.contains("Brightdesk Affiliates"), "another company's programs are not shown")
            let partners = try await browser.get("/vendor/partners")
            #expect(partners.contains("Reyes Media"))
            #expect(partners.contains("Acme Enterprise Referrals"))
            #expect(!partners.contains("Brightdesk"))
        }
    }

    @Test func aPartnerCannotOpenVendorPages() async throws {
        try await TestApp.run { browser, store, clock in
            try await TestApp.makePartner(store: store, clock: clock)
            try await browser.logIn("dana@example.com", "correct horse battery")
            #expect(try await browser.get("/vendor").status == .forbidden)
        }
    }
}

@Suite struct DemoDataTests {
    @Test func seedingTwiceChangesNothing() async throws {
        try await TestDatabase.withStore { store in
            let hasher = PasswordHasher(cost: 4)
            #expect(try await DemoData.seed(store: store, hasher: hasher)?.vendorKey.hasPrefix("tdm_sk_") == true)
            let counts = try await (User.query(on: store.db).count(), Program.query(on: store.db).count(), Partnership.query(on: store.db).count())
            #expect(counts.0 == 5)
            #expect(counts.1 == 5)
            #expect(counts.2 == 4)
            try await checkRollups(store)
            #expect(try await PartnershipDaily.totals(partnershipIDs: Partnership.query(on: store.db).all().compactMap(\.id), on: store.sql)
                .values.contains { $0.payingCustomers > 0 && $0.rewardsPaid > 0 }, "the demo's year shows on its pages")
            #expect(try await DemoData.seed(store: store, hasher: hasher) == nil)
            let again = try await (User.query(on: store.db).count(), Program.query(on: store.db).count(), Partnership.query(on: store.db).count())
            #expect(again == counts)
        }
    }

    /// `tandem seed --large` at a small size: made through the workflows, so its rollups equal
    /// its events, its paid rewards sit in paid withdrawals and nothing is paid twice.
    @Test func theLargeDatasetIsMadeThroughTheWorkflows() async throws {
        try await TestDatabase.withStore { store in
            let now = Date(timeIntervalSince1970: 1_795_003_200)
            let size = LargeDataset.Size(clicks: 1_000, customers: 60, transactions: 300)
            #expect(try await LargeDataset.seed(store: store, hasher: PasswordHasher(cost: 4), now: now, size: size))
            #expect(try await Customer.query(on: store.db).count() == 60)
            #expect(try await SaleTransaction.query(on: store.db).count() == 300)
            #expect(try await Reward.query(on: store.db).count() == 300, "one 20% reward per payment, made by the rule")
            try await checkRollups(store)
            let paid = try await Reward.query(on: store.db).filter(\.$status == .paid).all()
            #expect(!paid.isEmpty)
            #expect(paid.allSatisfy { $0.withdrawalID != nil }, "a paid reward was paid by a withdrawal")
            let withdrawals = try await Withdrawal.query(on: store.db).all()
            #expect(withdrawals.allSatisfy { $0.status == .paid })
            #expect(withdrawals.reduce(Int64(0)) { $0 + $1.amount } == paid.reduce(Int64(0)) { $0 + $1.amount })
            #expect(try await LargeDataset.seed(store: store, hasher: PasswordHasher(cost: 4), now: now, size: size) == false)
        }
    }

    /// A seed stopped while recording payments goes on where it stopped, even started later,
    /// and ends with what one run leaves: the same payments, rewards and paid withdrawals.
    @Test func aLargeSeedStoppedAmidItsPaymentsGoesOnWhereItStopped() async throws {
        struct Stop: Error {}
        let now = Date(timeIntervalSince1970: 1_795_003_200)
        let size = LargeDataset.Size(clicks: 200, customers: 60, transactions: 300)
        func outcome(_ store: Store) async throws -> [String] {
            let payments = try await SaleTransaction.query(on: store.db).all().map { "payment \($0.externalID) \($0.amount) \(Int($0.occurredAt.timeIntervalSince1970))" }
            let rewards = try await Reward.query(on: store.db).with(\.$transaction).all()
                .map { "reward \($0.transaction?.externalID ?? "") \($0.amount) \($0.status.rawValue) \($0.withdrawalID != nil)" }
            let withdrawals = try await Withdrawal.query(on: store.db).all()
                .map { "withdrawal \($0.amount) \($0.rewardCount) \($0.status.rawValue) \(Int($0.requestedAt.timeIntervalSince1970))" }
            return (payments + rewards + withdrawals).sorted()
        }
        let once = try await TestDatabase.withStore { store in
            #expect(try await LargeDataset.seed(store: store, hasher: PasswordHasher(cost: 4), now: now, size: size))
            return try await outcome(store)
        }
        let resumed = try await TestDatabase.withStore { store in
            var heard: [String] = []
            await #expect(throws: Stop.self) {
                _ = try await LargeDataset.seed(store: store, hasher: PasswordHasher(cost: 4), now: now, size: size) { step in
                    heard.append(step)
                    if step.hasPrefix("payments: "), step.contains(" of ") { throw Stop() }
                }
            }
            let stoppedAt = try await SaleTransaction.query(on: store.db).count()
            #expect(stoppedAt > 0 && stoppedAt < 300, "stopped amid the payments: \(stoppedAt) (\(heard))")
            var after: [String] = []
            #expect(try await LargeDataset.seed(store: store, hasher: PasswordHasher(cost: 4), now: now.addingTimeInterval(3 * 3600), size: size) { after.append($0) })
            #expect(after.contains("payments: going on after \(stoppedAt) of 300"), "\(after)")
            try await checkRollups(store)
            return try await outcome(store)
        }
        #expect(resumed.count == once.count && resumed.filter { $0.hasPrefix("withdrawal") }.count > 1)
        #expect(resumed == once, "\(Set(resumed).symmetricDifference(once).sorted().prefix(6))")
    }

    /// A seed stopped in a month's payout: after the withdrawal was requested and before it was
    /// paid (the second month's, amid the payments; the last month's, which with fewer payments
    /// than customers comes after every payment is stored), or after the last month but one was
    /// paid, before the month ends that follow. The next run pays each withdrawal once, pays the
    /// months after, and ends as one uninterrupted run does.
    @Test(arguments: ["requested: second", "requested: last", "paid: last but one"])
    func aLargeSeedStoppedInAPayoutGoesOnAndPaysOnce(_ stop: String) async throws {
        struct Stop: Error {}
        let now = Date(timeIntervalSince1970: 1_795_003_200)
        let afterPayments = stop != "requested: second"
        let size = LargeDataset.Size(clicks: 200, customers: 60, transactions: afterPayments ? 30 : 300)
        func outcome(_ store: Store) async throws -> [String] {
            let withdrawals = try await Withdrawal.query(on: store.db).all()
                .map { "withdrawal \($0.amount) \($0.rewardCount) \($0.status.rawValue) \(Int($0.requestedAt.timeIntervalSince1970))" }
            let rewards = try await Reward.query(on: store.db).with(\.$transaction).all()
                .map { "reward \($0.transaction?.externalID ?? "") \($0.amount) \($0.status.rawValue) \($0.withdrawalID != nil)" }
            return (withdrawals + rewards).sorted()
        }
        var paidMonths: [Date] = []
        let once = try await TestDatabase.withStore { store in
            #expect(try await LargeDataset.seed(store: store, hasher: PasswordHasher(cost: 4), now: now, size: size, payout: { at, step in
                if step == .paid { paidMonths.append(at) }
            }))
            return try await outcome(store)
        }
        try #require(paidMonths.count > 2, "the seed pays more than two months: \(paidMonths.count)")
        let (stopAt, stopStep): (Date, PayoutStep) = switch stop {
        case "requested: second": (paidMonths[1], .requested)
        case "requested: last": (paidMonths[paidMonths.count - 1], .requested)
        default: (paidMonths[paidMonths.count - 2], .paid)
        }
        // The first month the next run pays.
        let next = stopStep == .requested ? stopAt : paidMonths[paidMonths.count - 1]
        let resumed = try await TestDatabase.withStore { store in
            await #expect(throws: Stop.self) {
                _ = try await LargeDataset.seed(store: store, hasher: PasswordHasher(cost: 4), now: now, size: size, payout: { at, step in
                    if at == stopAt, step == stopStep { throw Stop() }
                })
            }
            let requested = try await Withdrawal.query(on: store.db).filter(\.$status == .requested).count()
            #expect(requested == (stopStep == .requested ? 1 : 0), "a stop before paying leaves one withdrawal requested")
            if afterPayments {
                #expect(try await SaleTransaction.query(on: store.db).count() == size.transactions, "every payment was stored before the stop")
            }
            var paidAgain: [Date] = []
            #expect(try await LargeDataset.seed(store: store, hasher: PasswordHasher(cost: 4), now: now, size: size, payout: { at, step in
                if step == .paid { paidAgain.append(at) }
            }))
            #expect(paidAgain.first == next, "the next run pays \(next) first: \(paidAgain)")
            #expect(try await Withdrawal.query(on: store.db).filter(\.$status != .paid).count() == 0)
            #expect(try await LargeDataset.seed(store: store, hasher: PasswordHasher(cost: 4), now: now, size: size) == false, "then the dataset is whole")
            try await checkRollups(store)
            return try await outcome(store)
        }
        #expect(resumed == once, "\(Set(resumed).symmetricDifference(once).sorted().prefix(6))")
    }
}
