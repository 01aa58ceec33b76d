import FluentKit
import Foundation

/// The first answer to a POST with an `Idempotency-Key`, replayed for the same key and body.
public final class IdempotencyRecord: Model, @unchecked Sendable {
    public static let schema = "idempotency_keys"

    @ID(key: .id) public var id: UUID?
    /// Whose key space: "vendor:<company id>" or "partner:<account id>".
    @Field(key: "scope") public var scope: String
    @Field(key: "key") public var key: String
    /// Method, path and SHA-256 of the body: a reuse with anything else is a conflict.
    @Field(key: "fingerprint") public var fingerprint: String
    /// nil while the first request is still running.
    @OptionalField(key: "status") public var status: Int?
    @OptionalField(key: "body") public var body: String?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(scope: String, key: String, fingerprint: String, createdAt: Date) {
        self.scope = scope
        self.key = key
        self.fingerprint = fingerprint
        self.createdAt = createdAt
    }
}
