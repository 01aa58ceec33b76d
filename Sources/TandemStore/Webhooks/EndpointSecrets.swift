import FluentKit
import Foundation

extension WebhookEndpoint {
    /// Seals the secrets of endpoints made before secrets were sealed (a migration has no key,
    /// so the store does it after migrating). Without a seal it leaves them. Endpoints are few
    /// (a handful per company or partner), so they are read whole.
    static func sealUnsealedSecrets(on db: any Database) async throws {
        guard let seal = db.secretSeal else { return }
        for endpoint in try await WebhookEndpoint.query(on: db).all() {
            let previous = endpoint.previousSecret
            guard !SecretSeal.isSealed(endpoint.secret) || !(previous.map(SecretSeal.isSealed) ?? true) else { continue }
            if !SecretSeal.isSealed(endpoint.secret) { endpoint.secret = try seal.seal(endpoint.secret) }
            if let previous, !SecretSeal.isSealed(previous) { endpoint.previousSecret = try seal.seal(previous) }
            try await endpoint.save(on: db)
        }
    }
}
