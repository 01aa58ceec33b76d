import FluentKit
import Foundation

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
