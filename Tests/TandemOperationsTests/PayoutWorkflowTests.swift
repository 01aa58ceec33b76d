import FluentKit
import Foundation
import TandemDomain
import TandemOperations
import TandemStore
import TandemTestSupport
import Testing

/// The payout workflows called directly, as the API, the pages and the demo call them.
@Suite struct PayoutWorkflowTests {
    struct World {
        let store: Store
        let accountID: UUID
        let partnership: Partnership
        let program: Program
        let now = Date(timeIntervalSince1970: 1_795_000_000)

        /// A partner in a USD program with a $10 minimum, and available rewards of these amounts.
        static func make(_ store: Store, rewards amounts: [Int64], minimum: Int64 = 1000) async throws -> World {
            let now = Date(timeIntervalSince1970: 1_795_000_000)
            let (_, company) = try await AccountQueries.createVendor(company: "Acme", name: "A", email: "a@acme.example", passwordHash: "x", now: now, on: store.db)
            let (_, account) = try await AccountQueries.createPartner(name: "Pat", email: "pat@example.com", passwordHash: "x", now: now, on: store.db)
            let program = Program(
                companyID: try company.requireID(), name: "Acme", slug: "acme", description: "", category: "", currency: .usd,
                defaultDestination: "https://acme.example/", allowedDomains: ["acme.example"], minWithdrawal: minimum,
                marketplace: false, autoApprove: false, features: ProgramFeatures(links: true, customLinks: false, leads: false, deals: false), createdAt: now
            )
            try await program.create(on: store.db)
            let group = ProgramGroup(programID: try program.requireID(), name: "Default", isDefault: true, createdAt: now)
            try await group.create(on: store.db)
            let partnership = Partnership(
                programID: try program.requireID(), partnerAccountID: try account.requireID(), groupID: try group.requireID(),
                status: .active, partnerKey: "key-pat", createdAt: now
            )
            try await partnership.create(on: store.db)
            for amount in amounts {
                let reward = try await RewardLedger.manual(partnership: partnership, program: program, amount: amount, description: "Bonus", actor: "test", now: now, on: store.db)
                _ = try await RewardLedger.change(try reward.requireID(), .approve, reason: nil, actor: "test", now: now, on: store.db)
            }
            return World(store: store, accountID: try account.requireID(), partnership: partnership, program: program)
        }

        func withdraw(live: Set<String> = []) async throws -> Withdrawal {
            try await WithdrawalRequests.request(accountID: accountID, currency: .usd, liveProviders: live, actor: .partner(accountID: accountID), now: now, on: store.db)
        }
    }

    @Test(arguments: [
        ("paypal", "pat@paypal.example", nil, nil),
        ("paypal", "not an email", nil, "paypal_email"),
        ("stripe", nil, "acct_1PgafTB7WZ01zgkW", nil),
        ("stripe", nil, "acct_ü1PgafTB7WZ01", "stripe_account"),
        ("wire", nil, nil, "provider"),
    ] as [(String, String?, String?, String?)])
    func aPayoutMethodIsValidatedOnce(provider: String, email: String?, account: String?, faultyField: String?) {
        do {
            let (stored, _) = try PayoutMethods.validate(provider: provider, paypalEmail: email, stripeAccount: account)
            #expect(faultyField == nil)
            #expect(stored.rawValue == provider)
        } catch {
            #expect(error.field == faultyField)
            #expect(!error.sentence.isEmpty)
        }
    }

    @Test func aWithdrawalNeedsAMethodThenTakesEveryAvailableRewardAndQueuesThePayout() async throws {
        try await TestDatabase.withStore { store in
            let world = try await World.make(store, rewards: [700, 800])
            await #expect(throws: OperationError.conflict(code: "no_payout_method", message: "Choose a payout provider (PayPal or Stripe) before withdrawing.")) {
                try await world.withdraw()
            }
            _ = try await PayoutMethods.set(accountID: world.accountID, provider: "stripe", paypalEmail: nil, stripeAccount: "acct_1PgafTB7WZ01zgkW", now: world.now, on: store.db)
            let withdrawal = try await world.withdraw(live: ["stripe"])
            #expect(withdrawal.amount == 1500)
            #expect(withdrawal.provider == .stripe)
            let jobs = try await JobRecord.query(on: store.db).all()
            #expect(jobs.map(\.kind) == [PayoutJobs.send])
            do {
                _ = try await world.withdraw()
                Issue.record("a second withdrawal found something to take")
            } catch let refusal as OperationError {
                #expect(refusal.code == "nothing_available")
            }
            let events = try await MoneyEvent.query(on: store.db).filter(\.$subject == "withdrawal").all()
            #expect(events.map(\.actor) == ["partner:\(world.accountID.uuidString)"])
        }
    }

    @Test func underTheMinimumIsRefusedInWordsAndTakesNothing() async throws {
        try await TestDatabase.withStore { store in
            let world = try await World.make(store, rewards: [500])
            _ = try await PayoutMethods.set(accountID: world.accountID, provider: "paypal", paypalEmail: "pat@paypal.example", stripeAccount: nil, now: world.now, on: store.db)
            do {
                _ = try await world.withdraw()
                Issue.record("withdrew under the minimum")
            } catch let refusal as OperationError {
                #expect(refusal.code == "below_minimum")
                #expect(refusal.sentence == "You have $5.00 available; the minimum withdrawal is $10.00.")
            }
            #expect(try await Withdrawal.query(on: store.db).count() == 0)
            #expect(try await Reward.query(on: store.db).filter(\.$withdrawalID != nil).count() == 0)
        }
    }
}
