import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TandemIntegrations
import TandemOperations
import TandemStore

/// Sends webhooks and postbacks, every second, on every node: fans new events out, sends what
/// is due (retries included), and every ten minutes forgets deliveries older than 30 days.
public final class WebhookService: PeriodicWork, Sendable {
    let store: Store
    let transport: any WebhookTransport
    let now: @Sendable () -> Date
    public let interval: Duration
    public let logger: Logger
    public let doneMessage: Logger.Message = "webhook deliveries attempted"
    private let lastPrune = Mutex<Date?>(nil)

    public init(store: Store, transport: any WebhookTransport, now: @escaping @Sendable () -> Date, interval: Duration = .seconds(1),
                logger: Logger = Logger(label: "tandem.webhooks")) {
        self.store = store
        self.transport = transport
        self.now = now
        self.interval = interval
        self.logger = logger
    }

    @discardableResult
    public func runOnce() async throws -> Int {
        let current = now()
        let prune = lastPrune.withLock { last in
            guard last.map({ current.timeIntervalSince($0) >= 600 }) ?? true else { return false }
            last = current
            return true
        }
        if prune { try await WebhookDispatch.prune(now: current, on: store.db) }
        return try await WebhookSending.runOnce(transport: transport, now: now, on: store.db)
    }
}
