import Foundation
import NIOCore
import SQLKit
import TandemStore

/// A fresh, migrated database for one test: in-memory SQLite by default, or — when
/// TEST_DATABASE_URL is set — a new PostgreSQL schema that is dropped afterwards, so
/// tests run in parallel without seeing each other's rows.
public enum TestDatabase {
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Tests run in parallel; small pools keep them under PostgreSQL's connection limit.
    public static let poolSize = 2

    /// Suites run side by side on two cores: a request may wait its turn far longer than it
    /// would in production without anything being wrong.
    public static let connectionWait: TimeAmount = .seconds(120)

    /// Seals webhook secrets in tests as `SECRET_KEY` does in production.
    public static let secretKey = "test-secret-key-0123456789abcdef0123456789"

    /// Ids and tokens count up from 1 (`Identifiers.sequential`): a test sees the same rows,
    /// links and pages on every run.
    public static func withStore<T>(_ body: (Store) async throws -> T) async throws -> T {
        try await withLocation(makeLocation()) { location in
            let store = try await Store.open(
                location, connectionsPerEventLoop: poolSize, identifiers: .sequential(), connectionWait: connectionWait, publicURL: "http://tandem.test",
                secretKey: secretKey)
            do {
                try await store.migrate()
                let result = try await body(store)
                await store.shutdown()
                return result
            } catch {
                await store.shutdown()
                throw error
            }
        }
    }

    /// For tests that open the same database twice (two app instances, two processes):
    /// a SQLite file in a temporary folder, or a PostgreSQL schema.
    public static func withSharedLocation<T>(_ body: (DatabaseLocation) async throws -> T) async throws -> T {
        if postgresURL != nil { return try await withLocation(makeLocation(), body) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await body(.sqliteFile(path: folder.appendingPathComponent("tandem.sqlite").path))
    }

    static func makeLocation() -> DatabaseLocation {
        guard let url = postgresURL else { return .sqliteMemory }
        return .postgres(url: url, schema: "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20))
    }

    /// Each PostgreSQL test holds up to six connections (its pools and the admin one); this
    /// keeps the parallel suite well under the server's 300.
    static let postgresTests = AsyncLimiter(limit: 32)

    static func withLocation<T>(_ location: DatabaseLocation, _ body: (DatabaseLocation) async throws -> T) async throws -> T {
        guard case .postgres(let url, let schema?) = location else { return try await body(location) }
        await postgresTests.acquire()
        do {
            let result = try await withSchema(url: url, schema: schema, location, body)
            await postgresTests.release()
            return result
        } catch {
            await postgresTests.release()
            throw error
        }
    }

    static func withSchema<T>(url: String, schema: String, _ location: DatabaseLocation, _ body: (DatabaseLocation) async throws -> T) async throws -> T {
        let admin = try await Store.open(.postgres(url: url), connectionsPerEventLoop: 1)
        do {
            try await admin.sql.raw("CREATE SCHEMA \(ident: schema)").run()
            let result = try await body(location)
            try? await admin.sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
            await admin.shutdown()
            return result
        } catch {
            try? await admin.sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
            await admin.shutdown()
            throw error
        }
    }
}
