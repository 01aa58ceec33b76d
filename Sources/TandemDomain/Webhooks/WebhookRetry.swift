import Foundation

/// When a failed delivery is tried again and when an endpoint is given up on.
///
/// Exponential from 15 s, doubling to a 12-hour cap, each delay moved by up to ±20 % so that
/// deliveries failing together do not return together; a delivery is retried for three days
/// from its first attempt (about 17 attempts). An endpoint that has failed for three days, or
/// 50 deliveries in a row, is disabled and its owner told.
public enum WebhookRetry {
    public static let base: TimeInterval = 15
    public static let cap: TimeInterval = 12 * 3600
    public static let retryWindow: TimeInterval = 3 * 86_400
    public static let disableAfterFailures = 50
    public static let disableAfterFailingFor: TimeInterval = 3 * 86_400

    /// When to try again after the `attempts`-th failed attempt (1-based), or nil when the
    /// three days since `firstAttempt` are over. `jitter` is in 0..<1 (0.5 means none).
    public static func nextAttempt(afterAttempts attempts: Int, firstAttempt: Date, now: Date, jitter: Double) -> Date? {
        let exponent = Double(max(0, min(attempts - 1, 30)))
        let delay = min(cap, base * pow(2, exponent)) * (0.8 + 0.4 * min(max(jitter, 0), 1))
        let next = now.addingTimeInterval(delay)
        return next.timeIntervalSince(firstAttempt) <= retryWindow ? next : nil
    }

    /// Whether an endpoint that has failed `consecutiveFailures` times since `failingSince` is given up on.
    public static func shouldDisable(consecutiveFailures: Int, failingSince: Date?, now: Date) -> Bool {
        if consecutiveFailures >= disableAfterFailures { return true }
        if let failingSince, now.timeIntervalSince(failingSince) >= disableAfterFailingFor { return true }
        return false
    }
}

/// A customer's email as a partner's postback shows it: enough to match their own records,
/// not enough to read it (`j***@example.com`).
public enum EmailMask {
    /// "dana@example.com" → "d***@example.com"; anything without a local part → "***".
    public static func mask(_ email: String) -> String {
        guard let at = email.firstIndex(of: "@"), at > email.startIndex else { return "***" }
        return String(email[email.startIndex]) + "***" + email[at...]
    }
}
