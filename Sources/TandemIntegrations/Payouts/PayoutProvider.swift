import Foundation

/// Where a payout goes.
public enum PayoutRecipient: Sendable, Equatable {
    /// A PayPal account, addressed by its email.
    case paypal(email: String)
    /// A Stripe connected account (`acct_…`).
    case stripe(account: String)
}

/// One withdrawal to pay out. Send the same value again (same `idempotencyKey`) to retry it.
public struct PayoutRequest: Sendable, Equatable {
    public var withdrawalID: UUID
    /// Minor units of `currency`, > 0.
    public var amount: Int64
    /// ISO 4217, upper-case.
    public var currency: String
    /// Decimals of the currency: 2 for USD, 0 for JPY, 3 for KWD.
    public var minorUnits: Int
    public var recipient: PayoutRecipient
    /// Stable across retries of the same withdrawal; the providers use it to refuse a second payment.
    public var idempotencyKey: String
    public var note: String

    public init(
        withdrawalID: UUID,
        amount: Int64,
        currency: String,
        minorUnits: Int,
        recipient: PayoutRecipient,
        idempotencyKey: String,
        note: String = ""
    ) {
        self.withdrawalID = withdrawalID
        self.amount = amount
        self.currency = currency
        self.minorUnits = minorUnits
        self.recipient = recipient
        self.idempotencyKey = idempotencyKey
        self.note = note
    }
}

/// What a provider says about a payout. Transient trouble is thrown as `PayoutError` instead.
public enum PayoutOutcome: Sendable, Equatable {
    /// The money was sent.
    case paid(reference: String)
    /// Accepted but not final; poll with `status(reference:)`.
    case processing(reference: String)
    /// Refused for good (insufficient funds, invalid receiver, returned, …): a human sentence.
    case failed(reason: String)
}

/// A way of sending money to a partner.
public protocol PayoutProvider: Sendable {
    /// "paypal" or "stripe".
    var name: String { get }
    /// Sends the payout. A thrown error is transient (network, 5xx, 429, …): retry with the SAME request.
    func send(_ request: PayoutRequest) async throws -> PayoutOutcome
    /// The current state of a payout `send` answered with.
    func status(reference: String) async throws -> PayoutOutcome
    /// Every attempt to `send` this request failed without an answer (5xx, timeouts): did the
    /// payout happen? `.failed` only when the provider confirms nothing was paid; nil when it
    /// cannot be asked, and a person must look.
    func settle(_ request: PayoutRequest) async throws -> PayoutOutcome?
}

extension PayoutProvider {
    /// PayPal finds a batch only by the id its answer carried; a resend with the same
    /// `sender_batch_id` is its lookup, and that is what every retry already was.
    public func settle(_ request: PayoutRequest) async throws -> PayoutOutcome? { nil }
}
