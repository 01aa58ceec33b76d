/// A payout call that did not get a definite answer: network trouble, timeouts, 5xx, 429,
/// authentication problems, or an answer that needs a person. Retrying the same request is safe;
/// it never means that money was not sent.
public struct PayoutError: Error, CustomStringConvertible, Sendable {
    /// "paypal" or "stripe".
    public let provider: String
    /// What was being done, e.g. "send", "status", "token".
    public let operation: String
    /// The HTTP status, or nil when there was no usable answer (network, timeout, unreadable body).
    public let status: Int?
    /// The provider's error name or code when it gave one (`INTERNAL_SERVER_ERROR`, `rate_limit`, …).
    public let code: String?
    /// The provider's message, or what went wrong.
    public let message: String

    public init(provider: String, operation: String, status: Int? = nil, code: String? = nil, message: String) {
        self.provider = provider
        self.operation = operation
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String {
        var text = "\(provider) \(operation) failed"
        if let status { text += " with HTTP \(status)" }
        if let code { text += " \(code)" }
        return text + ": \(message)"
    }
}
