import FluentKit
import Foundation
import TandemDomain
import TandemOperations
import TandemStore
import TandemTestSupport
import Testing

/// Click → signup → payment → refund called as the API and the demo call them, without HTTP.
@Suite struct ReferralWorkflowTests {
    let start = Date(timeIntervalSince1970: 1_795_000_000)

    struct World {
        let program: Program
        let partnership: Partnership
        let link: Link
    }

    /// A USD program paying $5 a signup and 20% of each payment, and one active partner.
    func world(_ store: Store) async throws -> World {
        let (_, company) = try await AccountQueries.createVendor(company: "Acme", name: "A", email: "a@acme.example", passwordHash: "x", now: start, on: store.db)
        var settings = ProgramSettings.Changes()
        settings.name = "Acme"; settings.currency = "USD"; settings.defaultDestination = "https://acme.example/"; settings.holdDays = 0
        let (program, group) = try await ProgramSettings.create(companyID: try company.requireID(), settings, now: start, on: store.db)
        for (trigger, kind, amount, percent) in [("signup", "flat", Int64(500), nil), ("transaction", "percent", nil, "20")] as [(String, String, Int64?, String?)] {
            var rule = RewardRules.Input()
            rule.trigger = trigger; rule.kind = kind; rule.amount = amount; rule.percent = percent
            _ = try await RewardRules.create(program: program, rule, now: start, on: store.db)
        }
        let (_, account) = try await AccountQueries.createPartner(name: "Pat", email: "pat@example.com", passwordHash: "x", now: start, on: store.db)
        let partnership = try await PartnershipQueries.create(
            program: program, accountID: try account.requireID(), groupID: try group.requireID(), status: .active, now: start, on: store.db
        )
        let link = try #require(try await LinkReads.defaultLink(partnershipID: try partnership.requireID(), on: store.db))
        return World(program: program, partnership: partnership, link: link)
    }

    @Test func aClickedSignupPaysAndARefundClawsBack() async throws {
        try await TestDatabase.withStore { store in
            let w = try await world(store)
            let recorder = ClickRecorder(store: store)
            recorder.record(RecordedClick(
                id: "0000000000000000000000000000c1ck", linkID: try w.link.requireID(), partnershipID: try w.partnership.requireID(),
                programID: try w.program.requireID(), visitor: "visitor-1", at: start
            ))
            // Still in the recorder's buffer: the signup flushes it before looking.
            let signup = try await Signups.record(
                Signups.Input(key: "cus_1", email: "buyer@example.net", clickID: "0000000000000000000000000000c1ck"),
                program: w.program, recorder: recorder, actor: .system("test"), now: start.addingTimeInterval(3600), on: store.db
            )
            #expect(signup.created)
            #expect(signup.customer.$partnership.id == w.partnership.id)

            let paid = try await Payments.record(
                program: w.program, customerKey: "cus_1", externalID: "pay_1", amount: 10_000, currency: .usd, occurredAt: nil,
                description: nil, actor: .system("test"), now: start.addingTimeInterval(7200), on: store.db
            )
            #expect(paid.created)
            let again = try await Payments.record(
                program: w.program, customerKey: "cus_1", externalID: "pay_1", amount: 10_000, currency: .usd, occurredAt: nil,
                description: nil, actor: .system("test"), now: start.addingTimeInterval(7300), on: store.db
            )
            #expect(!again.created, "the same external id is the same payment")
            _ = try await Payments.refund(program: w.program, externalID: "pay_1", amount: 2_500, actor: .system("test"), now: start.addingTimeInterval(9000), on: store.db)

            let rewards = try await Reward.query(on: store.db).sort(\.$createdAt).all()
            #expect(rewards.map(\.amount).sorted() == [500, 1_500], "signup $5, and 20% of the $75 left after the refund: an unpaid reward shrinks, it is not clawed back")
            #expect(rewards.first { $0.amount == 1_500 }?.originalAmount == 2_000)
            let totals = try await PartnerStatsQueries.totals(partnershipIDs: [try w.partnership.requireID()], on: store.sql)
            #expect(totals[try w.partnership.requireID()]?.referred == 1)
            let days = try await PartnershipDaily.days(partnershipIDs: [try w.partnership.requireID()], fromDay: "0000", toDay: "9999", on: store.sql)
                .filter { $0.figures != PartnershipDaily.Figures() }
            #expect(Dictionary(uniqueKeysWithValues: days.map { ($0.day, $0.figures) })
                    == (try await PartnershipDaily.recomputed(partnershipID: try w.partnership.requireID(), on: store.sql)), "rollups equal the events")
        }
    }

    @Test func refusalsNameTheirFieldAndStoreNothing() async throws {
        try await TestDatabase.withStore { store in
            let w = try await world(store)
            let recorder = ClickRecorder(store: store)
            await #expect(throws: OperationError.invalid(field: "email", message: "Enter an email address like name@example.com.")) {
                _ = try await Signups.record(Signups.Input(key: "cus_1", email: "not an email"), program: w.program, recorder: recorder,
                                             actor: .system("test"), now: start, on: store.db)
            }
            do {
                _ = try await Payments.record(program: w.program, customerKey: "nobody", externalID: "pay_1", amount: 100, currency: .usd, occurredAt: nil,
                                              description: nil, actor: .system("test"), now: start, on: store.db)
                Issue.record("a payment of an unknown customer was accepted")
            } catch let refusal as OperationError {
                #expect(refusal.code == "customer_not_found")
            }
            do {
                _ = try await Payments.record(program: w.program, customerKey: "nobody", externalID: "pay_2", amount: 100, currency: .eur, occurredAt: nil,
                                              description: nil, actor: .system("test"), now: start, on: store.db)
                Issue.record("a payment in another currency was accepted")
            } catch let refusal as OperationError {
                #expect(refusal.field == "currency")
            }
            #expect(try await Customer.query(on: store.db).count() == 0)
            #expect(try await SaleTransaction.query(on: store.db).count() == 0)
            #expect(try await Reward.query(on: store.db).count() == 0)
        }
    }
}
