import Foundation
import Logging
import ServiceLifecycle
import TandemOperations
import TandemStore

/// Mails what email campaigns are due, every minute, on every node: the per-partner claim
/// (`CampaignDelivery`) keeps nodes running it at once from mailing anyone twice.
public final class CampaignService: PeriodicWork, Sendable {
    let store: Store
    let baseURL: String
    let now: @Sendable () -> Date
    public let interval: Duration
    public let logger: Logger
    public let doneMessage: Logger.Message = "campaign mails queued"

    public init(store: Store, baseURL: String, now: @escaping @Sendable () -> Date, interval: Duration = .seconds(60),
                logger: Logger = Logger(label: "tandem.campaigns")) {
        self.store = store
        self.baseURL = baseURL
        self.now = now
        self.interval = interval
        self.logger = logger
    }

    @discardableResult
    public func runOnce() async throws -> Int {
        try await CampaignDelivery.runOnce(baseURL: baseURL, now: now(), on: store.db)
    }
}
