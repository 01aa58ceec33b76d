import FluentKit
import Foundation
import SQLKit

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

    public static func find(id: UUID, on db: any Database) async throws -> APIKey? {
        try await APIKey.find(id, on: db)
    }

    public static func revoke(id: UUID, now: Date, on db: any Database) async throws {
        guard let key = try await APIKey.find(id, on: db) else { return }
        key.revokedAt = now
        try await key.save(on: db)
    }

    /// Records a use, at most once a minute per key: one conditional UPDATE, usually matching nothing.
    public static func touch(id: UUID, now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update(APIKey.schema).set("last_used_at", to: now)
            .where("id", .equal, id)
            .where { $0.where("last_used_at", .is, SQLLiteral.null).orWhere("last_used_at", .lessThan, now.addingTimeInterval(-60)) }
            .run()
    }

    /// A company's keys, live first, newest first.
    public static func ofCompany(_ companyID: UUID, on db: any Database) async throws -> [APIKey] {
        liveFirst(try await APIKey.query(on: db).filter(\.$company.$id == companyID).filter(\.$owner == .vendor)
            .sort(\.$createdAt, .descending).sort(\.$id).all())
    }

    /// A partner account's keys, live first, newest first.
    public static func ofPartnerAccount(_ accountID: UUID, on db: any Database) async throws -> [APIKey] {
        liveFirst(try await APIKey.query(on: db).filter(\.$partnerAccount.$id == accountID).filter(\.$owner == .partner)
            .sort(\.$createdAt, .descending).sort(\.$id).all())
    }

    /// A stable sort: revoked keys after live ones, each group still newest first.
    static func liveFirst(_ keys: [APIKey]) -> [APIKey] {
        keys.filter { $0.revokedAt == nil } + keys.filter { $0.revokedAt != nil }
    }
}
