import ArgumentParser
import TandemWeb

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending database migrations and exit.")

    func run() async throws {
        let config = try loadConfig()
        bootstrapLogging(config)
        try await withStore(config, migrate: true) { _ in }
        print("Migrations applied to \(config.database).")
    }
}
