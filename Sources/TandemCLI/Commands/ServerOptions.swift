import ArgumentParser
import Foundation
import Logging
import TandemStore
import TandemWeb

struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on (default: HOST or 127.0.0.1).")
    var hostname: String?

    @Option(help: "Port to listen on (default: PORT or 8080).")
    var port: Int?
}

/// Reads the configuration, or exits with the sentence that says what is wrong.
func loadConfig(hostname: String? = nil, port: Int? = nil) throws -> AppConfig {
    do {
        return try AppConfig.fromEnvironment(hostname: hostname, port: port)
    } catch let error as ConfigError {
        throw ValidationError(error.description)
    }
}

func bootstrapLogging(_ config: AppConfig) {
    LoggingSystem.bootstrap { label in
        var handler = LineLogHandler(label: label)
        handler.logLevel = config.logLevel
        return handler
    }
}

func openStore(_ config: AppConfig, migrate: Bool) async throws -> Store {
    var logger = Logger(label: "tandem.db")
    logger.logLevel = config.logLevel
    let store = try await Store.open(config.database, logger: logger, publicURL: config.baseURL, secretKey: config.secretKey)
    if migrate { try await store.migrate() }
    return store
}

/// Opens the database, runs `body`, and always closes the database again.
func withStore<T>(_ config: AppConfig, migrate: Bool, _ body: (Store) async throws -> T) async throws -> T {
    let store = try await openStore(config, migrate: migrate)
    do {
        let result = try await body(store)
        await store.shutdown()
        return result
    } catch {
        await store.shutdown()
        throw error
    }
}
