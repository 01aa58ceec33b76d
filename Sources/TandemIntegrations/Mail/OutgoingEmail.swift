/// One plain-text message to one recipient; the transport decides how it travels.
public struct OutgoingEmail: Sendable, Equatable {
    /// Bare address, e.g. `noreply@example.com`. When empty, the transport's configured sender is used.
    public var from: String
    /// Bare address.
    public var to: String
    public var subject: String
    public var textBody: String
    /// The left part of the `Message-ID` header. Tandem passes its outbox row's id, so a mail
    /// sent again after a lost answer carries the same id and a receiver can tell it is one
    /// mail; nil makes a random one.
    public var messageID: String?

    public init(from: String, to: String, subject: String, textBody: String, messageID: String? = nil) {
        self.from = from
        self.to = to
        self.subject = subject
        self.textBody = textBody
        self.messageID = messageID
    }
}

/// Anything that can deliver an `OutgoingEmail`: SMTP in production, an outbox or a recorder elsewhere.
public protocol MailTransport: Sendable {
    func send(_ email: OutgoingEmail) async throws
}
