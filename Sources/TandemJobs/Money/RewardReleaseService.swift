import Foundation
import Logging
import ServiceLifecycle
import TandemStore

/// Makes rewards available when their hold period ends. Runs on every node; the
/// release is one conditional UPDATE, so nodes running it at once do no harm.
public final class RewardReleaseService: PeriodicWork, Sendable {
    let store: Store
    let now: @Sendable () -> Date
    public let interval: Duration
    public let logger: Logger
    public let doneMessage: Logger.Message = "rewards released"

    public init(store: Store, now: @escaping @Sendable () -> Date, interval: Duration = .seconds(60), logger: Logger = Logger(label: "tandem.rewards")) {
        self.store = store
        self.now = now
        self.interval = interval
        self.logger = logger
    }

    @discardableResult
    public func runOnce() async throws -> Int {
        try await store.db.transaction { db in try await RewardLedger.releaseDue(now: self.now(), on: db) }
    }
}
