import FluentKit
import Foundation
import SQLKit

/// Single-use links to choose a password: "forgot password" and partner invitations.
public enum PasswordResetQueries {
    public static let lifetime: TimeInterval = 3600
    /// An invitation may sit in an inbox longer than a reset link.
    public static let invitationLifetime: TimeInterval = 7 * 24 * 3600

    /// Stores the hash of a new token and returns the token for the link.
    public static func issue(userID: UUID, now: Date, lifetime: TimeInterval = lifetime, on db: any Database) async throws -> String {
        let token = db.identifiers.token(32)
        try await PasswordReset(tokenHash: SecureToken.hash(token), userID: userID, createdAt: now, expiresAt: now.addingTimeInterval(lifetime)).create(on: db)
        return token
    }

    /// The reset a link's token names, if it is unused and unexpired.
    public static func usable(token: String, now: Date, on db: any Database) async throws -> PasswordReset? {
        guard !token.isEmpty, token.count < 200 else { return nil }
        guard let reset = try await PasswordReset.query(on: db).filter(\.$tokenHash == SecureToken.hash(token)).first() else { return nil }
        guard reset.usedAt == nil, reset.expiresAt > now else { return nil }
        return reset
    }

    /// Uses the link: sets the password, ends every session and clears the lockout. Marking the
    /// token used is the guard: only the request that flips used_at from NULL changes the
    /// password, so two racing submissions change it once. False when the link was already used.
    public static func complete(_ reset: PasswordReset, passwordHash: String, now: Date, on db: any Database) async throws -> Bool {
        let userID = reset.$user.id
        let resetID = try reset.requireID()
        return try await db.transaction { db -> Bool in
            let flipped = try await (db as! any SQLDatabase).update(PasswordReset.schema)
                .set("used_at", to: now)
                .where("id", .equal, resetID)
                .where("used_at", .is, SQLLiteral.null)
                .returning("id")
                .all()
            guard flipped.count == 1, let user = try await User.find(userID, on: db) else { return false }
            user.passwordHash = passwordHash
            try await user.save(on: db)
            try await SessionQueries.deleteAll(userID: userID, on: db)
            try await LoginThrottleQueries.clear(email: user.email, on: db)
            return true
        }
    }
}
