import FluentKit
import Foundation
import TandemDomain
import TandemStore

/// A vendor company's settings and teammates: rename the company, invite by email with a
/// role, change a role, remove someone. A company always keeps at least one admin.
public enum CompanyTeam {
    public static func rename(companyID: UUID, name raw: String, on db: any Database) async throws {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else { throw OperationError.invalid(field: "name", message: "The company name is required (at most 100 characters).") }
        try await Company.query(on: db).filter(\.$id == companyID).set(\.$name, to: name).update()
    }

    /// A new address gets a user and an invitation (a 7-day link to choose a password); a
    /// user who is already someone's teammate cannot be added to a second company.
    public static func invite(
        companyID: UUID, companyName: String, email rawEmail: String, name rawName: String?, role raw: String?, now: Date,
        invitationURL: @escaping @Sendable (String) -> String, on db: any Database
    ) async throws -> CompanyMember {
        var errors = FieldErrors()
        Validate.email(rawEmail, into: &errors)
        if let message = errors["email"] { throw OperationError.invalid(field: "email", message: message) }
        guard let role = raw.flatMap(VendorRole.init(rawValue:)) else {
            throw OperationError.invalid(field: "role", message: "Choose a role: admin, manager or read-only.")
        }
        let email = Validate.normalizedEmail(rawEmail)
        let name = rawName?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty ?? String(email.split(separator: "@").first ?? "Teammate")
        guard name.count <= 100 else { throw OperationError.invalid(field: "name", message: "The name must be at most 100 characters.") }
        return try await db.transaction { db in
            if let user = try await AccountQueries.user(email: email, on: db) {
                let userID = try user.requireID()
                if try await CompanyMember.query(on: db).filter(\.$user.$id == userID).first() != nil {
                    throw OperationError.conflict(code: "already_a_teammate", message: "\(email) is already on a vendor team.")
                }
                let member = CompanyMember(companyID: companyID, userID: userID, role: role, createdAt: now)
                try await member.create(on: db)
                try await Outbox.send(to: email, subject: "You joined \(companyName) on Tandem",
                                      body: "You were added to \(companyName)'s team as \(role.label). Log in with your usual password.", now: now, on: db)
                return member
            }
            // Nobody can log in with this random password; the invitation link sets a real one.
            let user = try await AccountQueries.addVendorMember(
                companyID: companyID, name: name, email: email, passwordHash: "!" + SecureToken.generate(), role: role, now: now, on: db
            )
            let token = try await PasswordResetQueries.issue(userID: user.requireID(), now: now, lifetime: PasswordResetQueries.invitationLifetime, on: db)
            try await Outbox.send(
                to: email, subject: "You are invited to \(companyName)'s team on Tandem",
                body: """
                Hello \(name),

                You were invited to run \(companyName)'s partner programs on Tandem, as \(role.label).
                Choose a password to start (the link works once, for 7 days):

                \(invitationURL(token))
                """,
                now: now, on: db
            )
            guard let member = try await CompanyMember.query(on: db).filter(\.$user.$id == user.requireID()).first() else {
                throw OperationError.notFound(what: "teammate")
            }
            return member
        }
    }

    /// A teammate's new role; the last admin stays an admin.
    public static func changeRole(companyID: UUID, memberID: UUID, role raw: String?, on db: any Database) async throws {
        guard let role = raw.flatMap(VendorRole.init(rawValue:)) else {
            throw OperationError.invalid(field: "role", message: "Choose a role: admin, manager or read-only.")
        }
        try await db.transaction { db in
            let member = try await self.member(memberID, companyID: companyID, on: db)
            if member.role == .admin && role != .admin { try await requireAnotherAdmin(companyID: companyID, on: db) }
            member.role = role
            try await member.save(on: db)
        }
    }

    /// Removes a teammate (their user stays, with no company); never the last admin.
    public static func remove(companyID: UUID, memberID: UUID, on db: any Database) async throws {
        try await db.transaction { db in
            let member = try await self.member(memberID, companyID: companyID, on: db)
            if member.role == .admin { try await requireAnotherAdmin(companyID: companyID, on: db) }
            try await member.delete(on: db)
        }
    }

    static func member(_ id: UUID, companyID: UUID, on db: any Database) async throws -> CompanyMember {
        guard let member = try await CompanyMember.query(on: db).filter(\.$id == id).filter(\.$company.$id == companyID).first() else {
            throw OperationError.notFound(what: "teammate")
        }
        return member
    }

    static func requireAnotherAdmin(companyID: UUID, on db: any Database) async throws {
        let admins = try await CompanyMember.query(on: db).filter(\.$company.$id == companyID).filter(\.$role == .admin).count()
        guard admins > 1 else {
            throw OperationError.conflict(code: "last_admin", message: "A company keeps at least one admin: make someone else an admin first.")
        }
    }
}
