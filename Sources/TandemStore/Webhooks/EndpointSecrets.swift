import FluentKit
import Foundation

extension WebhookEndpoint {
    /// Seals the secrets of endpoints made before secrets were sealed (a migration has no key,
    /// so the store does it after migrating). Without a seal it leaves them. Every start runs
    /// this, so it reads only the endpoints still holding a plain secret (none, once sealed).
    static func sealUnsealedSecrets(on db: any Database) async throws {
        guard let seal = db.secretSeal else { return }
        let unsealed = try await WebhookEndpoint.query(on: db).group(.or) { either in
            either.filter(\.$secret !=~ SecretSeal.prefix).filter(\.$previousSecret !=~ SecretSeal.prefix)
        }.all()
        for endpoint in unsealed {
            let previous = endpoint.previousSecret
            if !SecretSeal.isSealed(endpoint.secret) { endpoint.secret = try seal.seal(endpoint.secret) }
            if let previous, !SecretSeal.isSealed(previous) { endpoint.previousSecret = try seal.seal(previous) }
            try await endpoint.save(on: db)
        }
    }
}
