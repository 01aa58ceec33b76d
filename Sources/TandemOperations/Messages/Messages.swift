import FluentKit
import Foundation
import SQLKit
import TandemDomain
import TandemStore

/// Messages between a partner and the vendor: one thread per partnership. Posting stores
/// the message and tells the other side by mail, at most one mail per thread per 10
/// minutes (a conversation is not a mail per line), with a link back to the thread.
public enum Messages {
    public static let maxLength = 5000
    public static let mailInterval: TimeInterval = 600

    /// Where each side reads the thread, for the mail's link.
    public struct Links: Sendable {
        public let partnerThread: String
        public let vendorThread: String

        public init(partnerThread: String, vendorThread: String) {
            self.partnerThread = partnerThread
            self.vendorThread = vendorThread
        }
    }

    public static func post(
        partnership: Partnership, program: Program, from side: Message.Side, senderUserID: UUID?, senderName: String,
        body raw: String, links: Links, now: Date, on db: any Database
    ) async throws -> Message {
        let body = raw.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\r\n", with: "\n")
        guard !body.isEmpty else { throw OperationError.missing(field: "body", message: "Write a message first.") }
        // Counted as JSON Schema's maxLength counts (code points), so the API and its document agree.
        guard body.unicodeScalars.count <= maxLength else { throw OperationError.invalid(field: "body", message: "A message is at most \(maxLength) characters.") }
        guard !TextRules.hasControlCharacter(body, allowingLineBreaks: true) else {
            throw OperationError.invalid(field: "body", message: "A message may not contain control characters.")
        }
        guard partnership.status == .active else {
            throw OperationError.conflict(code: "partnership_not_active", message: "Messages go to active partners only.")
        }
        let partnershipID = try partnership.requireID()
        let message = Message(partnershipID: partnershipID, senderSide: side, senderUserID: senderUserID, senderName: senderName, body: body, createdAt: now)
        try await db.transaction { db in
            try await message.create(on: db)
            try await EventOutbox.record(.messageCreated, companyID: program.$company.id, partnerAccountID: partnership.$partnerAccount.id,
                                         data: try MessageObject(message), at: now, on: db)
            guard try await MessageReads.claimMail(partnershipID: partnershipID, to: side.other, now: now, interval: mailInterval, on: db as! any SQLDatabase) else { return }
            let recipients: [String]
            let link: String
            let from: String
            switch side {
            case .partner:
                let account = try await PartnerAccount.find(partnership.$partnerAccount.id, on: db)
                recipients = try await AccountQueries.emails(companyID: program.$company.id, roles: [.admin, .manager], on: db)
                (link, from) = (links.vendorThread, "\(senderName) (\(account?.name ?? "a partner"))")
            case .vendor:
                recipients = try await AccountQueries.emails(partnerAccountID: partnership.$partnerAccount.id, on: db)
                (link, from) = (links.partnerThread, "\(senderName) of \(program.name)")
            }
            let preview = body.count > 500 ? String(body.prefix(500)) + "…" : body
            for address in recipients {
                try await Outbox.send(
                    to: address, subject: "New message from \(from)",
                    body: """
                    \(from) wrote in \(program.name):

                    \(preview)

                    Read and answer: \(link)
                    (More messages in this conversation within 10 minutes are not mailed one by one.)
                    """,
                    now: now, on: db
                )
            }
        }
        return message
    }
}
