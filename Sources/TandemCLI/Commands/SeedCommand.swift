import ArgumentParser
import Foundation
import TandemStore
import TandemWeb

struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Seed data for measuring: --large makes one partnership with 1,000,000 clicks, 50,000 customers and 200,000 payments over 12 months, through the same workflows as the API."
    )

    @Flag(help: "The page-speed dataset (Benchmarks/pages uses it).") var large = false
    @Option(help: "Clicks in the large dataset.") var clicks = 1_000_000
    @Option(help: "Customers in the large dataset.") var customers = 50_000
    @Option(help: "Payments in the large dataset.") var transactions = 200_000

    func run() async throws {
        guard large else { throw ValidationError("Say what to seed: --large.") }
        guard clicks >= 0, customers >= 1, transactions >= 0, clicks <= 100_000_000, customers <= 10_000_000, transactions <= 50_000_000 else {
            throw ValidationError("--clicks 0…100,000,000, --customers 1…10,000,000 and --transactions 0…50,000,000.")
        }
        let config = try loadConfig()
        bootstrapLogging(config)
        try await withStore(config, migrate: true) { store in
            let started = Date()
            let size = LargeDataset.Size(clicks: clicks, customers: customers, transactions: transactions)
            let seeded = try await LargeDataset.seed(store: store, hasher: PasswordHasher(cost: 10), now: Date(), size: size) { step in
                print("\(step) (\(Int(Date().timeIntervalSince(started))) s)")
            }
            print(seeded
                ? "Large dataset seeded in \(Int(Date().timeIntervalSince(started))) s. Log in as \(LargeDataset.email) / \(DemoData.password)."
                : "The large dataset is already there.")
        }
    }
}
