/// A failed SMTP exchange: which step failed and, when the server answered, its reply.
public struct SMTPError: Error, CustomStringConvertible, Sendable {
    /// The step that failed, e.g. "RCPT TO", "connect", "compose".
    public let step: String
    /// The server's reply code, or nil when the failure was not a reply (network, timeout, bad input).
    public let code: Int?
    /// The server's reply text, or what went wrong.
    public let message: String

    public init(step: String, code: Int? = nil, message: String) {
        self.step = step
        self.code = code
        self.message = message
    }

    public var description: String {
        if let code {
            return "SMTP \(step) failed: the server replied \(code) \(message)"
        }
        return "SMTP \(step) failed: \(message)"
    }
}
