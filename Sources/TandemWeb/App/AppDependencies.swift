import Foundation
import TandemIntegrations

/// What the outside world gives the app, injected so tests control it: the time,
/// how email leaves, and how expensive password hashing is.
public struct AppDependencies: Sendable {
    public var now: @Sendable () -> Date
    /// nil: no SMTP, emails are kept in the outbox for /dev/mail.
    public var mailTransport: (any MailTransport)?
    /// bcrypt cost; tests lower it because each hash at the real cost takes ~0.1 s.
    public var bcryptCost: UInt8

    public init(now: @escaping @Sendable () -> Date = Date.init, mailTransport: (any MailTransport)? = nil, bcryptCost: UInt8 = 12) {
        self.now = now
        self.mailTransport = mailTransport
        self.bcryptCost = bcryptCost
    }

    public static func live(config: AppConfig) -> AppDependencies {
        AppDependencies(mailTransport: config.smtp.map { SMTPClient(configuration: $0) })
    }
}
