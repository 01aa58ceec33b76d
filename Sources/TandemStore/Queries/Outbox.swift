import FluentKit
import Foundation

/// Sending an email from anywhere in Tandem: a row in the outbox and a job to deliver it,
/// written on the caller's database so they commit or roll back with the change.
/// `TandemJobs.DeliverEmailJob` runs the job.
public enum Outbox {
    public static let deliverKind = "deliver_email"

    public struct Payload: Codable, Sendable {
        public var emailID: UUID
        public init(emailID: UUID) { self.emailID = emailID }
        enum CodingKeys: String, CodingKey { case emailID = "email_id" }
    }

    /// The newest mails, for the development mailbox.
    public static func recent(limit: Int, on db: any Database) async throws -> [OutboxEmail] {
        try await OutboxEmail.query(on: db).sort(\.$createdAt, .descending).limit(limit).all()
    }

    @discardableResult
    public static func send(to: String, subject: String, body: String, now: Date, on db: any Database) async throws -> OutboxEmail {
        let email = OutboxEmail(toAddress: to, subject: subject, textBody: body, createdAt: now)
        try await email.create(on: db)
        try await JobQueue.enqueue(deliverKind, payload: Payload(emailID: email.requireID()), runAt: now, now: now, on: db)
        return email
    }
}
