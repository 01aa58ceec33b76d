import FluentKit
import Foundation

/// Claiming an Idempotency-Key, and keeping or forgetting the answer it gave.
public enum IdempotencyQueries {
    public enum Claim: Sendable {
        /// This request is the first with the key: it runs, then `save` or `forget`.
        case claimed(recordID: UUID)
        /// Another request holds the key: its record (nil if it vanished meanwhile).
        case taken(IdempotencyRecord?)
    }

    /// The unique (scope, key) index decides who is first, even across nodes.
    public static func claim(scope: String, key: String, fingerprint: String, now: Date, on db: any Database) async throws -> Claim {
        let record = IdempotencyRecord(scope: scope, key: key, fingerprint: fingerprint, createdAt: now)
        do {
            try await record.create(on: db)
            return .claimed(recordID: try record.requireID())
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return .taken(try await IdempotencyRecord.query(on: db).filter(\.$scope == scope).filter(\.$key == key).first())
        }
    }

    public static func save(recordID: UUID, status: Int, body: String, on db: any Database) async throws {
        try await IdempotencyRecord.query(on: db).filter(\.$id == recordID).set(\.$status, to: status).set(\.$body, to: body).update()
    }

    /// An answer the caller may retry is not kept: the key becomes free again.
    public static func forget(recordID: UUID, on db: any Database) async throws {
        try await IdempotencyRecord.query(on: db).filter(\.$id == recordID).delete()
    }
}
