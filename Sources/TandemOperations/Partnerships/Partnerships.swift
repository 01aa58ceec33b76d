import FluentKit
import Foundation
import TandemDomain
import TandemStore

/// How partners come to a program and leave it: the vendor invites by email, a partner
/// applies (or joins at once when the program approves automatically) from the marketplace,
/// the vendor approves, declines, archives or moves them between groups. Becoming active
/// brings the default link and the `partner_joined` rewards, in the same transaction.
public enum Partnerships {
    public struct Enrolled: Sendable {
        public let partnership: Partnership
        public let account: PartnerAccount
        /// false: the partner was already in the program, and this is that partnership.
        public let created: Bool
    }

    /// The vendor enrols a partner by email: an existing partner account joins; a new email
    /// gets an account and an invitation (a 7-day link to choose a password). `invitationURL`
    /// makes the link from the token. Enrolling twice returns the first partnership.
    public static func invite(
        program: Program, email rawEmail: String, name rawName: String?, groupID: UUID?, now: Date,
        invitationURL: @escaping @Sendable (String) -> String, joinURL: (@Sendable (UUID) -> String)? = nil, on db: any Database
    ) async throws -> Enrolled {
        var errors = FieldErrors()
        Validate.email(rawEmail, into: &errors)
        if let message = errors["email"] { throw OperationError.invalid(field: "email", message: message) }
        let email = Validate.normalizedEmail(rawEmail)
        let name = rawName?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty ?? String(email.split(separator: "@").first ?? "Partner")
        guard name.count <= 100 else { throw OperationError.invalid(field: "name", message: "`name` must be at most 100 characters.") }
        let group = try await group(groupID, program: program, on: db)
        let programID = try program.requireID()
        return try await db.transaction { db in
            let account: PartnerAccount
            var invitedNew = false
            if let user = try await AccountQueries.user(email: email, on: db) {
                guard let member = try await PartnerMember.query(on: db).filter(\.$user.$id == user.requireID()).with(\.$account).first() else {
                    throw OperationError.conflict(code: "email_not_a_partner", message: "\(email) belongs to a user who is not a partner.")
                }
                account = member.account
            } else {
                // Nobody can log in with this random password; the invitation link sets a real one.
                let (user, newAccount) = try await AccountQueries.createPartner(name: name, email: email, passwordHash: "!" + SecureToken.generate(), now: now, on: db)
                let token = try await PasswordResetQueries.issue(userID: user.requireID(), now: now, lifetime: PasswordResetQueries.invitationLifetime, on: db)
                try await Outbox.send(
                    to: email, subject: "You are invited to the \(program.name) partner program",
                    body: """
                    Hello \(name),

                    You have been added as a partner of \(program.name) on Tandem.
                    Choose a password to open your partner dashboard (the link works once, for 7 days):

                    \(invitationURL(token))
                    """,
                    now: now, on: db
                )
                account = newAccount
                invitedNew = true
            }
            let accountID = try account.requireID()
            if let existing = try await Partnership.query(on: db).filter(\.$program.$id == programID).filter(\.$partnerAccount.$id == accountID).first() {
                return Enrolled(partnership: existing, account: account, created: false)
            }
            let partnership = try await PartnershipQueries.create(program: program, accountID: accountID, groupID: try group.requireID(), status: .active, now: now, on: db)
            if let joinURL, invitedNew == false {
                try await Outbox.send(
                    to: email, subject: "You were added to the \(program.name) partner program",
                    body: "\(program.name) added you as a partner. Your tracked link is ready:\n\n\(joinURL(try partnership.requireID()))",
                    now: now, on: db
                )
            }
            return Enrolled(partnership: partnership, account: account, created: true)
        }
    }

    /// A partner joins a marketplace program: active at once when it approves automatically,
    /// an application the vendor reviews otherwise. Joining twice is refused.
    public static func apply(program: Program, accountID: UUID, now: Date, on db: any Database) async throws -> Partnership {
        let programID = try program.requireID()
        guard program.marketplace else { throw OperationError.notFound(what: "program") }
        if try await Partnership.query(on: db).filter(\.$program.$id == programID).filter(\.$partnerAccount.$id == accountID).count() > 0 {
            throw OperationError.conflict(code: "already_joined", message: "You are already part of \(program.name).")
        }
        guard let group = try await ProgramGroup.query(on: db).filter(\.$program.$id == programID).filter(\.$isDefault == true).first() else {
            throw OperationError.conflict(code: "no_default_group", message: "\(program.name) is not accepting partners yet.")
        }
        do {
            return try await db.transaction { db in
                try await PartnershipQueries.create(
                    program: program, accountID: accountID, groupID: try group.requireID(), status: program.autoApprove ? .active : .applied, now: now, on: db
                )
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // A double click: the first request already joined.
            throw OperationError.conflict(code: "already_joined", message: "You are already part of \(program.name).")
        }
    }

    public static let maxReason = 500

    /// The vendor approves (`active`), declines, archives, or moves a partnership to another
    /// group. Approving or declining an application mails the partner (with the reason, when
    /// one is given) in the same transaction, so the mail goes out exactly when the change does.
    public static func review(
        partnershipID: UUID, companyID: UUID, status raw: String?, groupID: UUID?, reason rawReason: String? = nil,
        actor: Actor, now: Date, dashboardURL: String? = nil, on db: any Database
    ) async throws -> Partnership {
        guard let partnership = try await Partnership.query(on: db).filter(\.$id == partnershipID).with(\.$program).with(\.$partnerAccount).first(),
              partnership.program.$company.id == companyID else { throw OperationError.notFound(what: "partnership") }
        let before = partnership.status
        let reason = rawReason?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty
        guard (reason?.count ?? 0) <= maxReason else { throw OperationError.invalid(field: "reason", message: "Keep the reason under \(maxReason) characters.") }
        if let groupID {
            partnership.$group.id = try await group(groupID, program: partnership.program, on: db).requireID()
        }
        if let raw {
            guard let status = PartnershipStatus(rawValue: raw), status != .applied else {
                throw OperationError.invalid(field: "status", message: "`status` must be one of active, declined, archived.")
            }
            partnership.status = status
        }
        try await db.transaction { db in
            try await partnership.save(on: db)
            if partnership.status == .active {
                try await PartnershipQueries.activated(partnership, program: partnership.program, actor: actor.recorded, now: now, on: db)
            }
            if before == .applied, partnership.status == .active || partnership.status == .declined {
                try await mailDecision(partnership, reason: reason, dashboardURL: dashboardURL, now: now, on: db)
            }
            try await EventOutbox.partnership(partnership, created: false, at: now, on: db)
        }
        return partnership
    }

    /// Tells the partner account's people that their application was approved or declined.
    static func mailDecision(_ partnership: Partnership, reason: String?, dashboardURL: String?, now: Date, on db: any Database) async throws {
        let program = partnership.program
        let approved = partnership.status == .active
        let subject = approved ? "You are now a partner of \(program.name)" : "Your application to \(program.name)"
        var body = approved
            ? "Your application to the \(program.name) partner program was approved. Your tracked link is ready in your dashboard."
            : "Your application to the \(program.name) partner program was not accepted."
        if let reason { body += "\n\nThe program's note: \(reason)" }
        if let dashboardURL { body += "\n\n\(dashboardURL)" }
        for email in try await AccountQueries.emails(partnerAccountID: partnership.$partnerAccount.id, on: db) {
            try await Outbox.send(to: email, subject: subject, body: body, now: now, on: db)
        }
    }

    /// The named group of the program, or its default group.
    static func group(_ id: UUID?, program: Program, on db: any Database) async throws -> ProgramGroup {
        let programID = try program.requireID()
        if let id {
            guard let group = try await ProgramGroup.query(on: db).filter(\.$id == id).filter(\.$program.$id == programID)
                .filter(\.$archivedAt == nil).first() else {
                throw OperationError.unknownReference(code: "not_found", field: "group", message: "`group` is not a group of this program.")
            }
            return group
        }
        guard let group = try await ProgramGroup.query(on: db).filter(\.$program.$id == programID).filter(\.$isDefault == true).first() else {
            throw OperationError.conflict(code: "no_default_group", message: "The program has no default group; name a `group`.")
        }
        return group
    }
}
