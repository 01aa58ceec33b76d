import FluentKit
import Foundation
import SQLKit

/// Single-use links that make a new address the login, mailed to that address.
public enum EmailChangeQueries {
    public static let lifetime: TimeInterval = 24 * 3600

    /// Stores the hash of a new token and returns the token for the link.
    public static func issue(userID: UUID, newEmail: String, now: Date, on db: any Database) async throws -> String {
        let token = db.identifiers.token(32)
        try await EmailChange(tokenHash: SecureToken.hash(token), userID: userID, newEmail: newEmail, createdAt: now,
                              expiresAt: now.addingTimeInterval(lifetime)).create(on: db)
        return token
    }

    public enum Outcome: Sendable, Equatable {
        case changed(old: String, new: String)
        /// Unknown, used or expired.
        case unusable
        /// Someone took the address between the request and the click.
        case taken(String)
    }

    /// Uses the link: the new address becomes the login and every session ends (the person
    /// logs in again with it). Flipping used_at from NULL is the guard against a double click.
    public static func confirm(token: String, now: Date, on db: any Database) async throws -> Outcome {
        guard !token.isEmpty, token.count < 200,
              let change = try await EmailChange.query(on: db).filter(\.$tokenHash == SecureToken.hash(token)).first(),
              change.usedAt == nil, change.expiresAt > now, let changeID = change.id else { return .unusable }
        do {
            return try await flip(change, changeID: changeID, now: now, on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return .taken(change.newEmail)  // taken by a sign-up in the same instant
        }
    }

    static func flip(_ change: EmailChange, changeID: UUID, now: Date, on db: any Database) async throws -> Outcome {
        try await db.transaction { db -> Outcome in
            let flipped = try await (db as! any SQLDatabase).update(EmailChange.schema)
                .set("used_at", to: now).where("id", .equal, changeID).where("used_at", .is, SQLLiteral.null)
                .returning("id").all()
            guard flipped.count == 1, let user = try await User.find(change.$user.id, on: db) else { return .unusable }
            if try await User.query(on: db).filter(\.$email == change.newEmail).first() != nil { return .taken(change.newEmail) }
            let old = user.email
            user.email = change.newEmail
            try await user.save(on: db)
            try await SessionQueries.deleteAll(userID: change.$user.id, on: db)
            return .changed(old: old, new: change.newEmail)
        }
    }
}
