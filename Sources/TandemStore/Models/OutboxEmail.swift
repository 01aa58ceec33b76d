import FluentKit
import Foundation

/// Every email Tandem sends goes through here first, in the same transaction as
/// whatever caused it; a job delivers it (or keeps it for /dev/mail without SMTP).
public final class OutboxEmail: Model, @unchecked Sendable {
    public static let schema = "outbox_emails"

    public enum Status: String, Codable, Sendable {
        /// Waiting for the delivery job.
        case queued
        case sent
        /// No SMTP configured: kept for a developer to read at /dev/mail.
        case kept
        case failed
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "to_address") public var toAddress: String
    @Field(key: "subject") public var subject: String
    @Field(key: "text_body") public var textBody: String
    @Enum(key: "status") public var status: Status
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "sent_at") public var sentAt: Date?
    @OptionalField(key: "last_error") public var lastError: String?

    public init() {}

    public init(toAddress: String, subject: String, textBody: String, createdAt: Date) {
        self.toAddress = toAddress
        self.subject = subject
        self.textBody = textBody
        self.status = .queued
        self.createdAt = createdAt
    }
}
