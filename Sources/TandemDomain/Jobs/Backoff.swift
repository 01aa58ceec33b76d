import Foundation

/// When a failed job runs again: exponential, capped, so a broken SMTP server
/// is not hammered and a transient error clears quickly.
public struct Backoff: Sendable, Equatable {
    public var base: TimeInterval
    public var cap: TimeInterval

    public init(base: TimeInterval = 10, cap: TimeInterval = 3600) {
        self.base = base
        self.cap = cap
    }

    /// Delay after the `attempt`-th failure (1-based): base, 2·base, 4·base, … up to cap.
    public func delay(afterAttempt attempt: Int) -> TimeInterval {
        let exponent = max(0, min(attempt - 1, 30))
        return min(cap, base * pow(2, Double(exponent)))
    }
}
