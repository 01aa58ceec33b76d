import FluentKit
import Foundation

/// Failed logins per email address (see `TandemDomain.LoginThrottle`).
public final class LoginThrottleRecord: Model, @unchecked Sendable {
    public static let schema = "login_throttles"

    @ID(key: .id) public var id: UUID?
    @Field(key: "email") public var email: String
    @Field(key: "failures") public var failures: Int
    @OptionalField(key: "locked_until") public var lockedUntil: Date?

    public init() {}

    public init(email: String, failures: Int, lockedUntil: Date?) {
        self.email = email
        self.failures = failures
        self.lockedUntil = lockedUntil
    }
}
