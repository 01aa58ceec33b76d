import Crypto
import Foundation

/// Standard Webhooks signing: `v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`,
/// keyed by the bytes of the secret after `whsec_`. Several secrets (after a rotation) give
/// several signatures, separated by spaces, any of which a receiver accepts.
public enum WebhookSignature {
    public static let prefix = "whsec_"

    /// A new secret from `token` (random text of at least 32 bytes): its bytes, base64, after `whsec_`.
    public static func secret(fromToken token: String) -> String {
        prefix + Data(token.utf8).base64EncodedString()
    }

    /// One signature, or nil when `secret` is not `whsec_` and base64.
    public static func sign(id: String, timestamp: Int, body: String, secret: String) -> String? {
        let encoded = secret.hasPrefix(prefix) ? String(secret.dropFirst(prefix.count)) : secret
        guard let key = Data(base64Encoded: encoded), !key.isEmpty else { return nil }
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(id).\(timestamp).\(body)".utf8), using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }

    /// The `webhook-signature` header: one signature per secret.
    public static func header(id: String, timestamp: Int, body: String, secrets: [String]) -> String {
        secrets.compactMap { sign(id: id, timestamp: timestamp, body: body, secret: $0) }.joined(separator: " ")
    }
}
