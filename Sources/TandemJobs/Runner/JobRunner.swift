import FluentKit
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import SQLKit
import TandemDomain
import TandemStore

/// Claims due jobs from the table and runs them, one at a time per runner.
///
/// Several runners (in `tandem serve` nodes or `tandem worker` processes) share
/// one table: on PostgreSQL the claim uses `FOR UPDATE SKIP LOCKED`; on SQLite the
/// single writer makes the claiming UPDATE atomic. A claimed job carries a lease;
/// a job still running after its lease belonged to a dead worker and is claimed again.
public final class JobRunner: Service, Sendable {
    public let workerID: String
    let store: Store
    let handlers: [String: any JobHandler]
    let now: @Sendable () -> Date
    let lease: TimeInterval
    let pollInterval: Duration
    let backoff: Backoff
    let logger: Logger

    public init(
        store: Store,
        handlers: [any JobHandler],
        now: @escaping @Sendable () -> Date = Date.init,
        workerID: String = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))",
        lease: TimeInterval = 300,
        pollInterval: Duration = .milliseconds(500),
        backoff: Backoff = Backoff(),
        logger: Logger = Logger(label: "tandem.jobs")
    ) {
        self.store = store
        self.handlers = Dictionary(handlers.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.now = now
        self.workerID = workerID
        self.lease = lease
        self.pollInterval = pollInterval
        self.backoff = backoff
        self.logger = logger
    }

    /// Runs until graceful shutdown. The job in hand is finished, not abandoned;
    /// if the task is cancelled outright, the job is released for another worker.
    public func run() async throws {
        logger.info("job runner started", metadata: ["worker": .string(workerID)])
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let ranOne: Bool
            do {
                ranOne = try await runOnce()
            } catch {
                logger.error("job runner could not claim a job", metadata: ["error": .string(String(describing: error))])
                ranOne = false
            }
            if !ranOne {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.pollInterval) }
            }
        }
        logger.info("job runner stopped", metadata: ["worker": .string(workerID)])
    }

    /// Claims one due job and runs it. Returns false when nothing was due.
    @discardableResult
    public func runOnce() async throws -> Bool {
        guard let claimed = try await claim() else { return false }
        let context = JobContext(id: claimed.id, attempt: claimed.attempts, maxAttempts: claimed.maxAttempts, store: store, now: now)
        guard let handler = handlers[claimed.kind] else {
            try await finish(claimed, outcome: .failed("no handler for job kind \(claimed.kind)"))
            return true
        }
        do {
            try await handler.run(payload: claimed.payload, context: context)
            try await finish(claimed, outcome: .done)
        } catch is CancellationError {
            try await release(claimed)
        } catch {
            let message = String(describing: error)
            if claimed.attempts >= claimed.maxAttempts {
                try await finish(claimed, outcome: .failed(message))
            } else {
                try await finish(claimed, outcome: .retry(message, at: now().addingTimeInterval(backoff.delay(afterAttempt: claimed.attempts))))
            }
        }
        return true
    }

    struct ClaimedJob: Decodable {
        let id: UUID
        let kind: String
        let payload: String
        let attempts: Int
        let maxAttempts: Int

        enum CodingKeys: String, CodingKey {
            case id, kind, payload, attempts
            case maxAttempts = "max_attempts"
        }
    }

    func claim() async throws -> ClaimedJob? {
        let at = now()
        let skipLocked = store.isPostgres ? "FOR UPDATE SKIP LOCKED" : ""
        let query: SQLQueryString = """
            UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = \(bind: workerID), locked_until = \(bind: at.addingTimeInterval(lease))
            WHERE id = (
                SELECT id FROM jobs
                WHERE (status = 'queued' AND run_at <= \(bind: at)) OR (status = 'running' AND locked_until < \(bind: at))
                ORDER BY run_at LIMIT 1 \(unsafeRaw: skipLocked)
            )
            RETURNING id, kind, payload, attempts, max_attempts
            """
        return try await store.sql.raw(query).first(decoding: ClaimedJob.self)
    }

    enum Outcome {
        case done
        case retry(String, at: Date)
        case failed(String)
    }

    func finish(_ job: ClaimedJob, outcome: Outcome) async throws {
        // Only the lease holder may record the outcome: a worker whose lease ran
        // out and whose job was taken over must not overwrite the new owner's state.
        let update = store.sql.update(JobRecord.schema)
            .set("locked_by", to: SQLLiteral.null)
            .set("locked_until", to: SQLLiteral.null)
            .where("id", .equal, job.id)
            .where("locked_by", .equal, workerID)
        let outcomeLabel: String
        switch outcome {
        case .done:
            outcomeLabel = "done"
            update.set("status", to: "done").set("finished_at", to: now())
        case .retry(let message, let at):
            outcomeLabel = "retry"
            logger.warning("job failed, will retry", metadata: ["kind": .string(job.kind), "attempt": .stringConvertible(job.attempts), "error": .string(message)])
            update.set("status", to: "queued").set("run_at", to: at).set("last_error", to: String(message.prefix(2000)))
        case .failed(let message):
            outcomeLabel = "failed"
            logger.error("job failed for good", metadata: ["kind": .string(job.kind), "attempts": .stringConvertible(job.attempts), "error": .string(message)])
            update.set("status", to: "failed").set("finished_at", to: now()).set("last_error", to: String(message.prefix(2000)))
        }
        try await update.run()
        Counter(label: "tandem_jobs_total", dimensions: [("kind", job.kind), ("outcome", outcomeLabel)]).increment()
    }

    /// Gives a job back untouched (the attempt does not count) so another worker runs it now.
    func release(_ job: ClaimedJob) async throws {
        try await store.sql.update(JobRecord.schema)
            .set("status", to: "queued")
            .set("attempts", to: job.attempts - 1)
            .set("run_at", to: now())
            .set("locked_by", to: SQLLiteral.null)
            .set("locked_until", to: SQLLiteral.null)
            .where("id", .equal, job.id)
            .where("locked_by", .equal, workerID)
            .run()
        Counter(label: "tandem_jobs_total", dimensions: [("kind", job.kind), ("outcome", "released")]).increment()
    }
}
