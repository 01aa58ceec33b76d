import Foundation

/// What a vendor's webhook or a partner's postback can subscribe to: every change a
/// connected system acts on. Each is written to the outbox in the transaction of the change.
public enum WebhookEventType: String, CaseIterable, Sendable, Codable {
    case customerCreated = "customer.created"
    case transactionCreated = "transaction.created"
    case refundCreated = "refund.created"
    case rewardCreated = "reward.created"
    case rewardUpdated = "reward.updated"
    case withdrawalCreated = "withdrawal.created"
    case withdrawalUpdated = "withdrawal.updated"
    case partnershipCreated = "partnership.created"
    case partnershipUpdated = "partnership.updated"
    case leadCreated = "lead.created"
    case leadUpdated = "lead.updated"
    case dealCreated = "deal.created"
    case dealUpdated = "deal.updated"
    case messageCreated = "message.created"
    /// The "send test event" button: sent to one endpoint, never subscribed to.
    case test = "webhook.test"

    /// The events an endpoint may choose.
    public static let subscribable: [WebhookEventType] = allCases.filter { $0 != .test }

    /// A sentence for the settings page.
    public var summary: String {
        switch self {
        case .customerCreated: "A referred customer signed up"
        case .transactionCreated: "A payment was recorded"
        case .refundCreated: "A payment was refunded"
        case .rewardCreated: "A reward was earned"
        case .rewardUpdated: "A reward changed status"
        case .withdrawalCreated: "A withdrawal was requested"
        case .withdrawalUpdated: "A withdrawal changed status"
        case .partnershipCreated: "A partner joined or applied"
        case .partnershipUpdated: "A partnership was approved, declined, moved or archived"
        case .leadCreated: "A lead was submitted"
        case .leadUpdated: "A lead changed status"
        case .dealCreated: "A deal was submitted"
        case .dealUpdated: "A deal changed stage"
        case .messageCreated: "A message was written"
        case .test: "A test event"
        }
    }
}

/// Whose endpoint it is: a vendor company's webhook or a partner account's postback.
public enum WebhookOwner: Sendable, Equatable, Hashable {
    case company(UUID)
    case partnerAccount(UUID)

    /// At most this many endpoints each (the bar: 20 per company, 5 per partner account).
    public var endpointLimit: Int {
        switch self {
        case .company: 20
        case .partnerAccount: 5
        }
    }
}
