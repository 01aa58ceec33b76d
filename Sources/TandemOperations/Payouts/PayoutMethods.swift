import FluentKit
import Foundation
import TandemDomain
import TandemStore

/// Choosing how a partner account is paid: PayPal (by email) or Stripe (a connected account).
/// The API's `PUT /partner/payout-method` and the Rewards & Withdrawals page both call this.
public enum PayoutMethods {
    /// The provider and the recipient as stored, or why not.
    public static func validate(provider: String?, paypalEmail: String?, stripeAccount: String?) throws(OperationError) -> (provider: PayoutProviderID, recipient: String) {
        switch provider {
        case "paypal"?:
            var errors = FieldErrors()
            Validate.email(paypalEmail ?? "", field: "paypal_email", into: &errors)
            if let message = errors["paypal_email"] { throw .invalid(field: "paypal_email", message: message) }
            return (.paypal, Validate.normalizedEmail(paypalEmail ?? ""))
        case "stripe"?:
            let account = (stripeAccount ?? "").trimmingCharacters(in: .whitespaces)
            guard account.hasPrefix("acct_"), (10...40).contains(account.count),
                  account.dropFirst(5).allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw .invalid(field: "stripe_account", message: "Enter your Stripe connected account id, like acct_1A2b3C4d5E6f7G8h.")
            }
            return (.stripe, account)
        default:
            throw .invalid(field: "provider", message: "Choose PayPal or Stripe as the payout provider.")
        }
    }

    /// Validates and stores the account's one payout method (replacing the previous one).
    public static func set(
        accountID: UUID, provider: String?, paypalEmail: String?, stripeAccount: String?, now: Date, on db: any Database
    ) async throws -> PayoutMethod {
        let (provider, recipient) = try validate(provider: provider, paypalEmail: paypalEmail, stripeAccount: stripeAccount)
        if let method = try await PayoutMethod.query(on: db).filter(\.$partnerAccount.$id == accountID).first() {
            method.provider = provider
            method.recipient = recipient
            method.updatedAt = now
            try await method.save(on: db)
            return method
        }
        let method = PayoutMethod(accountID: accountID, provider: provider, recipient: recipient, now: now)
        try await method.create(on: db)
        return method
    }
}
