import FluentKit
import Foundation

/// API keys: `tdm_sk_…` act for a vendor company, `tdm_pk_…` for a partner account.
public enum APIKeyQueries {
    /// Creates a key and returns its secret: the only time the secret exists outside the caller.
    public static func create(
        owner: APIKey.Owner, companyID: UUID? = nil, partnerAccountID: UUID? = nil, label: String, now: Date, on db: any Database
    ) async throws -> String {
        let secret = (owner == .vendor ? "tdm_sk_" : "tdm_pk_") + db.identifiers.key(32)
        let key = APIKey(
            owner: owner, companyID: companyID, partnerAccountID: partnerAccountID, label: label,
            prefix: String(secret.prefix(11)), secretHash: SecureToken.hash(secret), createdAt: now
        )
        try await key.create(on: db)
        return secret
    }

    /// The live (not revoked) key with this secret.
    public static func find(secret: String, on db: any Database) async throws -> APIKey? {
        try await APIKey.query(on: db)
            .filter(\.$secretHash == SecureToken.hash(secret))
            .filter(\.$revokedAt == nil)
            .first()
    }

    public static func revoke(id: UUID, now: Date, on db: any Database) async throws {
        guard let key = try await APIKey.find(id, on: db) else { return }
        key.revokedAt = now
        try await key.save(on: db)
    }
}
