import ArgumentParser
import TandemStore
import TandemWeb

/// `tandem backup PATH`: a consistent copy of the SQLite database, taken while it serves.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy the SQLite database to PATH while Tandem serves (PostgreSQL: use pg_dump)."
    )

    @Argument(help: "A new file to write the copy to.")
    var path: String

    func run() async throws {
        let config = try loadConfig()
        bootstrapLogging(config)
        do {
            let summary = try await withStore(config, migrate: false) { store in try await Backup.write(store, to: path) }
            let rows = summary.rows.values.reduce(0, +)
            print("Backed up \(config.database) to \(summary.path): \(summary.bytes) bytes, \(summary.rows.count) tables, \(rows) rows.")
        } catch let refusal as Backup.Refusal {
            throw ValidationError(refusal.description)
        }
    }
}
