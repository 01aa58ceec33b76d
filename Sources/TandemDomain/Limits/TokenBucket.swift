import Foundation

/// How many requests a caller may make: a burst of `capacity`, refilled evenly at
/// `capacity` tokens every `period`.
public struct RateLimitPolicy: Sendable, Equatable {
    public let capacity: Int
    public let period: TimeInterval

    public init(capacity: Int, period: TimeInterval) {
        precondition(capacity > 0 && period > 0)
        self.capacity = capacity
        self.period = period
    }

    var refillPerSecond: Double { Double(capacity) / period }
}

/// The answer to "may this request go ahead?", with what the `RateLimit-*` and
/// `Retry-After` headers say.
public struct RateLimitDecision: Sendable, Equatable {
    public let allowed: Bool
    public let limit: Int
    /// Whole requests left right now.
    public let remaining: Int
    /// Seconds until the bucket is full again.
    public let resetSeconds: Int
    /// Seconds until the next request would be allowed (0 when this one was).
    public let retryAfterSeconds: Int
}

/// One caller's token bucket. Pure: the time is passed in.
public struct TokenBucket: Sendable, Equatable {
    public private(set) var tokens: Double
    public private(set) var updatedAt: Date

    public init(policy: RateLimitPolicy, now: Date) {
        tokens = Double(policy.capacity)
        updatedAt = now
    }

    /// Takes one token if there is one.
    public mutating func take(policy: RateLimitPolicy, now: Date) -> RateLimitDecision {
        let elapsed = max(0, now.timeIntervalSince(updatedAt))
        tokens = min(Double(policy.capacity), tokens + elapsed * policy.refillPerSecond)
        updatedAt = now
        let allowed = tokens >= 1
        if allowed { tokens -= 1 }
        let missing = Double(policy.capacity) - tokens
        let retry = allowed ? 0 : Int(((1 - tokens) / policy.refillPerSecond).rounded(.up))
        return RateLimitDecision(
            allowed: allowed, limit: policy.capacity, remaining: Int(tokens.rounded(.down)),
            resetSeconds: Int((missing / policy.refillPerSecond).rounded(.up)), retryAfterSeconds: max(allowed ? 0 : 1, retry)
        )
    }

    /// Whether a caller untouched since `updatedAt` would be back to a full bucket at `now`.
    public func isFull(policy: RateLimitPolicy, now: Date) -> Bool {
        tokens + max(0, now.timeIntervalSince(updatedAt)) * policy.refillPerSecond >= Double(policy.capacity)
    }
}
