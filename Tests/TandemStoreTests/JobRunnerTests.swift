import FluentKit
import Foundation
import Synchronization
import TandemDomain
@testable import TandemJobs
import TandemStore
import TandemTestSupport
import Testing

/// A job whose behaviour each test scripts: fail N times, then succeed; or hang.
final class ScriptedJob: JobHandler {
    let kind = "scripted"
    let failuresLeft: Mutex<Int>
    let runs = Mutex<[Int]>([])

    init(failures: Int) { failuresLeft = Mutex(failures) }

    func run(payload: String, context: JobContext) async throws {
        runs.withLock { $0.append(context.attempt) }
        let fail = failuresLeft.withLock { left -> Bool in
            guard left > 0 else { return false }
            left -= 1
            return true
        }
        if fail { throw ScriptedFailure() }
    }

    struct ScriptedFailure: Error {}
}

struct Empty: Codable {}

@Suite struct JobRunnerTests {
    func job(_ id: UUID? = nil, on store: Store) async throws -> JobRecord {
        let jobs = try await JobRecord.query(on: store.db).all()
        return try #require(id.map { id in jobs.first { $0.id == id } } ?? jobs.first)
    }

    @Test func runsADueJobOnce() async throws {
        try await TestDatabase.withStore { store in
            let clock = TestClock()
            let handler = ScriptedJob(failures: 0)
            let runner = JobRunner(store: store, handlers: [handler], now: clock.function)
            try await JobQueue.enqueue("scripted", payload: Empty(), runAt: clock.now, now: clock.now, on: store.db)
            #expect(try await runner.runOnce())
            #expect(try await runner.runOnce() == false)
            #expect(handler.runs.withLock { $0 } == [1])
            let stored = try await job(on: store)
            #expect(stored.status == .done)
            #expect(stored.lockedBy == nil)
        }
    }

    @Test func waitsForRunAt() async throws {
        try await TestDatabase.withStore { store in
            let clock = TestClock()
            let runner = JobRunner(store: store, handlers: [ScriptedJob(failures: 0)], now: clock.function)
            try await JobQueue.enqueue("scripted", payload: Empty(), runAt: clock.now.addingTimeInterval(60), now: clock.now, on: store.db)
            #expect(try await runner.runOnce() == false)
            clock.advance(by: 60)
            #expect(try await runner.runOnce())
        }
    }

    @Test func retriesWithExponentialBackoffThenSucceeds() async throws {
        try await TestDatabase.withStore { store in
            let clock = TestClock()
            let handler = ScriptedJob(failures: 2)
            let runner = JobRunner(store: store, handlers: [handler], now: clock.function, backoff: Backoff(base: 10, cap: 3600))
            try await JobQueue.enqueue("scripted", payload: Empty(), runAt: clock.now, now: clock.now, on: store.db)

            #expect(try await runner.runOnce())  // attempt 1 fails: next run in 10 s
            var stored = try await job(on: store)
            #expect(stored.status == .queued)
            #expect(stored.attempts == 1)
            #expect(stored.lastError?.contains("ScriptedFailure") == true)
            clock.advance(by: 9)
            #expect(try await runner.runOnce() == false)
            clock.advance(by: 1)
            #expect(try await runner.runOnce())  // attempt 2 fails: next run in 20 s
            clock.advance(by: 19)
            #expect(try await runner.runOnce() == false)
            clock.advance(by: 1)
            #expect(try await runner.runOnce())  // attempt 3 succeeds
            stored = try await job(on: store)
            #expect(stored.status == .done)
            #expect(handler.runs.withLock { $0 } == [1, 2, 3])
        }
    }

    @Test func givesUpAfterMaxAttempts() async throws {
        try await TestDatabase.withStore { store in
            let clock = TestClock()
            let runner = JobRunner(store: store, handlers: [ScriptedJob(failures: 99)], now: clock.function, backoff: Backoff(base: 1, cap: 1))
            try await JobQueue.enqueue("scripted", payload: Empty(), runAt: clock.now, maxAttempts: 3, now: clock.now, on: store.db)
            for _ in 1...3 {
                #expect(try await runner.runOnce())
                clock.advance(by: 1)
            }
            #expect(try await runner.runOnce() == false)
            let stored = try await job(on: store)
            #expect(stored.status == .failed)
            #expect(stored.attempts == 3)
        }
    }

    @Test func aJobOfACrashedWorkerIsTakenAgainWhenItsLeaseRunsOut() async throws {
        try await TestDatabase.withStore { store in
            let clock = TestClock()
            let handler = ScriptedJob(failures: 0)
            let crashed = JobRunner(store: store, handlers: [handler], now: clock.function, workerID: "crashed", lease: 60)
            let survivor = JobRunner(store: store, handlers: [handler], now: clock.function, workerID: "survivor", lease: 60)
            try await JobQueue.enqueue("scripted", payload: Empty(), runAt: clock.now, now: clock.now, on: store.db)

            // The first worker claims the job and dies before finishing it.
            _ = try #require(try await crashed.claim())
            #expect(try await survivor.runOnce() == false, "a leased job must not be taken while the lease holds")
            clock.advance(by: 61)
            #expect(try await survivor.runOnce())
            let stored = try await job(on: store)
            #expect(stored.status == .done)
            #expect(stored.attempts == 2)
            #expect(handler.runs.withLock { $0 } == [2])
        }
    }

    @Test func concurrentRunnersNeverClaimTheSameJob() async throws {
        try await TestDatabase.withStore { store in
            let clock = TestClock()
            for _ in 0..<20 {
                try await JobQueue.enqueue("scripted", payload: Empty(), runAt: clock.now, now: clock.now, on: store.db)
            }
            let runners = (0..<4).map { JobRunner(store: store, handlers: [], now: clock.function, workerID: "w\($0)") }
            let claimed = try await withThrowingTaskGroup(of: [UUID].self) { group in
                for runner in runners {
                    group.addTask {
                        var mine: [UUID] = []
                        while let job = try await runner.claim() { mine.append(job.id) }
                        return mine
                    }
                }
                return try await group.reduce(into: [UUID]()) { $0 += $1 }
            }
            #expect(claimed.count == 20)
            #expect(Set(claimed).count == 20)
        }
    }

    @Test func anUnknownKindFailsInsteadOfLoopingForever() async throws {
        try await TestDatabase.withStore { store in
            let clock = TestClock()
            let runner = JobRunner(store: store, handlers: [], now: clock.function)
            try await JobQueue.enqueue("nobody-handles-this", payload: Empty(), runAt: clock.now, now: clock.now, on: store.db)
            #expect(try await runner.runOnce())
            #expect(try await job(on: store).status == .failed)
        }
    }
}
