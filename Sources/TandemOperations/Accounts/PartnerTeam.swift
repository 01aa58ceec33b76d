import FluentKit
import SQLKit
import Foundation
import TandemDomain
import TandemStore

/// A partner account's teammates: invite by email with a role, change a role, remove
/// someone. The caller checks that the one acting may (`PartnerRole.canManageTeam`); these
/// keep the account's invariant, that it always has at least one owner.
public enum PartnerTeam {
    static let roleMessage = "Choose a role: owner, admin, finance or member."

    /// At most this many people (pending invitations included) in one partner account. Why a
    /// cap: anyone can open a partner account, each invitation is an email sent from the
    /// instance's address, and the team is read whenever the account's partner is credited.
    public static let memberLimit = 50

    /// A new address gets a user and an invitation (a 7-day link to choose a password, which
    /// creates the account); a known address joins at once and is told so. A user already in
    /// a partner account cannot join a second one (a login acts for one account).
    public static func invite(
        accountID: UUID, accountName: String, invitedBy: String, email rawEmail: String, name rawName: String?, role raw: String?, now: Date,
        invitationURL: @escaping @Sendable (String) -> String, loginURL: String, on db: any Database
    ) async throws -> PartnerMember {
        var errors = FieldErrors()
        Validate.email(rawEmail, into: &errors)
        if let message = errors["email"] { throw OperationError.invalid(field: "email", message: message) }
        guard let role = raw.flatMap(PartnerRole.init(rawValue:)) else { throw OperationError.invalid(field: "role", message: roleMessage) }
        let email = Validate.normalizedEmail(rawEmail)
        let name = rawName?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty ?? String(email.split(separator: "@").first ?? "Teammate")
        guard name.count <= 100, !TextRules.hasControlCharacter(name) else {
            throw OperationError.invalid(field: "name", message: "The name must be at most 100 characters.")
        }
        return try await db.transaction { db in
            try await requireRoom(accountID: accountID, on: db)
            if let user = try await AccountQueries.user(email: email, on: db) {
                let userID = try user.requireID()
                if let already = try await PartnerMember.query(on: db).filter(\.$user.$id == userID).first() {
                    throw OperationError.conflict(code: "already_a_teammate", message: already.$account.id == accountID
                        ? "\(email) is already on this team." : "\(email) already belongs to another partner account.")
                }
                let member = PartnerMember(accountID: accountID, userID: userID, role: role, createdAt: now)
                try await member.create(on: db)
                try await Outbox.send(
                    to: email, subject: "You joined \(accountName) on Tandem",
                    body: "\(invitedBy) added you to the partner account \(accountName) as \(role.label). Log in with your usual password:\n\n\(loginURL)",
                    now: now, on: db
                )
                return member
            }
            // Nobody can log in with this random password; the invitation link sets a real one.
            let user = try await AccountQueries.addPartnerMember(
                accountID: accountID, name: name, email: email, passwordHash: "!" + SecureToken.generate(), role: role, now: now, on: db
            )
            let token = try await PasswordResetQueries.issue(userID: user.requireID(), now: now, lifetime: PasswordResetQueries.invitationLifetime, on: db)
            try await Outbox.send(
                to: email, subject: "\(invitedBy) invited you to \(accountName) on Tandem",
                body: """
                Hello \(name),

                \(invitedBy) invited you to the partner account \(accountName) on Tandem, as \(role.label).
                Choose a password to create your login (the link works once, for 7 days):

                \(invitationURL(token))
                """,
                now: now, on: db
            )
            guard let member = try await PartnerMember.query(on: db).filter(\.$user.$id == user.requireID()).first() else {
                throw OperationError.notFound(what: "teammate")
            }
            return member
        }
    }

    /// A teammate's new role; the last owner stays an owner.
    public static func changeRole(accountID: UUID, memberID: UUID, role raw: String?, on db: any Database) async throws {
        guard let role = raw.flatMap(PartnerRole.init(rawValue:)) else { throw OperationError.invalid(field: "role", message: roleMessage) }
        try await db.transaction { db in
            let member = try await self.member(memberID, accountID: accountID, on: db)
            if member.role == .owner && role != .owner { try await requireAnotherOwner(accountID: accountID, on: db) }
            member.role = role
            try await member.save(on: db)
        }
    }

    /// Removes a teammate: their login stays, with no account, and their sessions end (they
    /// act for this account no longer). Never the last owner.
    public static func remove(accountID: UUID, memberID: UUID, on db: any Database) async throws {
        try await db.transaction { db in
            let member = try await self.member(memberID, accountID: accountID, on: db)
            if member.role == .owner { try await requireAnotherOwner(accountID: accountID, on: db) }
            try await member.delete(on: db)
            try await SessionQueries.deleteAll(userID: member.$user.id, except: nil, on: db)
        }
    }

    static func member(_ id: UUID, accountID: UUID, on db: any Database) async throws -> PartnerMember {
        guard let member = try await PartnerMember.query(on: db).filter(\.$id == id).filter(\.$account.$id == accountID).first() else {
            throw OperationError.notFound(what: "teammate")
        }
        return member
    }

    /// Counted inside the caller's transaction after locking the account's row on PostgreSQL
    /// (SQLite runs one writer at a time), so two invitations at once cannot both take the last place.
    static func requireRoom(accountID: UUID, on db: any Database) async throws {
        if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
            _ = try await sql.raw("SELECT id FROM partner_accounts WHERE id = \(bind: accountID) FOR UPDATE").all()
        }
        let members = try await PartnerMember.query(on: db).filter(\.$account.$id == accountID).count()
        guard members < memberLimit else {
            throw OperationError.conflict(code: "team_full", message: "A partner team has at most \(memberLimit) people: remove someone first.")
        }
    }

    /// Counted inside the caller's transaction after locking the account's row on
    /// PostgreSQL (SQLite runs one writer at a time): two owners demoting each other at once
    /// would otherwise both see the other still an owner and leave none.
    static func requireAnotherOwner(accountID: UUID, on db: any Database) async throws {
        if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
            _ = try await sql.raw("SELECT id FROM partner_accounts WHERE id = \(bind: accountID) FOR UPDATE").all()
        }
        let owners = try await PartnerMember.query(on: db).filter(\.$account.$id == accountID).filter(\.$role == .owner).count()
        guard owners > 1 else {
            throw OperationError.conflict(code: "last_owner", message: "An account keeps at least one owner: make someone else an owner first.")
        }
    }
}
