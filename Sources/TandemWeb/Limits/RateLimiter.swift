import Foundation
import Synchronization
import TandemDomain

/// Token buckets by caller (an API key, a client address, an email address), kept in
/// this process's memory: the limits hold per node, which is what they are for (keeping
/// one caller from taking a node's capacity or guessing quickly). Buckets that have
/// filled up again are forgotten, so memory stays bounded by recent callers.
final class RateLimiter: Sendable {
    let policy: RateLimitPolicy
    let now: @Sendable () -> Date
    private let buckets = Mutex<[String: TokenBucket]>([:])
    static let pruneAbove = 50_000

    init(policy: RateLimitPolicy, now: @escaping @Sendable () -> Date) {
        self.policy = policy
        self.now = now
    }

    func take(_ caller: String) -> RateLimitDecision {
        let at = now()
        return buckets.withLock { buckets in
            if buckets.count > Self.pruneAbove {
                buckets = buckets.filter { !$0.value.isFull(policy: policy, now: at) }
            }
            var bucket = buckets[caller] ?? TokenBucket(policy: policy, now: at)
            let decision = bucket.take(policy: policy, now: at)
            buckets[caller] = bucket
            return decision
        }
    }
}
