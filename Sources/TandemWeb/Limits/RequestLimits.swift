import Foundation
import Hummingbird
import TandemDomain

/// The rate limits of one node, built from the configuration once.
struct RequestLimits: Sendable {
    /// Log-in, sign-up and password-reset requests per client address, whatever email they name.
    let authByAddress: RateLimiter?
    /// Reset mails per email address: a few an hour, so nobody can flood an inbox through us.
    let resetMailsByEmail: RateLimiter
    /// API requests per key.
    let apiByKey: RateLimiter?
    /// API requests without a valid key, per client address: guessing keys is slow.
    let apiUnauthenticatedByAddress: RateLimiter
    /// File uploads read at once.
    let uploads: UploadGate

    static let resetMailsPerHour = 3
    static let unauthenticatedAPIPerMinute = 60

    init(config: AppConfig, now: @escaping @Sendable () -> Date) {
        authByAddress = config.authRateLimitPer10Minutes > 0
            ? RateLimiter(policy: RateLimitPolicy(capacity: config.authRateLimitPer10Minutes, period: 600), now: now) : nil
        resetMailsByEmail = RateLimiter(policy: RateLimitPolicy(capacity: Self.resetMailsPerHour, period: 3600), now: now)
        apiByKey = config.apiRateLimitPerMinute > 0
            ? RateLimiter(policy: RateLimitPolicy(capacity: config.apiRateLimitPerMinute, period: 60), now: now) : nil
        apiUnauthenticatedByAddress = RateLimiter(policy: RateLimitPolicy(capacity: Self.unauthenticatedAPIPerMinute, period: 60), now: now)
        uploads = UploadGate(capacity: config.uploadsAtOnce)
    }

    /// The client's address as the socket gives it. Behind a reverse proxy every request
    /// comes from the proxy's address; the README says so.
    static func address(_ context: AppRequestContext) -> String {
        context.remoteAddress?.ipAddress ?? "unknown"
    }
}

/// An error whose answer carries headers of its own (`Retry-After`, `Allow`, `RateLimit-*`),
/// which the error middleware keeps on the page or JSON it renders.
protocol HeaderCarryingError: Error {
    var headers: HTTPFields { get }
}

extension HTTPError: HeaderCarryingError {}

/// A request refused by a rate limit: 429 with `Retry-After`, as a page or as JSON.
struct RateLimited: HeaderCarryingError, HTTPResponseError {
    let decision: RateLimitDecision
    let message: String

    var status: HTTPResponse.Status { .tooManyRequests }
    var headers: HTTPFields { [.retryAfter: String(decision.retryAfterSeconds)] }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: headers)
    }
}

extension HTTPFields {
    /// `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` from a decision.
    mutating func setRateLimit(_ decision: RateLimitDecision) {
        self[.init("RateLimit-Limit")!] = String(decision.limit)
        self[.init("RateLimit-Remaining")!] = String(decision.remaining)
        self[.init("RateLimit-Reset")!] = String(decision.resetSeconds)
    }
}
