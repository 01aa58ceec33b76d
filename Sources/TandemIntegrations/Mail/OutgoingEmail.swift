/// One plain-text message to one recipient; the transport decides how it travels.
public struct OutgoingEmail: Sendable, Equatable {
    /// Bare address, e.g. `noreply@example.com`. When empty, the transport's configured sender is used.
    public var from: String
    /// Bare address.
    public var to: String
    public var subject: String
    public var textBody: String

    public init(from: String, to: String, subject: String, textBody: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.textBody = textBody
    }
}

/// Anything that can deliver an `OutgoingEmail`: SMTP in production, an outbox or a recorder elsewhere.
public protocol MailTransport: Sendable {
    func send(_ email: OutgoingEmail) async throws
}
