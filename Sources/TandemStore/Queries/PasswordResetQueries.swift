import FluentKit
import Foundation

/// Single-use links to choose a password: "forgot password" and partner invitations.
public enum PasswordResetQueries {
    public static let lifetime: TimeInterval = 3600
    /// An invitation may sit in an inbox longer than a reset link.
    public static let invitationLifetime: TimeInterval = 7 * 24 * 3600

    /// Stores the hash of a new token and returns the token for the link.
    public static func issue(userID: UUID, now: Date, lifetime: TimeInterval = lifetime, on db: any Database) async throws -> String {
        let token = SecureToken.generate()
        try await PasswordReset(tokenHash: SecureToken.hash(token), userID: userID, createdAt: now, expiresAt: now.addingTimeInterval(lifetime)).create(on: db)
        return token
    }
}
