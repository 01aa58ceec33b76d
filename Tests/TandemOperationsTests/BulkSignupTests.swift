import FluentKit
import Foundation
import TandemDomain
import TandemOperations
import TandemStore
import TandemTestSupport
import Testing

/// `Signups.recordMany` (the seed's bulk form) leaves what `Signups.record` leaves, one customer at a time.
@Suite struct BulkSignupTests {
    let start = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func manySignupsLeaveTheRowsRollupsRewardsAndEventsOfOneAtATime() async throws {
        try await TestDatabase.withStore { store in
            let w = try await ReferralWorkflowTests().world(store)
            let key = w.partnership.partnerKey
            let inputs = [
                Signups.Input(key: "b1", email: "one@example.net", name: "One", partnerKey: key, signedUpAt: start),
                Signups.Input(key: "b2", email: "two@example.net", partnerKey: key, signedUpAt: start.addingTimeInterval(86_400)),
                Signups.Input(key: "b3", email: "Pat@Example.com", partnerKey: key, signedUpAt: start.addingTimeInterval(86_400)),  // the partner
            ]
            let made = try await Signups.recordMany(inputs, partnership: w.partnership, program: w.program, actor: .system("test"), now: start.addingTimeInterval(90_000), on: store.db)
            #expect(made.map(\.key) == ["b1", "b2", "b3"])
            // One more the ordinary way, to compare with.
            _ = try await Signups.record(Signups.Input(key: "one", email: "single@example.net", partnerKey: key, signedUpAt: start),
                                         program: w.program, recorder: ClickRecorder(store: store), actor: .system("test"), now: start.addingTimeInterval(90_000), on: store.db)

            let customers = try await Customer.query(on: store.db).sort(\.$key).all()
            #expect(customers.map(\.key) == ["b1", "b2", "b3", "one"])
            #expect(customers.map(\.$partnership.id) == [w.partnership.id, w.partnership.id, nil, w.partnership.id])
            #expect(customers[2].attributionNote == "self_referral")
            #expect(customers[2].email == "pat@example.com")
            let rewards = try await Reward.query(on: store.db).all()
            #expect(rewards.count == 3, "the $5 signup rule paid b1, b2 and one, not the partner's own signup")
            #expect(Set(rewards.map(\.amount)) == [500])
            #expect(try await WebhookEvent.query(on: store.db).filter(\.$type == "customer.created").count() == 4)
            let report = try await RollupCheck.run(on: store.sql)
            #expect(report.differences.isEmpty, "\(report.differences)")
            let days = try await PartnershipDaily.days(partnershipIDs: [try w.partnership.requireID()], fromDay: "0000", toDay: "9999", on: store.sql)
            #expect(days.map(\.figures.signups) == [2, 1])

            // A key that exists fails the whole call, and stores nothing of it.
            await #expect(throws: (any Error).self) {
                _ = try await Signups.recordMany([Signups.Input(key: "b4", partnerKey: key), Signups.Input(key: "b1", partnerKey: key)],
                                                 partnership: w.partnership, program: w.program, actor: .system("test"), now: start, on: store.db)
            }
            #expect(try await Customer.query(on: store.db).count() == 4)
            // Bad input is the same refusal as one at a time.
            await #expect(throws: OperationError.invalid(field: "email", message: "Enter an email address like name@example.com.")) {
                _ = try await Signups.recordMany([Signups.Input(key: "b5", email: "nope", partnerKey: key)],
                                                 partnership: w.partnership, program: w.program, actor: .system("test"), now: start, on: store.db)
            }
        }
    }
}
