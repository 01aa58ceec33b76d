import Foundation
import Hummingbird
import HummingbirdTesting
import FluentKit
import TandemDomain
import TandemIntegrations
import TandemStore
import TandemTestSupport
@testable import TandemWeb

/// Everything a test of the running app needs, built on a fresh database.
struct TestEnvironment: Sendable {
    let client: any TestClientProtocol
    let store: Store
    let clock: TestClock
    let tracking: Tracking

    var browser: Browser { Browser(client) }
    var api: APIClient { APIClient(client: client, key: nil) }

    /// A vendor company with an admin and a key; returns the API client acting for it.
    func vendor(_ company: String = "Acme", email: String? = nil) async throws -> APIClient {
        let hash = try await PasswordHasher(cost: 4).hash("vendor password 1")
        let (_, created) = try await AccountQueries.createVendor(
            company: company, name: "Admin", email: email ?? "admin@\(Slug.safe(company)).example", passwordHash: hash, now: clock.now, on: store.db
        )
        let secret = try await APIKeyQueries.create(owner: .vendor, companyID: created.requireID(), label: "test", now: clock.now, on: store.db)
        return api.with(key: secret)
    }

    /// A partner account with a login and a key; returns the API client acting for it.
    func partnerKey(email: String) async throws -> APIClient {
        guard let user = try await AccountQueries.user(email: email, on: store.db),
              let member = try await PartnerMember.query(on: store.db).filter(\.$user.$id == user.requireID()).first() else {
            throw TestFailure("no partner \(email)")
        }
        let secret = try await APIKeyQueries.create(owner: .partner, partnerAccountID: member.$account.id, label: "test", now: clock.now, on: store.db)
        return api.with(key: secret)
    }

    /// A program on shop.example.com with the given features.
    @discardableResult
    func program(_ vendor: APIClient, slug: String = "acme", extra: [String: Any] = [:]) async throws -> APIClient.Answer {
        var body: [String: Any] = [
            "name": "Acme Partners", "slug": slug, "currency": "USD",
            "default_destination": "https://shop.example.com/welcome?ref=tandem", "allowed_domains": ["shop.example.com"],
        ]
        body.merge(extra) { $1 }
        let answer = try await vendor.post("/api/v1/programs", body)
        guard answer.status == .created else { throw TestFailure("program: \(answer.status) \(answer.text)") }
        return answer
    }

    /// Acme's program paying $5 a signup with no minimum withdrawal, and pat enrolled with a
    /// PayPal payout method: the vendor's client, pat's link and pat's client.
    func payingProgram() async throws -> (vendor: APIClient, link: (id: String, key: String, path: String), partner: APIClient) {
        let vendor = try await self.vendor()
        try await program(vendor, extra: ["min_withdrawal": 0])
        _ = try await vendor.post("/api/v1/programs/acme/reward-rules", ["trigger": "signup", "kind": "flat", "amount": 500])
        let link = try await enrol(vendor, email: "pat@example.com")
        let partner = try await partnerKey(email: "pat@example.com")
        _ = try await partner.send(.put, "/api/v1/partner/payout-method", json: ["provider": "paypal", "paypal_email": "pat@paypal.example"])
        return (vendor, link, partner)
    }

    /// Enrols a partner; returns (partnership id, partner key, default link path).
    func enrol(_ vendor: APIClient, program: String = "acme", email: String) async throws -> (id: String, key: String, path: String) {
        let answer = try await vendor.post("/api/v1/partnerships", ["program": program, "email": email, "name": email])
        guard answer.status == .created || answer.status == .ok, let id = answer.string("id"), let key = answer.string("partner_key"),
              let link = answer.string("default_link") else { throw TestFailure("enrol: \(answer.status) \(answer.text)") }
        return (id, key, String(link.dropFirst("http://tandem.test".count)))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Slug {
    static func safe(_ text: String) -> String { make(from: text) }
}

extension TestApp {
    static func with(
        clock: TestClock = TestClock(), payoutProviders: [any PayoutProvider] = [],
        configure: @Sendable (inout AppConfig) -> Void = { _ in },
        _ body: @Sendable @escaping (TestEnvironment) async throws -> Void
    ) async throws {
        try await TestDatabase.withStore { store in
            // A long interval: tests flush clicks themselves, when they mean to.
            let tracking = Tracking(store: store, flushInterval: .seconds(3600))
            var dependencies = dependencies(clock: clock)
            dependencies.payoutProviders = payoutProviders
            var config = config(store.location)
            configure(&config)
            let app = try await buildApplication(config: config, store: store, dependencies: dependencies, tracking: tracking)
            try await app.test(.router) { client in
                try await body(TestEnvironment(client: client, store: store, clock: clock, tracking: tracking))
            }
        }
    }
}
