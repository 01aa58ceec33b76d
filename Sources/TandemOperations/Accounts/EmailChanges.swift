import FluentKit
import Foundation
import TandemDomain
import TandemStore

/// Changing one's login address: asked from Settings (the caller has checked the password),
/// confirmed from a link mailed to the new address. Until then the old address is the login,
/// so a typo locks nobody out; the old address is told, so a stolen session is noticed.
public enum EmailChanges {
    public static func request(
        userID: UUID, currentEmail: String, newEmail raw: String, now: Date, confirmURL: @escaping @Sendable (String) -> String, on db: any Database
    ) async throws {
        var errors = FieldErrors()
        Validate.email(raw, into: &errors)
        if let message = errors["email"] { throw OperationError.invalid(field: "new_email", message: message) }
        let email = Validate.normalizedEmail(raw)
        guard email != currentEmail else { throw OperationError.invalid(field: "new_email", message: "That is already your address.") }
        // Said plainly: whoever can log in here could learn it by signing up with it anyway.
        if try await AccountQueries.user(email: email, on: db) != nil {
            throw OperationError.taken(field: "new_email", message: "\(email) is already someone's login.")
        }
        try await db.transaction { db in
            let token = try await EmailChangeQueries.issue(userID: userID, newEmail: email, now: now, on: db)
            try await Outbox.send(
                to: email, subject: "Confirm your new Tandem login",
                body: """
                Someone (we hope you) asked to log in to Tandem with this address instead of \(currentEmail).
                Open this link within 24 hours to confirm; until then nothing changes:

                \(confirmURL(token))
                """,
                now: now, on: db
            )
            try await Outbox.send(
                to: currentEmail, subject: "Your Tandem login may change",
                body: "A change of your login to \(email) was asked for. It happens only if the link sent there is opened. If it was not you, change your password now.",
                now: now, on: db
            )
        }
    }
}
