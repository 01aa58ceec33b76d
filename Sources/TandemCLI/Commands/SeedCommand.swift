import ArgumentParser
import Foundation
import TandemStore
import TandemWeb

struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Seed data for measuring: --large makes one partnership with 1,000,000 clicks, 50,000 customers and 200,000 transactions over 12 months."
    )

    @Flag(help: "The page-speed dataset (Benchmarks/pages uses it).") var large = false

    func run() async throws {
        guard large else { throw ValidationError("Say what to seed: --large.") }
        let config = try loadConfig()
        bootstrapLogging(config)
        try await withStore(config, migrate: true) { store in
            let started = Date()
            let seeded = try await LargeDataset.seed(store: store, hasher: PasswordHasher(cost: 10), now: Date())
            print(seeded
                ? "Large dataset seeded in \(Int(Date().timeIntervalSince(started))) s. Log in as \(LargeDataset.email) / \(DemoData.password)."
                : "The large dataset is already there.")
        }
    }
}
