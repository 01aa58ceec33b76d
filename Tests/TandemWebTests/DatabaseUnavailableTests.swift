import Foundation
import Hummingbird
import HummingbirdTesting
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

/// A database that cannot be reached (PostgreSQL stopped: nothing listens on its port) is a
/// pause: pages and the API answer 503 with `Retry-After`, never a 500, and `/healthz` says so.
@Suite struct DatabaseUnavailableTests {
    @Test func anUnreachableDatabaseIsA503WithRetryAfter() async throws {
        // Port 1 on loopback: every connection is refused, as when the server is down.
        let store = try await Store.open(.postgres(url: "postgres://tandem:tandem@127.0.0.1:1/tandem?sslmode=disable"), connectionWait: .seconds(5))
        let app = try await buildApplication(config: TestApp.config(store.location), store: store, dependencies: TestApp.dependencies(clock: TestClock()))
        try await app.test(.router) { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .serviceUnavailable)
            #expect(String(buffer: health.body).contains("unreachable"))

            let api = try await client.execute(uri: "/api/v1/programs", method: .get, headers: [.authorization: "Bearer tdm_sk_\(String(repeating: "a", count: 40))"])
            #expect(api.status == .serviceUnavailable)
            #expect(api.headers[.retryAfter] == ErrorMiddleware.unavailableRetryAfter)
            #expect(String(buffer: api.body).contains("\"database_unavailable\""), "\(String(buffer: api.body))")

            let page = try await client.execute(uri: "/partner", method: .get, headers: [.cookie: "tdm_session=\(String(repeating: "b", count: 43))"])
            #expect(page.status == .serviceUnavailable, "\(page.status)")
            #expect(page.headers[.retryAfter] == ErrorMiddleware.unavailableRetryAfter)
        }
        await store.shutdown()
    }
}

extension DatabaseUnavailableTests {
    /// SQLite's file held by another process (a write lock past the busy timeout) is the same
    /// pause: a request that must write answers 503, and works again once the lock is gone.
    @Test func aLockedSQLiteFileIsA503AndRecovers() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-locked-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = DatabaseLocation.sqliteFile(path: folder.appendingPathComponent("tandem.sqlite").path)
        let store = try await Store.open(location)
        try await store.migrate()
        let clock = TestClock()
        let hash = try await PasswordHasher(cost: 4).hash("vendor password 1")
        let (_, company) = try await AccountQueries.createVendor(
            company: "Acme", name: "Admin", email: "admin@acme.example", passwordHash: hash, now: clock.now, on: store.db)
        let secret = try await APIKeyQueries.create(owner: .vendor, companyID: company.requireID(), label: "test", now: clock.now, on: store.db)
        // Another process's lock: a second pool on the file holding a write transaction.
        let other = try await Store.open(location)
        _ = try await other.sql.raw("PRAGMA busy_timeout=100").all()
        let app = try await buildApplication(config: TestApp.config(location), store: store, dependencies: TestApp.dependencies(clock: clock))
        try await app.test(.router) { client in
            let body = ByteBuffer(string: #"{"name":"Acme","currency":"USD","default_destination":"https://shop.example.com/"}"#)
            let headers: HTTPFields = [.authorization: "Bearer \(secret)", .contentType: "application/json"]
            _ = try await other.sql.raw("BEGIN IMMEDIATE").all()
            let locked = try await client.execute(uri: "/api/v1/programs", method: .post, headers: headers, body: body)
            #expect(locked.status == .serviceUnavailable, "\(String(buffer: locked.body))")
            #expect(locked.headers[.retryAfter] == ErrorMiddleware.unavailableRetryAfter)
            _ = try await other.sql.raw("ROLLBACK").all()
            let after = try await client.execute(uri: "/api/v1/programs", method: .post, headers: headers, body: body)
            #expect(after.status == .created, "\(String(buffer: after.body))")
        }
        await other.shutdown()
        await store.shutdown()
    }

    /// SQLite out of space (`max_page_count` reached, as a full disk is): a write is a 503 that
    /// leaves nothing half-done, a click is still answered and waits in memory, and both go
    /// through once there is room again — without a restart.
    @Test func aFullSQLiteDatabaseIsA503LosesNothingAndRecovers() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = DatabaseLocation.sqliteFile(path: folder.appendingPathComponent("tandem.sqlite").path)
        let store = try await Store.open(location)
        try await store.migrate()
        let clock = TestClock()
        let hash = try await PasswordHasher(cost: 4).hash("vendor password 1")
        let (_, company) = try await AccountQueries.createVendor(
            company: "Acme", name: "Admin", email: "admin@acme.example", passwordHash: hash, now: clock.now, on: store.db)
        let secret = try await APIKeyQueries.create(owner: .vendor, companyID: company.requireID(), label: "test", now: clock.now, on: store.db)
        let tracking = Tracking(store: store, flushInterval: .seconds(3600))
        let app = try await buildApplication(config: TestApp.config(location), store: store, dependencies: TestApp.dependencies(clock: clock), tracking: tracking)
        struct Count: Decodable { let n: Int }
        @Sendable func count(_ table: String) async throws -> Int {
            try await store.sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first(decoding: Count.self)?.n ?? -1
        }
        try await app.test(.router) { client in
            let headers: HTTPFields = [.authorization: "Bearer \(secret)", .contentType: "application/json"]
            func createProgram(_ n: Int) async throws -> TestResponse {
                let body = #"{"name":"Program \#(n)","slug":"program-\#(n)","currency":"USD","default_destination":"https://shop.example.com/","description":"\#(String(repeating: "A long description. ", count: 90))"}"#
                return try await client.execute(uri: "/api/v1/programs", method: .post, headers: headers, body: ByteBuffer(string: body))
            }
            #expect(try await createProgram(0).status == .created)
            let enrol = try await client.execute(uri: "/api/v1/partnerships", method: .post, headers: headers,
                                                 body: ByteBuffer(string: #"{"program":"program-0","email":"pat@example.com"}"#))
            let link = try #require((try JSONSerialization.jsonObject(with: Data(buffer: enrol.body)) as? [String: Any])?["default_link"] as? String)
            let path = String(link[link.range(of: "/r/")!.lowerBound...])
            #expect(try await client.execute(uri: path, method: .get, headers: [.userAgent: browserAgent]).status == .found)
            try await tracking.recorder.flush()

            // The disk fills: no page may be added to the file any more.
            struct Pages: Decodable { let page_count: Int }
            let pages = try #require(try await store.sql.raw("PRAGMA page_count").first(decoding: Pages.self)).page_count
            _ = try await store.sql.raw("PRAGMA max_page_count = \(unsafeRaw: String(pages))").all()
            var created = 1, refusal: TestResponse?
            for n in 1...400 {
                let answer = try await createProgram(n)
                guard answer.status == .created else { refusal = answer; break }
                created += 1
            }
            let full = try #require(refusal, "the database never filled")
            #expect(full.status == .serviceUnavailable, "\(String(buffer: full.body))")
            #expect(full.headers[.retryAfter] == ErrorMiddleware.unavailableRetryAfter)
            #expect(String(buffer: full.body).contains("database_unavailable"))
            #expect(try await count("programs") == created, "the refused request left no half-made program")
            // SELECT 1 still answers; /healthz says the writes fail for want of space.
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .serviceUnavailable)
            #expect(String(buffer: health.body) == #"{"status":"unavailable","database":"full"}"#)
            #expect(health.headers[.retryAfter] == ErrorMiddleware.unavailableRetryAfter)

            // Clicks still get their 302; their write fails (more than the pages' free room) and they wait in memory.
            for visitor in 1...300 {
                let answer = try await client.execute(uri: path, method: .get, headers: [.userAgent: browserAgent, .cookie: "tdm_vid=" + String(format: "%032x", visitor)])
                #expect(answer.status == .found)
            }
            await #expect(throws: (any Error).self) { try await tracking.recorder.flush() }
            #expect(try await count("clicks") == 1)

            // Room again: the same requests succeed, and the waiting click is written.
            _ = try await store.sql.raw("PRAGMA max_page_count = 1073741823").all()
            #expect(try await createProgram(1000).status == .created)
            try await tracking.recorder.flush()
            #expect(try await count("clicks") == 301)
            let healthy = try await client.execute(uri: "/healthz", method: .get)
            #expect(healthy.status == .ok, "a committed write clears the state: \(String(buffer: healthy.body))")
            #expect(try await count("click_unique_keys") == 301)
            #expect(try await RollupCheck.run(on: store.sql).differences.isEmpty, "the failed batch left no half-counted rollup")
            #expect(try await count("programs") == created + 1)
        }
        await store.shutdown()
    }
}
