/// Who pays a withdrawal: PayPal or Stripe through their APIs, or the vendor outside Tandem
/// ("manual", marked paid by hand) when the partner's provider is not configured here.
public enum PayoutProviderID: String, Codable, Sendable, CaseIterable {
    case paypal, stripe, manual

    /// The providers a partner can choose as their payout method.
    public static let choosable: [PayoutProviderID] = [.paypal, .stripe]

    public var label: String {
        switch self {
        case .paypal: "PayPal"
        case .stripe: "Stripe"
        // Said of a withdrawal in any state: "paid by" would be wrong while it is only requested.
        case .manual: "By the vendor, by hand"
        }
    }
}
