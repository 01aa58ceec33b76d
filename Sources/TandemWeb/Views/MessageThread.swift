import Foundation
import TandemOperations
import TandemStore

/// A thread as both sides' pages show it (the `message_thread` partial): the messages,
/// oldest first, each marked as the reader's side or the other's, and the reply form.
struct MessageThread {
    struct Row {
        let from: String
        let when: String
        let body: String
        let mine: Bool
    }

    static let shown = 200

    let rows: [Row]
    let hasRows: Bool
    let action: String
    let form: FormState
    let maxLength = Messages.maxLength
    let canWrite: Bool

    init(_ messages: [Message], reader: Message.Side, otherName: String, action: String, form: FormState, canWrite: Bool = true) {
        rows = messages.map { message in
            Row(from: message.senderSide == reader ? message.senderName : "\(message.senderName) · \(otherName)",
                when: DateText.minute(message.createdAt), body: message.body, mine: message.senderSide == reader)
        }
        hasRows = !rows.isEmpty
        self.action = action
        self.form = form
        self.canWrite = canWrite
    }

    /// The links a message's mail carries back to each side's view of the thread.
    static func links(partnershipID: UUID, baseURL: String) -> Messages.Links {
        Messages.Links(partnerThread: baseURL + SiteRoute.partnerProgramMessages(id: partnershipID).path,
                       vendorThread: baseURL + SiteRoute.vendorThread(partnership: partnershipID).path)
    }
}
