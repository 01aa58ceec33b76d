import FluentKit
import Foundation

/// A unit of background work in the `jobs` table, shared by every server and worker process.
public final class JobRecord: Model, @unchecked Sendable {
    public static let schema = "jobs"

    public enum Status: String, Codable, Sendable {
        case queued, running, done, failed
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "kind") public var kind: String
    /// JSON, interpreted by the handler of `kind`.
    @Field(key: "payload") public var payload: String
    @Enum(key: "status") public var status: Status
    @Field(key: "run_at") public var runAt: Date
    @Field(key: "attempts") public var attempts: Int
    @Field(key: "max_attempts") public var maxAttempts: Int
    @OptionalField(key: "locked_by") public var lockedBy: String?
    /// The lease: a job still `running` past this time belonged to a worker that died.
    @OptionalField(key: "locked_until") public var lockedUntil: Date?
    @OptionalField(key: "last_error") public var lastError: String?
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "finished_at") public var finishedAt: Date?

    public init() {}

    public init(kind: String, payload: String, runAt: Date, maxAttempts: Int, createdAt: Date) {
        self.kind = kind
        self.payload = payload
        self.status = .queued
        self.runAt = runAt
        self.attempts = 0
        self.maxAttempts = maxAttempts
        self.createdAt = createdAt
    }
}
