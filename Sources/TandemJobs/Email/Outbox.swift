import FluentKit
import Foundation
import TandemStore

/// Sending an email from anywhere in Tandem: a row in the outbox and a job to deliver it,
/// written on the caller's database so they commit or roll back with the change.
public enum Outbox {
    public static func send(to: String, subject: String, body: String, now: Date, on db: any Database) async throws {
        let email = OutboxEmail(toAddress: to, subject: subject, textBody: body, createdAt: now)
        try await email.create(on: db)
        try await JobQueue.enqueue(DeliverEmailJob.kind, payload: DeliverEmailJob.Payload(emailID: email.requireID()), runAt: now, now: now, on: db)
    }
}
