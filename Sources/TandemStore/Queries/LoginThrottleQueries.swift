import FluentKit
import Foundation
import SQLKit
import TandemDomain

/// Failed-login counting that holds under concurrency.
///
/// An attempt is counted before its password is checked, in one upsert that returns the new
/// count: parallel guesses each get their own number, so only the first
/// `LoginThrottle.maxFailures` of them are ever checked, however many arrive at once. The
/// attempt that reaches the limit also starts the lock, in the same statement, so nothing
/// (not even a crash between counting and checking) can leave a counted address unlocked.
public enum LoginThrottleQueries {
    struct Row: Decodable {
        let failures: Int
        let locked_until: Date?
    }

    /// Counts an attempt for `email` and returns the state after it. A lock that has run
    /// out starts the count again from one.
    public static func countAttempt(email: String, now: Date, on db: any Database) async throws -> LoginThrottle {
        let sql = db as! any SQLDatabase
        let lockUntil = now.addingTimeInterval(LoginThrottle.lockDuration)
        let expired = SQLRaw("login_throttles.locked_until IS NOT NULL AND login_throttles.locked_until <= ")
        let row = try await sql.raw("""
            INSERT INTO login_throttles (id, email, failures, locked_until) VALUES (\(bind: UUID()), \(bind: email), 1, NULL)
            ON CONFLICT (email) DO UPDATE SET
              failures = CASE WHEN \(expired)\(bind: now) THEN 1 ELSE login_throttles.failures + 1 END,
              locked_until = CASE
                WHEN \(expired)\(bind: now) THEN NULL
                WHEN login_throttles.locked_until IS NULL AND login_throttles.failures + 1 >= \(literal: LoginThrottle.maxFailures) THEN \(bind: lockUntil)
                ELSE login_throttles.locked_until END
            RETURNING failures, locked_until
            """).first(decoding: Row.self)
        guard let row else { return LoginThrottle(failures: LoginThrottle.maxFailures + 1, lockedUntil: lockUntil) }
        return LoginThrottle(failures: row.failures, lockedUntil: row.locked_until)
    }

    /// A right password: the address starts afresh.
    public static func clear(email: String, on db: any Database) async throws {
        try await (db as! any SQLDatabase).delete(from: LoginThrottleRecord.schema).where("email", .equal, email).run()
    }
}
