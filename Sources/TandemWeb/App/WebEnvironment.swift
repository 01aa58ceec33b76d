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
