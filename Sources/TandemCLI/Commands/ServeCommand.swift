import ArgumentParser
import Hummingbird
import TandemWeb

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the web server (and, unless RUN_JOBS=false, the job runner).")

    @OptionGroup var server: ServerOptions

    @Flag(help: "Do not apply pending migrations at start-up.")
    var noMigrate = false

    func run() async throws {
        let config = try loadConfig(hostname: server.hostname, port: server.port)
        bootstrapLogging(config)
        try await withStore(config, migrate: !noMigrate) { store in
            let app = try await buildApplication(config: config, store: store, dependencies: .live(config: config))
            try await app.runService()
        }
    }
}
