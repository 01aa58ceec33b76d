import Foundation
import SQLKit
@testable import TandemStore
import TandemTestSupport
import Testing

/// Claims and deletes by a batch of ids, guarded by a status column, must find their rows by key:
/// SQLite's planner otherwise walks the guard column's index (every pending row) for each batch.
@Suite struct GuardColumnTests {
    struct Plan: Decodable { let detail: String }

    func plan(_ store: Store, guarded: Bool) async throws -> String {
        let ids = (0..<500).map { _ in UUID() }
        let delete = store.sql.delete(from: WebhookEvent.schema).where("id", .in, ids)
        if guarded { delete.where(GuardColumn("dispatched_at"), .is, SQLLiteral.null) } else { delete.where("dispatched_at", .is, SQLLiteral.null) }
        return try await store.sql.raw("EXPLAIN QUERY PLAN \(delete.delete)").all(decoding: Plan.self).map(\.detail).joined(separator: "; ")
    }

    @Test func aBatchOfIdsWithAGuardIsLookedUpByKey() async throws {
        try await TestDatabase.withStore { store in
            guard !store.isPostgres else {
                // PostgreSQL: the guard is the plain column, and the statement runs.
                let ids = [UUID()]
                try await store.sql.delete(from: WebhookEvent.schema).where("id", .in, ids).where(GuardColumn("dispatched_at"), .is, SQLLiteral.null).run()
                return
            }
            let unguarded = try await plan(store, guarded: false)
            #expect(unguarded.contains("webhook_events_pending"), "without the guard SQLite walks the pending index: \(unguarded)")
            let guarded = try await plan(store, guarded: true)
            #expect(guarded.contains("(id=?)"), "\(guarded)")
            #expect(!guarded.contains("webhook_events_pending"))
        }
    }
}
