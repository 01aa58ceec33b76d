import FluentKit
import Foundation
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

/// Signing secrets are sealed at rest: the database alone cannot sign as Tandem.
@Suite struct WebhookSecretSealTests {
    static let url = "https://hooks.acme.example/tandem"
    let events = WebhookEventsTests()

    @Test func aSecretIsStoredSealedAndSignsAsShown() async throws {
        try await TestApp.with { t in
            let transport = RecordingTransport()
            let acme = try await t.vendor("Acme")
            let made = try await acme.post("/api/v1/webhooks", ["url": Self.url, "events": ["customer.created"]])
            let id = made.string("id") ?? ""
            let shown = made.string("secret") ?? ""
            #expect(shown.hasPrefix("whsec_"))
            let rotated = try await acme.post("/api/v1/webhooks/\(id)/rotate-secret", [String: Any]())
            let current = rotated.string("secret") ?? ""

            guard let row = try await WebhookEndpoint.query(on: t.store.db).first() else { throw TestFailure("no endpoint") }
            for stored in [row.secret, row.previousSecret ?? ""] {
                #expect(stored.hasPrefix("sealed:v1:"), "stored sealed: \(stored.prefix(12))")
                #expect(!stored.contains(shown.dropFirst(6)) && !stored.contains(current.dropFirst(6)))
            }
            #expect(try row.signingSecrets(now: t.clock.now, seal: t.store.db.secretSeal) == [current, shown])
            #expect(throws: SecretSeal.CannotOpen.self) { try SecretSeal(secretKey: "another-installation-key-0123456789abcdef").open(row.secret) }

            _ = try await acme.post("/api/v1/webhooks/\(id)/test", [String: Any]())
            _ = try await events.service(t, transport).runOnce()
            let signatures = transport.received.last?.headers["webhook-signature"]?.split(separator: " ").map(String.init) ?? []
            #expect(signatures.count == 2)
            #expect(signatures.contains(events.expectedSignature(transport.received.last!, secret: current)))
            #expect(signatures.contains(events.expectedSignature(transport.received.last!, secret: shown)))
        }
    }

    /// SECRET_KEY changed since the secret was sealed: nothing unsigned goes out, the log says
    /// why, and rotating the secret mends it.
    @Test func aSecretSealedUnderAnotherKeyIsNotSentUntilRotated() async throws {
        try await TestApp.with { t in
            let transport = RecordingTransport()
            let acme = try await t.vendor("Acme")
            try await t.program(acme)
            let made = try await acme.post("/api/v1/webhooks", ["url": Self.url, "events": ["customer.created"]])
            let id = made.string("id") ?? ""
            guard let row = try await WebhookEndpoint.query(on: t.store.db).first() else { throw TestFailure("no endpoint") }
            row.secret = try SecretSeal(secretKey: "another-installation-key-0123456789abcdef").seal("whsec_c29tZW9uZSBlbHNlJ3M=")
            try await row.save(on: t.store.db)

            _ = try await acme.post("/api/v1/customers", ["program": "acme", "key": "c1"])
            _ = try await events.service(t, transport).runOnce()
            #expect(transport.received.isEmpty, "nothing is sent unsigned")
            let attempts = try await WebhookAttempt.query(on: t.store.db).all()
            #expect(attempts.count == 1 && attempts.first?.error?.contains("another SECRET_KEY") == true, "\(attempts.map(\.error))")
            let log = try await acme.get("/api/v1/webhooks/\(id)/deliveries")
            #expect(log.status == .ok && log.text.contains("another SECRET_KEY"))

            let rotated = try await acme.post("/api/v1/webhooks/\(id)/rotate-secret", [String: Any]())
            let secret = rotated.string("secret") ?? ""
            _ = try await acme.post("/api/v1/webhooks/\(id)/test", [String: Any]())
            _ = try await events.service(t, transport).runOnce()
            #expect(transport.received.last.map { events.expectedSignature($0, secret: secret) } == transport.received.last?.headers["webhook-signature"])
        }
    }

    /// Endpoints made before secrets were sealed keep signing with the same secret, sealed at the next start.
    @Test func aPlainSecretFromBeforeIsSealedByTheNextMigrate() async throws {
        try await TestApp.with { t in
            let transport = RecordingTransport()
            let acme = try await t.vendor("Acme")
            try await t.program(acme)
            let made = try await acme.post("/api/v1/webhooks", ["url": Self.url, "events": ["customer.created"]])
            guard let row = try await WebhookEndpoint.query(on: t.store.db).first() else { throw TestFailure("no endpoint") }
            let plain = "whsec_b2xkIHBsYWluIHNlY3JldCBieXRlcw=="
            row.secret = plain
            try await row.save(on: t.store.db)
            #expect(try row.signingSecrets(now: t.clock.now, seal: t.store.db.secretSeal) == [plain], "read as it is until sealed")
            // A rotated endpoint whose old secret, still signing, was kept plain.
            _ = try await acme.post("/api/v1/webhooks", ["url": "https://hooks.acme.example/second", "events": ["message.created"]])
            guard let rotated = try await WebhookEndpoint.query(on: t.store.db).filter(\.$id != row.requireID()).first() else { throw TestFailure("no second endpoint") }
            let oldPlain = "whsec_b2xkZXIgcGxhaW4gc2VjcmV0IGJ5dGVz"
            rotated.previousSecret = oldPlain
            rotated.previousSecretUntil = t.clock.now.addingTimeInterval(3600)
            try await rotated.save(on: t.store.db)

            try await t.store.migrate()
            guard let sealed = try await WebhookEndpoint.find(row.requireID(), on: t.store.db) else { throw TestFailure("gone") }
            #expect(sealed.secret.hasPrefix("sealed:v1:") && sealed.secret != plain)
            let second = try await WebhookEndpoint.find(rotated.requireID(), on: t.store.db)
            #expect(second?.previousSecret?.hasPrefix("sealed:v1:") == true && second?.secret == rotated.secret, "the old secret sealed, the sealed one untouched")
            #expect(try second?.signingSecrets(now: t.clock.now, seal: t.store.db.secretSeal).last == oldPlain)
            #expect(made.string("id") == sealed.id?.pathText)
            _ = try await acme.post("/api/v1/customers", ["program": "acme", "key": "c1"])
            _ = try await events.service(t, transport).runOnce()
            #expect(transport.received.count == 1)
            #expect(transport.received.first.map { events.expectedSignature($0, secret: plain) } == transport.received.first?.headers["webhook-signature"])
        }
    }
}
