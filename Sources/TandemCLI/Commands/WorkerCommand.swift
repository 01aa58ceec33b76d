import ArgumentParser
import Logging
import ServiceLifecycle
import TandemWeb

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worker", abstract: "Run only the background job runner (for deployments that scale it apart from the web nodes).")

    func run() async throws {
        let config = try loadConfig()
        bootstrapLogging(config)
        try await withStore(config, migrate: false) { store in
            let logger = Logger(label: "tandem.worker")
            let services = makeBackgroundServices(store: store, config: config, dependencies: .live(config: config), logger: logger)
            let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        }
    }
}
