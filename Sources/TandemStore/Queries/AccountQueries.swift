import FluentKit
import Foundation
import TandemDomain

/// Creating and finding the people and organisations that use Tandem.
public enum AccountQueries {
    public struct EmailTaken: Error {}

    public static func user(email: String, on db: any Database) async throws -> User? {
        try await User.query(on: db).filter(\.$email == Validate.normalizedEmail(email)).first()
    }

    /// A user who signs up becomes the owner of a new partner account named after them.
    public static func createPartner(
        name: String, email: String, passwordHash: String, accountName: String? = nil, now: Date, on db: any Database
    ) async throws -> (User, PartnerAccount) {
        try await db.transaction { db in
            if try await user(email: email, on: db) != nil { throw EmailTaken() }
            let user = User(email: Validate.normalizedEmail(email), name: name, passwordHash: passwordHash, createdAt: now)
            try await user.create(on: db)
            let account = PartnerAccount(name: accountName ?? name, createdAt: now)
            try await account.create(on: db)
            try await PartnerMember(accountID: account.requireID(), userID: user.requireID(), role: .owner, createdAt: now).create(on: db)
            return (user, account)
        }
    }

    /// A company and its first admin. The company slug is made unique by suffixing.
    public static func createVendor(
        company companyName: String, name: String, email: String, passwordHash: String, now: Date, on db: any Database
    ) async throws -> (User, Company) {
        try await db.transaction { db in
            if try await user(email: email, on: db) != nil { throw EmailTaken() }
            let user = User(email: Validate.normalizedEmail(email), name: name, passwordHash: passwordHash, createdAt: now)
            try await user.create(on: db)
            let base = Slug.make(from: companyName).isEmpty ? "company" : Slug.make(from: companyName)
            var slug = base
            var suffix = 2
            while try await Company.query(on: db).filter(\.$slug == slug).count() > 0 {
                slug = "\(base)-\(suffix)"
                suffix += 1
            }
            let company = Company(name: companyName, slug: slug, createdAt: now)
            try await company.create(on: db)
            try await CompanyMember(companyID: company.requireID(), userID: user.requireID(), role: .admin, createdAt: now).create(on: db)
            return (user, company)
        }
    }

    /// A new user who joins a company as a teammate with `role`.
    @discardableResult
    public static func addVendorMember(
        companyID: UUID, name: String, email: String, passwordHash: String, role: VendorRole, now: Date, on db: any Database
    ) async throws -> User {
        try await newUser(name: name, email: email, passwordHash: passwordHash, now: now, on: db) { user, db in
            try await CompanyMember(companyID: companyID, userID: user.requireID(), role: role, createdAt: now).create(on: db)
        }
    }

    /// A new user who joins a partner account as a teammate with `role`.
    @discardableResult
    public static func addPartnerMember(
        accountID: UUID, name: String, email: String, passwordHash: String, role: PartnerRole, now: Date, on db: any Database
    ) async throws -> User {
        try await newUser(name: name, email: email, passwordHash: passwordHash, now: now, on: db) { user, db in
            try await PartnerMember(accountID: accountID, userID: user.requireID(), role: role, createdAt: now).create(on: db)
        }
    }

    /// A user for a new address and its membership (`join`), in one transaction; a taken address is `EmailTaken`.
    static func newUser(
        name: String, email: String, passwordHash: String, now: Date, on db: any Database,
        join: @escaping @Sendable (User, any Database) async throws -> Void
    ) async throws -> User {
        try await db.transaction { db in
            if try await user(email: email, on: db) != nil { throw EmailTaken() }
            let user = User(email: Validate.normalizedEmail(email), name: name, passwordHash: passwordHash, createdAt: now)
            try await user.create(on: db)
            try await join(user, db)
            return user
        }
    }

    /// A partner account's teammates with their users, oldest first.
    public static func team(partnerAccountID: UUID, on db: any Database) async throws -> [PartnerMember] {
        try await PartnerMember.query(on: db).filter(\.$account.$id == partnerAccountID).with(\.$user).sort(\.$createdAt).sort(\.$id).all()
    }

    /// Whether the address is one of the partner account's people: two indexed lookups, so a
    /// signup's self-referral check does not grow with the team.
    public static func isPartnerMember(email: String, accountID: UUID, on db: any Database) async throws -> Bool {
        guard let userID = try await user(email: email, on: db)?.id else { return false }
        return try await PartnerMember.query(on: db).filter(\.$account.$id == accountID).filter(\.$user.$id == userID).first() != nil
    }

    /// The addresses of everyone in a partner account, oldest member first.
    public static func emails(partnerAccountID: UUID, on db: any Database) async throws -> [String] {
        try await PartnerMember.query(on: db).filter(\.$account.$id == partnerAccountID).with(\.$user).sort(\.$createdAt).all().map(\.user.email)
    }

    /// The addresses of a company's teammates in `roles`, oldest first.
    public static func emails(companyID: UUID, roles: [VendorRole], on db: any Database) async throws -> [String] {
        try await CompanyMember.query(on: db).filter(\.$company.$id == companyID).filter(\.$role ~~ roles).with(\.$user).sort(\.$createdAt).all()
            .map(\.user.email)
    }

    /// A company's teammates with their users, oldest first.
    /// A company by its slug (the command line names companies so).
    public static func company(slug: String, on db: any Database) async throws -> Company? {
        try await Company.query(on: db).filter(\.$slug == slug).first()
    }

    public static func team(companyID: UUID, on db: any Database) async throws -> [CompanyMember] {
        try await CompanyMember.query(on: db).filter(\.$company.$id == companyID).with(\.$user).sort(\.$createdAt).sort(\.$id).all()
    }

    public static func memberships(userID: UUID, on db: any Database) async throws -> ([PartnerMember], [CompanyMember]) {
        let partner = try await PartnerMember.query(on: db).filter(\.$user.$id == userID).with(\.$account).sort(\.$createdAt).all()
        let vendor = try await CompanyMember.query(on: db).filter(\.$user.$id == userID).with(\.$company).sort(\.$createdAt).all()
        return (partner, vendor)
    }

    public static func rename(userID: UUID, to name: String, on db: any Database) async throws {
        try await User.query(on: db).filter(\.$id == userID).set(\.$name, to: name).update()
    }

    /// A new password ends every other session of the user (the one making the change stays).
    public static func changePassword(userID: UUID, hash: String, keepingSession sessionID: UUID?, on db: any Database) async throws {
        try await db.transaction { db in
            try await User.query(on: db).filter(\.$id == userID).set(\.$passwordHash, to: hash).update()
            try await SessionQueries.deleteAll(userID: userID, except: sessionID, on: db)
        }
    }
}
