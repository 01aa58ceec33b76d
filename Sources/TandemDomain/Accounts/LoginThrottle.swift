import Foundation

/// Failed-login bookkeeping for one email address.
///
/// Kept per address whether or not an account exists, so that a locked-out
/// answer reveals nothing about which emails are registered. Every attempt is
/// counted before its password is checked (`LoginThrottleQueries.countAttempt`);
/// a right password clears the count.
public struct LoginThrottle: Sendable, Equatable {
    public static let maxFailures = 6
    public static let lockDuration: TimeInterval = 15 * 60

    /// Attempts counted since the last success or the last expired lock, this one included.
    public var failures: Int
    public var lockedUntil: Date?

    public init(failures: Int = 0, lockedUntil: Date? = nil) {
        self.failures = failures
        self.lockedUntil = lockedUntil
    }

    /// Whether the attempt that produced this state may have its password checked: the
    /// first `maxFailures` attempts may; every later one is refused unseen until the lock ends.
    public var mayCheckPassword: Bool { failures <= LoginThrottle.maxFailures }

    /// Whether the address is locked after this attempt failed.
    public func isLocked(at now: Date) -> Bool {
        guard let lockedUntil else { return false }
        return now < lockedUntil
    }

    /// Seconds until the lock ends (at least 1), for `Retry-After`.
    public func retryAfter(at now: Date) -> Int {
        max(1, Int((lockedUntil ?? now).timeIntervalSince(now).rounded(.up)))
    }
}
