import AsyncKit
import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import Synchronization

/// The open database: one FluentKit `Databases` and the event loops it runs on.
///
/// Each database gets its own single-threaded event loop group. For SQLite that makes its
/// pool exactly one connection: writes are serialised in-process instead of failing with
/// SQLITE_BUSY. For PostgreSQL (a pool of `connectionsPerEventLoop` on that loop) it keeps the
/// wire work (a flush's messages, every query's result rows) off the loops that serve HTTP,
/// where it held up that loop's connections. Measured with two servers on one PostgreSQL
/// loaded in turn (12 pairs × 5 s of the redirect benchmark's load): the click-recording
/// route's p99 fell from 8.8 to 7.9 ms (lower in 9 pairs of 12); throughput within the noise.
public final class Store: Sendable {
    public let location: DatabaseLocation
    public let databases: Databases
    public let logger: Logger
    private let eventLoopGroup: MultiThreadedEventLoopGroup
    private let eventLoop: any EventLoop
    private let closed = Mutex(false)
    /// When a write last failed for want of space (see `health`).
    private let outOfSpaceAt = Mutex<Date?>(nil)

    /// `connectionsPerEventLoop` sizes the PostgreSQL pool (SQLite always has one connection).
    /// `identifiers`: where new ids and tokens come from (tests pass `.sequential()`).
    /// `publicURL`: `BASE_URL`, for the links events carry.
    /// `secretKey`: `SECRET_KEY`, which seals webhook signing secrets at rest (`SecretSeal`).
    /// `connectionWait`: how long a request waits for a connection before it is turned away
    /// as overload (a 503). Tests lengthen it: dozens of suites share two cores, and a slow
    /// turn there is noise, not overload.
    public static func open(
        _ location: DatabaseLocation, connectionsPerEventLoop: Int = 8, logger: Logger = Logger(label: "tandem.db"),
        identifiers: Identifiers = .random, connectionWait: TimeAmount = .seconds(10), publicURL: String? = nil, secretKey: String? = nil
    ) async throws -> Store {
        let store = Store(
            location: location, connectionsPerEventLoop: connectionsPerEventLoop, logger: logger, identifiers: identifiers,
            connectionWait: connectionWait)
        if let publicURL { store.databases.middleware.use(PublicURLNote(url: publicURL)) }
        if let secretKey { store.databases.middleware.use(SecretSealNote(seal: SecretSeal(secretKey: secretKey))) }
        if case .sqliteFile = location {
            // WAL lets readers go on while the one writer writes; the busy timeout
            // covers a second process (a `tandem worker`) on the same file.
            _ = try await store.sql.raw("PRAGMA journal_mode=WAL").all()
            _ = try await store.sql.raw("PRAGMA busy_timeout=5000").all()
            _ = try await store.sql.raw("PRAGMA synchronous=NORMAL").all()
            // 64 MiB of page cache: the click tables' indexes stay in memory under load.
            _ = try await store.sql.raw("PRAGMA cache_size=-65536").all()
            // Checkpoint every 10,000 WAL pages (40 MiB) instead of 1,000: clicks from many
            // visitors dirty index pages all over, and a page dirtied by several flushes is
            // copied into the database once per checkpoint. The redirect benchmark with
            // 100,000 visitors (redirect-ab, 12 pairs x 4 s, both orders): 1.096 and 1/0.908
            // the throughput; 40,000 pages added 1.059 in one order, not worth 160 MiB of WAL.
            _ = try await store.sql.raw("PRAGMA wal_autocheckpoint=10000").all()
        }
        return store
    }

    private init(location: DatabaseLocation, connectionsPerEventLoop: Int, logger: Logger, identifiers: Identifiers, connectionWait: TimeAmount) {
        self.location = location
        self.logger = logger
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.eventLoopGroup = group
        self.eventLoop = group.next()
        self.databases = Databases(threadPool: NIOThreadPool.singleton, on: group)
        switch location {
        case .sqliteFile(let path):
            databases.use(.sqlite(.init(storage: .file(path: path)), connectionPoolTimeout: connectionWait, sqlLogLevel: .trace), as: .sqlite)
        case .sqliteMemory:
            databases.use(.sqlite(.init(storage: .memory), connectionPoolTimeout: connectionWait, sqlLogLevel: .trace), as: .sqlite)
        case .postgres(let url, let schema):
            // Validated by the configuration reader before we get here.
            var configuration = (try? SQLPostgresConfiguration(url: url))
                ?? SQLPostgresConfiguration(hostname: "localhost", username: "postgres", tls: .disable)
            if let schema { configuration.searchPath = [schema] }
            databases.use(
                .postgres(
                    configuration: configuration, maxConnectionsPerEventLoop: connectionsPerEventLoop,
                    connectionPoolTimeout: connectionWait, sqlLogLevel: .trace),
                as: .psql)
        }
        databases.middleware.use(IdentifierAssignment(identifiers: identifiers))
    }

    public var identifiers: Identifiers { db.identifiers }

    public var db: any Database {
        databases.database(logger: logger, on: eventLoop)!
    }

    public var sql: any SQLDatabase {
        db as! any SQLDatabase
    }

    public var isPostgres: Bool { location.isPostgres }

    public func migrate() async throws {
        let migrations = Migrations()
        migrations.add(TandemMigrations.all)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: eventLoop, migrationLogLevel: .debug)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
        // Endpoints made before secrets were sealed are sealed now (there is no key in a migration).
        try await WebhookEndpoint.sealUnsealedSecrets(on: db)
    }

    /// Succeeds when the database answers a trivial query.
    public func ping() async throws {
        guard !closed.withLock({ $0 }) else { throw StoreClosed() }
        _ = try await sql.raw("SELECT 1 AS ok").all()
    }

    public struct StoreClosed: Error {}

    /// What `/healthz` reports.
    public enum Health: Equatable, Sendable {
        case ok
        /// The database does not answer (PostgreSQL down, SQLite's file locked or unreadable).
        case unreachable
        /// It answers, but writes fail for want of space: the disk, or SQLite's `max_page_count`.
        case full
    }

    /// A read proves the database answers, not that it takes writes: a full disk still
    /// answers `SELECT 1`. So a write that failed for want of space marks the store full until
    /// a write succeeds again (the click writer's commits, four a second under traffic) or a
    /// minute passes without another such failure; and a SQLite file whose disk has less than
    /// a mebibyte left is full whatever the last write did.
    public func health(now: Date = Date()) async -> Health {
        do { try await ping() } catch { return .unreachable }
        if let failed = outOfSpaceAt.withLock({ $0 }), now.timeIntervalSince(failed) < Self.outOfSpaceMemory { return .full }
        if case .sqliteFile(let path) = location, let free = Self.freeBytes(besides: path), free < Self.minimumFreeBytes { return .full }
        return .ok
    }

    static let outOfSpaceMemory: TimeInterval = 60
    static let minimumFreeBytes: UInt64 = 1 << 20

    /// Called with every error a write met: one that means "no space" marks the store full.
    public func noteWriteFailure(_ error: any Error, now: Date = Date()) {
        if Self.isOutOfSpace(error) { outOfSpaceAt.withLock { $0 = now } }
    }

    /// A write committed: there is room again.
    public func noteWriteSucceeded() {
        outOfSpaceAt.withLock { $0 = nil }
    }

    /// SQLite's SQLITE_FULL, through SQLiteNIO or the click writer's C-API calls.
    static func isOutOfSpace(_ error: any Error) -> Bool {
        switch error {
        case let error as SQLiteError: String(describing: error.reason).hasPrefix("full")
        case let error as SQLiteClickWriter.SQLiteFailure: error.code & 0xFF == 13  // SQLITE_FULL
        default: false
        }
    }

    /// Bytes an unprivileged writer may still use on the file system holding `path`'s folder.
    static func freeBytes(besides path: String) -> UInt64? {
        var stats = statvfs()
        let folder = (path as NSString).deletingLastPathComponent
        guard statvfs(folder.isEmpty ? "." : folder, &stats) == 0 else { return nil }
        return UInt64(stats.f_bavail) * UInt64(stats.f_frsize)
    }

    public func shutdown() async {
        closed.withLock { $0 = true }
        await databases.shutdownAsync()
        try? await eventLoopGroup.shutdownGracefully()
    }
}

extension Store {
    /// Whether `error` means the database had no connection free in time: overload, which
    /// callers answer with 503 and `Retry-After`, not a fault of the request.
    public static func isOverload(_ error: any Error) -> Bool {
        error is ConnectionPoolTimeoutError
    }

    /// A sum the database made (`CAST(SUM(…) AS BIGINT)`) went past a 64-bit integer: only
    /// amounts beyond every limit could add up to it, so the request is refused as a sum made
    /// in Swift is (`AmountOverflow`), not answered as a fault. PostgreSQL's SQLSTATE 22003
    /// ("bigint out of range"), SQLite's "integer overflow".
    public static func isOverflow(_ error: any Error) -> Bool {
        switch error {
        case let error as PSQLError:
            return error.code == .server && error.serverInfo?[.sqlState] == "22003"
        case let error as SQLiteError:
            return error.message.contains("integer overflow")
        default:
            return false
        }
    }

    /// The database cannot be reached right now: PostgreSQL stopped, restarting or gone from
    /// the network (the connection refused, closed or cut), or SQLite's file busy past its
    /// timeout, locked, out of disk or failing to read and write. Nothing the request asked
    /// for was done, and the same request can succeed later: a 503, not a 500.
    public static func isUnavailable(_ error: any Error) -> Bool {
        switch error {
        case let error as PSQLError:
            return [.connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection].contains(error.code)
        case let error as SQLiteError:
            let reason = String(describing: error.reason)
            return ["busy", "locked", "full", "ioError", "cantOpen", "protocol"].contains { reason.hasPrefix($0) }
        case is NIOConnectionError, is ChannelError:
            return true
        case let error as IOError:
            return [ECONNREFUSED, ECONNRESET, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH, EPIPE].contains(error.errnoCode)
        default:
            return false
        }
    }
}
