import ArgumentParser
import Foundation
import Hummingbird
import TandemDomain
import TandemWeb

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Migrate, seed a realistic demo dataset (once), and serve it.")

    @OptionGroup var server: ServerOptions

    @Flag(help: "Seed and exit without serving.")
    var seedOnly = false

    func run() async throws {
        let config = try loadConfig(hostname: server.hostname, port: server.port)
        bootstrapLogging(config)
        try await withStore(config, migrate: true) { store in
            let seeded = try await DemoData.seed(store: store, hasher: PasswordHasher(cost: 10))
            print(seeded != nil ? "Demo data seeded into \(config.database)." : "Demo data already present in \(config.database).")
            let slug = Slug.make(from: DemoData.vendors[0].company)
            if let key = seeded?.vendorKey {
                print("Vendor API key of \(DemoData.vendors[0].company) (shown once): \(key)")
            } else {
                print("For a vendor API key: Settings → API keys in the console, or `tandem vendor key create --company \(slug)`.")
            }
            guard !seedOnly else { fflush(nil); return }
            print("""

            Tandem demo is running at \(config.baseURL)
              Partner login: \(DemoData.partnerEmail) / \(DemoData.password)
              Vendor login:  \(DemoData.vendorEmail) / \(DemoData.password)
              Emails (password resets): \(config.baseURL)/dev/mail
            Stop with Ctrl-C.

            """)
            // Written before serving starts, even when stdout is a file (a script reads the key from it).
            fflush(nil)
            let app = try await buildApplication(config: config, store: store, dependencies: .live(config: config))
            try await app.runService()
        }
    }
}
