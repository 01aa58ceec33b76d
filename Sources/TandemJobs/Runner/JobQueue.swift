import FluentKit
import Foundation
import TandemStore

/// Puts work in the `jobs` table. Takes the caller's database so that a job can be
/// enqueued inside the same transaction as the change that needs it.
public enum JobQueue {
    public static func enqueue<Payload: Encodable>(
        _ kind: String, payload: Payload, runAt: Date, maxAttempts: Int = 8, now: Date, on db: any Database
    ) async throws {
        let data = try JSONEncoder().encode(payload)
        let job = JobRecord(kind: kind, payload: String(decoding: data, as: UTF8.self), runAt: runAt, maxAttempts: maxAttempts, createdAt: now)
        try await job.create(on: db)
    }
}

/// What a job handler is told about the job it runs.
public struct JobContext: Sendable {
    public let id: UUID
    public let attempt: Int
    public let maxAttempts: Int
    public let store: Store
    public let now: @Sendable () -> Date

    public var isLastAttempt: Bool { attempt >= maxAttempts }

    public func decode<Payload: Decodable>(_ type: Payload.Type, from payload: String) throws -> Payload {
        try JSONDecoder().decode(type, from: Data(payload.utf8))
    }
}

/// One kind of background work.
public protocol JobHandler: Sendable {
    var kind: String { get }
    func run(payload: String, context: JobContext) async throws
}
