import Foundation
import Logging
import ServiceLifecycle
import TandemOperations
import TandemStore

/// Mails what email campaigns are due, every minute, on every node: the per-partner claim
/// (`CampaignDelivery`) keeps nodes running it at once from mailing anyone twice.
public final class CampaignService: Service, Sendable {
    let store: Store
    let baseURL: String
    let now: @Sendable () -> Date
    let interval: Duration
    let logger: Logger

    public init(store: Store, baseURL: String, now: @escaping @Sendable () -> Date, interval: Duration = .seconds(60),
                logger: Logger = Logger(label: "tandem.campaigns")) {
        self.store = store
        self.baseURL = baseURL
        self.now = now
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let queued = try await runOnce()
                if queued > 0 { logger.info("campaign mails queued", metadata: ["count": .stringConvertible(queued)]) }
            } catch {
                logger.error("campaign pass failed", metadata: ["error": .string(String(describing: error))])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
        }
    }

    @discardableResult
    public func runOnce() async throws -> Int {
        try await CampaignDelivery.runOnce(baseURL: baseURL, now: now(), on: store.db)
    }
}
