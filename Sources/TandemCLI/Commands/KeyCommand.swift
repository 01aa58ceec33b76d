import ArgumentParser
import Foundation
import TandemStore
import TandemWeb

struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "key", abstract: "Manage API keys.", subcommands: [Revoke.self])

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API key (vendor tdm_sk_… or partner tdm_pk_…); it stops working at once.")

        @Option(help: "The whole secret of the key to revoke.") var key: String

        func run() async throws {
            let config = try loadConfig()
            try await withStore(config, migrate: true) { store in
                guard let found = try await APIKeyQueries.find(secret: key, on: store.db) else {
                    throw ValidationError("No live key matches; it may already be revoked.")
                }
                try await APIKeyQueries.revoke(id: found.requireID(), now: Date(), on: store.db)
                print("Revoked \(found.prefix)…")
            }
        }
    }
}
