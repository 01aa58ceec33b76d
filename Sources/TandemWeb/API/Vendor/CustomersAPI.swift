import FluentKit
import Foundation
import Hummingbird
import SQLKit
import TandemDomain
import TandemStore

/// `POST /api/v1/customers`: a signup on the vendor's side, attributed to the partner
/// whose link the visitor clicked last within the cookie window.
struct CustomersAPI {
    let env: WebEnvironment
    let tracking: Tracking

    struct CreateBody: Decodable {
        var program: String?
        var key: String?
        var email: String?
        var name: String?
        var clickId: String?
        var partnerKey: String?
        var signedUpAt: Date?
    }

    struct CustomerDTO: Encodable {
        let id: UUID
        let object = "customer"
        let program: String
        let key: String
        @NullEncoded var email: String?
        @NullEncoded var name: String?
        @NullEncoded var partnershipId: UUID?
        @NullEncoded var clickId: String?
        /// Why the customer is not attributed, when it is not.
        @NullEncoded var attributionNote: String?
        let signedUpAt: Date
        let createdAt: Date

        init(_ customer: Customer, program: Program) throws {
            id = try customer.requireID()
            self.program = program.slug
            key = customer.key
            email = customer.email
            name = customer.name
            partnershipId = customer.$partnership.id
            clickId = customer.clickID
            attributionNote = customer.attributionNote
            signedUpAt = customer.signedUpAt
            createdAt = customer.createdAt
        }
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("customers") { _, context in try await create(context) }
    }

    func create(_ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        let body = try APIJSON.decode(CreateBody.self, from: context)
        let program = try await APILookups.program(slug: body.program, companyID: companyID, on: env.store.db)
        let programID = try program.requireID()
        guard let key = body.key.nonBlank, key.count <= 255 else {
            throw APIError.invalid("key", "`key` (your own id for this customer) is required, at most 255 characters.")
        }
        let email = body.email.nonBlank.map(Validate.normalizedEmail)
        if let email {
            var errors = FieldErrors()
            Validate.email(email, into: &errors)
            if let message = errors["email"] { throw APIError.invalid("email", message) }
        }
        guard (body.name?.count ?? 0) <= 200 else { throw APIError.invalid("name", "`name` must be at most 200 characters.") }
        if let signedUpAt = body.signedUpAt, !EventTime.isPlausible(signedUpAt, now: env.now()) {
            throw APIError.invalid("signed_up_at", EventTime.message(field: "signed_up_at"))
        }
        if let existing = try await Customer.query(on: env.store.db).filter(\.$program.$id == programID).filter(\.$key == key).first() {
            return try APIJSON.response(try CustomerDTO(existing, program: program), status: .ok)
        }

        let signedUpAt = body.signedUpAt ?? env.now()
        let outcome = try await attribute(body: body, program: program, signedUpAt: signedUpAt, email: email)
        let customer = Customer(
            programID: programID, key: key, email: email, name: body.name.nonBlank, partnershipID: outcome.partnershipID,
            clickID: body.clickId.nonBlank, attributionNote: outcome.note, signedUpAt: signedUpAt, createdAt: env.now()
        )
        do {
            try await env.store.db.transaction { db in
                try await customer.create(on: db)
                if let partnershipID = customer.$partnership.id, let partnership = try await Partnership.find(partnershipID, on: db) {
                    try await PartnershipDaily.customerSignedUp(partnershipID: partnershipID, at: customer.signedUpAt, on: db)
                    try await RewardLedger.award(
                        .signup, source: "signup:\(try customer.requireID().uuidString)", partnership: partnership, program: program,
                        customerID: customer.id, actor: "vendor:\(companyID.uuidString)", now: env.now(), on: db
                    )
                }
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // The same key raced in: the first one stands.
            if let existing = try await Customer.query(on: env.store.db).filter(\.$program.$id == programID).filter(\.$key == key).first() {
                return try APIJSON.response(try CustomerDTO(existing, program: program), status: .ok)
            }
            throw APIError(status: .conflict, message: "A customer with this key was being created at the same time; retry.")
        }
        return try APIJSON.response(try CustomerDTO(customer, program: program), status: .created)
    }

    struct Outcome {
        var partnershipID: UUID?
        var note: String?
    }

    func attribute(body: CreateBody, program: Program, signedUpAt: Date, email: String?) async throws -> Outcome {
        let programID = try program.requireID()
        var outcome = Outcome()
        if let clickID = body.clickId.nonBlank {
            guard clickID.count <= 64 else { throw APIError.invalid("click_id", "`click_id` is not a Tandem click id.") }
            var click = try await ClickQueries.click(id: clickID, on: env.store.sql)
            if click == nil {
                // The click may still be in this node's write buffer (it is flushed within a second).
                try await tracking.recorder.flush()
                click = try await ClickQueries.click(id: clickID, on: env.store.sql)
            }
            if let click, click.program_id == programID {
                let start = Attribution.windowStart(signedUpAt: signedUpAt, cookieWindowDays: program.cookieWindowDays)
                var candidates = try await ClickQueries.visitorClicks(programID: programID, visitor: click.visitor, from: start, to: signedUpAt, on: env.store.sql)
                candidates.append(Attribution.Click(partnershipID: click.partnership_id, clickedAt: click.clicked_at))
                switch Attribution.lastClick(candidates, signedUpAt: signedUpAt, cookieWindowDays: program.cookieWindowDays) {
                case .partnership(let id): outcome.partnershipID = id
                case .none(let reason): outcome.note = reason
                }
            } else {
                outcome.note = click == nil ? "unknown_click" : "click_of_another_program"
            }
        } else if let partnerKey = body.partnerKey.nonBlank {
            if let partnership = try await APILookups.partnership(key: partnerKey, program: program, on: env.store.db) {
                outcome.partnershipID = try partnership.requireID()
            } else {
                outcome.note = "unknown_partner_key"
            }
        } else {
            outcome.note = "no_referral"
        }
        if let partnershipID = outcome.partnershipID {
            guard let partnership = try await Partnership.find(partnershipID, on: env.store.db), partnership.status == .active else {
                return Outcome(partnershipID: nil, note: "partnership_not_active")
            }
            // A partner may not refer themselves: stored, not attributed, and said why.
            if let email {
                let memberEmails = try await PartnerMember.query(on: env.store.db)
                    .filter(\.$account.$id == partnership.$partnerAccount.id).with(\.$user).all().map(\.user.email)
                if memberEmails.contains(email) { return Outcome(partnershipID: nil, note: "self_referral") }
            }
        }
        return outcome
    }
}
