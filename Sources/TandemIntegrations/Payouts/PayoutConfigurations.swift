/// Where and how to reach PayPal's REST API.
public struct PayPalConfiguration: Sendable {
    /// `https://api-m.paypal.com` (live) or `https://api-m.sandbox.paypal.com`.
    public var baseURL: String
    public var clientID: String
    public var clientSecret: String

    public init(baseURL: String, clientID: String, clientSecret: String) {
        self.baseURL = baseURL
        self.clientID = clientID
        self.clientSecret = clientSecret
    }
}

/// Where and how to reach Stripe's API.
public struct StripeConfiguration: Sendable {
    /// `https://api.stripe.com`.
    public var baseURL: String
    /// `sk_live_…` / `sk_test_…`.
    public var secretKey: String

    public init(baseURL: String, secretKey: String) {
        self.baseURL = baseURL
        self.secretKey = secretKey
    }
}
