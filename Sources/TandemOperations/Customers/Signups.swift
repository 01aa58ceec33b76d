import FluentKit
import Foundation
import SQLKit
import TandemDomain
import TandemStore

/// A customer signs up on the vendor's side: attributed to the partner whose link the visitor
/// clicked last within the program's cookie window (or named by partner key), stored with its
/// rollup increment and the signup rewards in one transaction. `POST /customers` calls this.
public enum Signups {
    public static let maxKey = 255
    public static let maxName = 200

    public struct Input: Sendable {
        public var key: String
        public var email: String?
        public var name: String?
        public var clickID: String?
        public var partnerKey: String?
        public var signedUpAt: Date?
        /// A coupon code the customer used: attributes them when no click does (or always,
        /// with the program's `coupon_wins`).
        public var couponCode: String?

        public init(
            key: String, email: String? = nil, name: String? = nil, clickID: String? = nil, partnerKey: String? = nil, signedUpAt: Date? = nil,
            couponCode: String? = nil
        ) {
            self.couponCode = couponCode
            self.key = key
            self.email = email
            self.name = name
            self.clickID = clickID
            self.partnerKey = partnerKey
            self.signedUpAt = signedUpAt
        }
    }

    public struct Recorded: Sendable {
        public let customer: Customer
        /// false: a customer with this key existed, and this is it.
        public let created: Bool
    }

    /// `recorder`: this node's click buffer, flushed when the click is not stored yet.
    public static func record(
        _ input: Input, program: Program, recorder: ClickRecorder, actor: Actor, now: Date, on db: any Database
    ) async throws -> Recorded {
        let programID = try program.requireID()
        let email = try validate(input, now: now)
        if let existing = try await Customer.query(on: db).filter(\.$program.$id == programID).filter(\.$key == input.key).first() {
            return Recorded(customer: existing, created: false)
        }

        let signedUpAt = input.signedUpAt ?? now
        let outcome = try await attribute(input, email: email, program: program, signedUpAt: signedUpAt, recorder: recorder, on: db)
        let customer = Customer(
            programID: programID, key: input.key, email: email, name: input.name, partnershipID: outcome.partnershipID,
            clickID: input.clickID, attributionNote: outcome.note, signedUpAt: signedUpAt, createdAt: now
        )
        do {
            try await db.transaction { db in
                try await customer.create(on: db)
                try await EventOutbox.customerCreated(customer, program: program, at: now, on: db)
                guard let partnershipID = customer.$partnership.id, let partnership = try await Partnership.find(partnershipID, on: db) else { return }
                try await PartnershipDaily.customerSignedUp(partnershipID: partnershipID, at: customer.signedUpAt, clickID: customer.clickID, on: db)
                try await RewardLedger.award(
                    .signup, source: "signup:\(try customer.requireID().uuidString)", partnership: partnership, program: program,
                    customerID: customer.id, actor: actor.recorded, now: now, on: db
                )
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // The same key raced in: the first one stands.
            if let existing = try await Customer.query(on: db).filter(\.$program.$id == programID).filter(\.$key == input.key).first() {
                return Recorded(customer: existing, created: false)
            }
            throw OperationError.conflict(code: "conflict", message: "A customer with this key was being created at the same time; retry.")
        }
        return Recorded(customer: customer, created: true)
    }

    /// The input's refusals, as `OperationError`s naming the field; the email as stored.
    static func validate(_ input: Input, now: Date) throws -> String? {
        guard !input.key.isEmpty, input.key.count <= maxKey else {
            throw OperationError.invalid(field: "key", message: "`key` (your own id for this customer) is required, at most \(maxKey) characters.")
        }
        let email = input.email.map(Validate.normalizedEmail)
        if let email {
            var errors = FieldErrors()
            Validate.email(email, into: &errors)
            if let message = errors["email"] { throw OperationError.invalid(field: "email", message: message) }
        }
        guard (input.name?.count ?? 0) <= maxName else { throw OperationError.invalid(field: "name", message: "`name` must be at most \(maxName) characters.") }
        if let signedUpAt = input.signedUpAt, !EventTime.isPlausible(signedUpAt, now: now) {
            throw OperationError.invalid(field: "signed_up_at", message: EventTime.message(field: "signed_up_at"))
        }
        if let clickID = input.clickID, clickID.count > 64 {
            throw OperationError.invalid(field: "click_id", message: "`click_id` is not a Tandem click id.")
        }
        if let code = input.couponCode, code.count > 100 {
            throw OperationError.invalid(field: "coupon_code", message: "`coupon_code` is at most \(CouponCodes.maxLength) characters.")
        }
        return email
    }

    struct Outcome {
        var partnershipID: UUID?
        var note: String?
    }

    /// Which partnership the signup belongs to, or why none (the note stored with the customer).
    static func attribute(
        _ input: Input, email: String?, program: Program, signedUpAt: Date, recorder: ClickRecorder, on db: any Database
    ) async throws -> Outcome {
        let programID = try program.requireID()
        let sql = db as! any SQLDatabase
        var outcome = Outcome()
        if let clickID = input.clickID {
            var click = try await ClickQueries.click(id: clickID, on: sql)
            if click == nil {
                // The click may still be in this node's write buffer (it is flushed within a second).
                try await recorder.flush()
                click = try await ClickQueries.click(id: clickID, on: sql)
            }
            if let click, click.program_id == programID {
                let start = Attribution.windowStart(signedUpAt: signedUpAt, cookieWindowDays: program.cookieWindowDays)
                var candidates = [Attribution.Click(partnershipID: click.partnership_id, clickedAt: click.clicked_at)]
                if let last = try await ClickQueries.lastVisitorClick(programID: programID, visitor: click.visitor, from: start, to: signedUpAt, on: sql) {
                    candidates.append(last)
                }
                switch Attribution.lastClick(candidates, signedUpAt: signedUpAt, cookieWindowDays: program.cookieWindowDays) {
                case .partnership(let id): outcome.partnershipID = id
                case .none(let reason): outcome.note = reason
                }
            } else {
                outcome.note = click == nil ? "unknown_click" : "click_of_another_program"
            }
        }
        // A coupon code: when no click attributes the signup, or before the click when the program says codes win.
        if let code = input.couponCode, outcome.partnershipID == nil || program.couponWins {
            if let coupon = try await CouponCodeReads.find(code, programID: programID, on: db) {
                return try await eligible(Outcome(partnershipID: coupon.$partnership.id, note: nil), email: email, on: db)
            }
            if outcome.partnershipID == nil, input.clickID == nil, input.partnerKey == nil { return Outcome(partnershipID: nil, note: "unknown_coupon_code") }
        }
        if input.clickID != nil {
            // Decided by the click above.
        } else if let partnerKey = input.partnerKey {
            if let partnership = try await Partnership.query(on: db).filter(\.$partnerKey == partnerKey).filter(\.$program.$id == programID).first() {
                outcome.partnershipID = try partnership.requireID()
            } else {
                outcome.note = "unknown_partner_key"
            }
        } else {
            outcome.note = "no_referral"
        }
        return try await eligible(outcome, email: email, on: db)
    }

    /// The outcome, unless its partnership is not active or the customer is one of its partner's
    /// own people (a partner may not refer themselves: stored, not attributed, and said why).
    static func eligible(_ outcome: Outcome, email: String?, on db: any Database) async throws -> Outcome {
        if let partnershipID = outcome.partnershipID {
            guard let partnership = try await Partnership.find(partnershipID, on: db), partnership.status == .active else {
                return Outcome(partnershipID: nil, note: "partnership_not_active")
            }
            if let email, try await AccountQueries.isPartnerMember(email: email, accountID: partnership.$partnerAccount.id, on: db) {
                return Outcome(partnershipID: nil, note: "self_referral")
            }
        }
        return outcome
    }
}
