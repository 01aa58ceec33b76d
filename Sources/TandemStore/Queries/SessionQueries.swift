import FluentKit
import Foundation

/// Logged-in browsers. The cookie holds a random token; the table holds its hash.
public enum SessionQueries {
    public static let lifetime: TimeInterval = 30 * 24 * 3600

    /// Returns the token to put in the cookie.
    public static func create(userID: UUID, now: Date, on db: any Database) async throws -> String {
        let token = db.identifiers.token(32)
        let session = UserSession(tokenHash: SecureToken.hash(token), userID: userID, createdAt: now, expiresAt: now.addingTimeInterval(lifetime))
        try await session.create(on: db)
        return token
    }

    public static func find(token: String, now: Date, on db: any Database) async throws -> (UserSession, User)? {
        guard let session = try await UserSession.query(on: db)
            .filter(\.$tokenHash == SecureToken.hash(token))
            .filter(\.$expiresAt > now)
            .with(\.$user)
            .first()
        else { return nil }
        return (session, session.user)
    }

    public static func delete(token: String, on db: any Database) async throws {
        try await UserSession.query(on: db).filter(\.$tokenHash == SecureToken.hash(token)).delete()
    }

    /// A user's live sessions, newest first (Settings lists them to end one).
    public static func ofUser(_ userID: UUID, now: Date, on db: any Database) async throws -> [UserSession] {
        try await UserSession.query(on: db).filter(\.$user.$id == userID).filter(\.$expiresAt > now)
            .sort(\.$createdAt, .descending).sort(\.$id).all()
    }

    /// Ends one of the user's sessions; false when the id is not theirs.
    public static func end(id: UUID, userID: UUID, on db: any Database) async throws -> Bool {
        guard try await UserSession.query(on: db).filter(\.$id == id).filter(\.$user.$id == userID).first() != nil else { return false }
        try await UserSession.query(on: db).filter(\.$id == id).filter(\.$user.$id == userID).delete()
        return true
    }

    /// After a password change every other browser is signed out.
    public static func deleteAll(userID: UUID, except keep: UUID? = nil, on db: any Database) async throws {
        let query = UserSession.query(on: db).filter(\.$user.$id == userID)
        if let keep { query.filter(\.$id != keep) }
        try await query.delete()
    }
}
