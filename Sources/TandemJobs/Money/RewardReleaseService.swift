import Foundation
import Logging
import ServiceLifecycle
import TandemStore

/// Makes rewards available when their hold period ends. Runs on every node; the
/// release is one conditional UPDATE, so nodes running it at once do no harm.
public final class RewardReleaseService: Service, Sendable {
    let store: Store
    let now: @Sendable () -> Date
    let interval: Duration
    let logger: Logger

    public init(store: Store, now: @escaping @Sendable () -> Date, interval: Duration = .seconds(60), logger: Logger = Logger(label: "tandem.rewards")) {
        self.store = store
        self.now = now
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let released = try await runOnce()
                if released > 0 { logger.info("rewards released", metadata: ["count": .stringConvertible(released)]) }
            } catch {
                logger.error("reward release failed", metadata: ["error": .string(String(describing: error))])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
        }
    }

    @discardableResult
    public func runOnce() async throws -> Int {
        try await store.db.transaction { db in try await RewardLedger.releaseDue(now: self.now(), on: db) }
    }
}
