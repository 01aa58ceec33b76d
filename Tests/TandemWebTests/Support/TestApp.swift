import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import TandemIntegrations
import TandemStore
import TandemTestSupport
@testable import TandemWeb

/// Records what would have been sent over SMTP.
final class CapturingMailTransport: MailTransport {
    let sent = Mutex<[OutgoingEmail]>([])
    func send(_ email: OutgoingEmail) async throws {
        sent.withLock { $0.append(email) }
    }
}

enum TestApp {
    static let secretKey = "test-secret-key-that-is-long-enough-0123456789"

    static func config(_ database: DatabaseLocation = .sqliteMemory, mode: AppConfig.Mode = .development) -> AppConfig {
        AppConfig(mode: mode, baseURL: "http://tandem.test", database: database, secretKey: secretKey, runJobsInProcess: false)
    }

    static func dependencies(clock: TestClock, mail: (any MailTransport)? = nil) -> AppDependencies {
        AppDependencies(now: clock.function, mailTransport: mail, bcryptCost: 4)
    }

    /// A fresh database and an app on it; `body` gets a browser factory, the store and the clock.
    static func run(
        clock: TestClock = TestClock(), mode: AppConfig.Mode = .development, configure: @Sendable (inout AppConfig) -> Void = { _ in },
        _ body: @Sendable @escaping (Browser, Store, TestClock) async throws -> Void
    ) async throws {
        try await TestDatabase.withStore { store in
            var config = config(store.location, mode: mode)
            configure(&config)
            let app = try await buildApplication(config: config, store: store, dependencies: dependencies(clock: clock))
            try await app.test(.router) { client in
                try await body(Browser(client), store, clock)
            }
        }
    }

    /// Creates a partner who can log in; returns nothing but the fact.
    static func makePartner(email: String = "dana@example.com", password: String = "correct horse battery", name: String = "Dana Reyes", store: Store, clock: TestClock) async throws {
        let hash = try await PasswordHasher(cost: 4).hash(password)
        _ = try await AccountQueries.createPartner(name: name, email: email, passwordHash: hash, now: clock.now, on: store.db)
    }
}
