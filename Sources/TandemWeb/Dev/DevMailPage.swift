import Foundation
import Hummingbird
import TandemStore

/// /dev/mail: the outbox, for a developer without SMTP to read the emails Tandem sent
/// (and click a reset link). Not registered in production.
struct DevMailPage: WebPages {
    let env: WebEnvironment

    struct Mail {
        let to: String
        let subject: String
        let body: String
        let status: String
        let when: String
        let links: [String]
    }

    struct Model {
        let shell: Shell
        let mails: [Mail]
        let hasMails: Bool
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.devMail.routerPath) { _, context in
            let emails = try await Outbox.recent(limit: 50, on: store.db)
            let mails = emails.map { email in
                Mail(to: email.toAddress, subject: email.subject, body: email.textBody, status: email.status.rawValue,
                     when: DateText.minute(email.createdAt), links: Self.links(in: email.textBody))
            }
            return try renderer.html("dev_mail", Model(
                shell: Shell.make(title: "Dev mailbox", area: .bare, context: context, renderer: renderer),
                mails: mails, hasMails: !mails.isEmpty
            ))
        }
    }

    /// Links in a plain-text body, so they can be clicked.
    static func links(in text: String) -> [String] {
        text.split(whereSeparator: { $0.isWhitespace }).map(String.init).filter { $0.hasPrefix("http://") || $0.hasPrefix("https://") }
    }
}
