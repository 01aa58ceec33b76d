import Foundation
import TandemStore

/// What every page handler needs, built once in `buildApplication`.
struct WebEnvironment: Sendable {
    let store: Store
    let renderer: Renderer
    let hasher: PasswordHasher
    let config: AppConfig
    let now: @Sendable () -> Date
    /// Names of the payout providers Tandem pays through (the rest are paid by hand).
    let liveProviders: Set<String>
    let limits: RequestLimits

    init(store: Store, renderer: Renderer, hasher: PasswordHasher, config: AppConfig, now: @escaping @Sendable () -> Date, liveProviders: Set<String>) {
        self.store = store
        self.renderer = renderer
        self.hasher = hasher
        self.config = config
        self.now = now
        self.liveProviders = liveProviders
        self.limits = RequestLimits(config: config, now: now)
    }
}

/// A group of routes that shares the web environment.
protocol WebPages {
    var env: WebEnvironment { get }
}

extension WebPages {
    var store: Store { env.store }
    var renderer: Renderer { env.renderer }
    var hasher: PasswordHasher { env.hasher }
    var config: AppConfig { env.config }
    var now: @Sendable () -> Date { env.now }
}
