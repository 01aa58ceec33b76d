import Foundation

/// Failed-login bookkeeping for one email address.
///
/// Kept per address whether or not an account exists, so that a locked-out
/// answer reveals nothing about which emails are registered.
public struct LoginThrottle: Sendable, Equatable {
    public static let maxFailures = 6
    public static let lockDuration: TimeInterval = 15 * 60

    public var failures: Int
    public var lockedUntil: Date?

    public init(failures: Int = 0, lockedUntil: Date? = nil) {
        self.failures = failures
        self.lockedUntil = lockedUntil
    }

    public func isLocked(at now: Date) -> Bool {
        guard let lockedUntil else { return false }
        return now < lockedUntil
    }

    /// After a lock has run out, counting starts again from zero.
    public func recordingFailure(at now: Date) -> LoginThrottle {
        var next = self
        if let lockedUntil = next.lockedUntil, now >= lockedUntil {
            next = LoginThrottle()
        }
        next.failures += 1
        if next.failures >= LoginThrottle.maxFailures {
            next.lockedUntil = now.addingTimeInterval(LoginThrottle.lockDuration)
        }
        return next
    }
}
