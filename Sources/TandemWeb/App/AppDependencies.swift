import Foundation
import AsyncHTTPClient
import TandemIntegrations

/// What the outside world gives the app, injected so tests control it: the time,
/// how email leaves, and how expensive password hashing is.
public struct AppDependencies: Sendable {
    public var now: @Sendable () -> Date
    /// nil: no SMTP, emails are kept in the outbox for /dev/mail.
    public var mailTransport: (any MailTransport)?
    /// bcrypt cost; tests lower it because each hash at the real cost takes ~0.1 s.
    public var bcryptCost: UInt8
    /// The payout providers Tandem pays through; a withdrawal to any other is manual.
    public var payoutProviders: [any PayoutProvider]
    /// How webhooks and postbacks leave; nil: over HTTP with the configured outbound policy.
    public var webhookTransport: (any WebhookTransport)?

    public init(
        now: @escaping @Sendable () -> Date = Date.init, mailTransport: (any MailTransport)? = nil, bcryptCost: UInt8 = 12,
        payoutProviders: [any PayoutProvider] = [], webhookTransport: (any WebhookTransport)? = nil
    ) {
        self.webhookTransport = webhookTransport
        self.now = now
        self.mailTransport = mailTransport
        self.bcryptCost = bcryptCost
        self.payoutProviders = payoutProviders
    }

    public static func live(config: AppConfig) -> AppDependencies {
        var providers: [any PayoutProvider] = []
        if let paypal = config.paypal { providers.append(PayPalPayoutClient(configuration: paypal, httpClient: .shared)) }
        if let stripe = config.stripe { providers.append(StripePayoutClient(configuration: stripe, httpClient: .shared)) }
        return AppDependencies(mailTransport: config.smtp.map { SMTPClient(configuration: $0) }, payoutProviders: providers)
    }
}
