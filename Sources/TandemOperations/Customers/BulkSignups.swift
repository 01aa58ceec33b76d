import FluentKit
import Foundation
import TandemDomain
import TandemStore

extension Signups {
    /// Many signups that name one partnership by its partner key — what `tandem seed --large`
    /// makes a million of. The same rows `record` makes one at a time (customers, their
    /// `customer.created` events, `partnership_daily` signups, signup rewards) in one transaction,
    /// a handful of statements per call instead of ten per customer. A customer who is one of
    /// the partner's own people is stored unattributed ("self_referral"), as `record` does.
    /// Keys must be new: one that exists fails the whole call and stores nothing.
    public static func recordMany(
        _ inputs: [Input], partnership: Partnership, program: Program, actor: Actor, now: Date, on db: any Database
    ) async throws -> [Customer] {
        let programID = try program.requireID(), partnershipID = try partnership.requireID()
        guard partnership.$program.id == programID else { throw OperationError.notFound(what: "partnership") }
        guard partnership.status == .active else {
            throw OperationError.conflict(code: "partnership_not_active", message: "Only an active partnership's signups can be recorded in bulk.")
        }
        let memberEmails = Set(try await PartnerMember.query(on: db).filter(\.$account.$id == partnership.$partnerAccount.id).with(\.$user).all().map(\.user.email))
        let customers = try inputs.map { input -> Customer in
            guard input.clickID == nil, input.couponCode == nil else {
                throw OperationError.invalid(field: "click_id", message: "Bulk signups are attributed by partner key; record a click or a coupon code one at a time.")
            }
            let email = try validate(input, now: now)
            let ownPerson = email.map(memberEmails.contains) ?? false
            let customer = Customer(
                programID: programID, key: input.key, email: email, name: input.name, partnershipID: ownPerson ? nil : partnershipID,
                clickID: nil, attributionNote: ownPerson ? "self_referral" : nil, signedUpAt: input.signedUpAt ?? now, createdAt: now
            )
            customer.id = db.identifiers.uuid()
            return customer
        }
        let attributed = customers.filter { $0.$partnership.id != nil }
        try await db.transaction { db in
            for chunk in customers.chunked(500) { try await Array(chunk).create(on: db) }
            try await EventOutbox.customersCreated(attributed, program: program, partnerAccountID: partnership.$partnerAccount.id, at: now, on: db)
            try await EventOutbox.customersCreated(customers.filter { $0.$partnership.id == nil }, program: program, partnerAccountID: nil, at: now, on: db)
            // One rollup increment per day rather than per customer.
            var days: [String: (at: Date, signups: Int64)] = [:]
            for customer in attributed { days[ClickDay.string(customer.signedUpAt), default: (customer.signedUpAt, 0)].signups += 1 }
            for (_, day) in days.sorted(by: { $0.key < $1.key }) {
                try await PartnershipDaily.add(PartnershipDaily.Figures(signups: day.signups), partnershipID: partnershipID, at: day.at, on: db)
            }
            _ = try await RewardLedger.awardMany(
                try attributed.map { RewardLedger.Earning(.signup, source: "signup:\(try $0.requireID().uuidString)", customerID: $0.id) },
                partnership: partnership, program: program, actor: actor.recorded, now: now, on: db
            )
        }
        return customers
    }
}
