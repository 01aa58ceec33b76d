import FluentKit
import Foundation
import TandemIntegrations
import TandemStore

/// Delivers one outbox email over SMTP, or keeps it for /dev/mail when no SMTP is configured.
public struct DeliverEmailJob: JobHandler {
    public static let kind = Outbox.deliverKind
    public var kind: String { Self.kind }

    public typealias Payload = Outbox.Payload

    let transport: (any MailTransport)?
    let from: String

    public init(transport: (any MailTransport)?, from: String) {
        self.transport = transport
        self.from = from
    }

    public func run(payload: String, context: JobContext) async throws {
        let payload = try context.decode(Payload.self, from: payload)
        let db = context.store.db
        guard let email = try await OutboxEmail.find(payload.emailID, on: db), email.status == .queued else { return }
        guard let transport else {
            email.status = .kept
            try await email.save(on: db)
            return
        }
        do {
            try await transport.send(OutgoingEmail(
                from: from, to: email.toAddress, subject: email.subject, textBody: email.textBody,
                messageID: "tandem-" + payload.emailID.uuidString.lowercased()
            ))
            email.status = .sent
            email.sentAt = context.now()
            email.lastError = nil
        } catch {
            email.lastError = String(describing: error)
            if context.isLastAttempt { email.status = .failed }
            try await email.save(on: db)
            throw error
        }
        try await email.save(on: db)
    }
}
