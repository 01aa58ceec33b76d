import Foundation
import Glibc
import SQLKit
import TandemStore
import TandemTestSupport
import Testing

/// Starts the real `tandem` executable, clicks, sends SIGTERM, and counts the clicks
/// in the database: an answered click must never be lost to a graceful stop.
@Suite struct ShutdownFlushTests {
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tandem")
    }

    /// Runs `tandem` (or curl) to its end and returns what it printed (through a file: no pipe
    /// to read while signals fly).
    @discardableResult
    static func run(_ arguments: [String], environment: [String: String]) throws -> String {
        let path = arguments[0] == "curl" ? "/usr/bin/curl" : executable.path
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-out-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outputFile) }
        let child = try ChildProcess(path: path, arguments: Array(arguments.dropFirst(arguments[0] == "curl" ? 1 : 0)),
                                     environment: environment, stdoutPath: outputFile)
        child.waitUntilExit()
        return String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: outputFile))) ?? Data(), as: UTF8.self)
    }

    /// `tandem serve` with `environment`, once it answers `/healthz` at `base`.
    static func startServer(environment: [String: String], base: String) async throws -> ChildProcess {
        var environment = environment
        // The spool defaults to the working directory: a test's goes to its own place.
        if environment["CLICK_SPOOL_DIR"] == nil {
            environment["CLICK_SPOOL_DIR"] = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-spool-\(UUID().uuidString)").path
        }
        // What it prints (its log lines and errors) goes to a file: if it stops before it
        // answers, the failure says why.
        let printed = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-serve-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: printed) }
        let server = try ChildProcess(path: executable.path, arguments: ["serve"], environment: environment, stdoutPath: printed, stderrPath: printed)
        // A debug build migrating a fresh database on a busy machine can take a while to listen
        // (once over 80 s while the whole suite ran on two cores): a deadline, not a count of tries.
        var healthy = false
        let deadline = ContinuousClock.now.advanced(by: .seconds(240))
        while !healthy && server.isRunning && ContinuousClock.now < deadline {
            healthy = try run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "\(base)/healthz"], environment: [:]) == "200"
            if !healthy { try await Task.sleep(for: .milliseconds(100)) }
        }
        if !healthy && server.isRunning { server.interrupt() }
        let said = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: printed))) ?? Data(), as: UTF8.self)
        try #require(healthy, "the server never answered /healthz (exit \(server.isRunning ? "none" : "\(server.terminationStatus)")): \(said.suffix(2_000))")
        return server
    }

    /// A port for a test's server: below Linux's ephemeral range (32768 and up), where the
    /// suite's own outgoing connections (hundreds to PostgreSQL) take their local ports, and
    /// free now. A port in that range once made a server fail to bind, and its test wait out
    /// its deadline.
    static func freePort() throws -> Int {
        for _ in 0..<50 {
            if let bound = LoopbackSocket.bind(port: Int.random(in: 20_000..<32_768)) {
                close(bound.descriptor)
                return bound.port
            }
        }
        throw POSIXError(.EADDRINUSE)
    }

    /// A folder with a SQLite file and what `tandem serve` needs to run on it at a random port.
    /// Clicks are flushed once a minute: only the shutdown (or the spool) can have written them.
    static func scratchServer(_ name: String) throws -> (folder: URL, database: String, base: String, environment: [String: String]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = folder.appendingPathComponent("tandem.sqlite").path
        let port = try freePort()
        let base = "http://127.0.0.1:\(port)"
        let environment = [
            "DATABASE_URL": "sqlite:\(database)", "PORT": "\(port)", "SECRET_KEY": String(repeating: "s", count: 40),
            "RUN_JOBS": "false", "LOG_LEVEL": "error", "BASE_URL": base, "CLICK_SPOOL_DIR": folder.appendingPathComponent("spool").path,
            "CLICK_FLUSH_MS": "60000",
        ]
        return (folder, database, base, environment)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path) && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
    func sigtermWritesEveryAnsweredClick() async throws {
        let (folder, database, base, environment) = try Self.scratchServer("sigterm")
        defer { try? FileManager.default.removeItem(at: folder) }
        let created = try Self.run(["vendor", "create", "--company", "Acme", "--email", "a@example.com", "--password", "long enough password"], environment: environment)
        let key = try #require(created.split(separator: "\n").last.map(String.init))
        #expect(key.hasPrefix("tdm_sk_"))

        let server = try await Self.startServer(environment: environment, base: base)
        defer { if server.isRunning { server.interrupt() } }

        let json = ["-s", "-H", "Authorization: Bearer \(key)", "-H", "Content-Type: application/json"]
        _ = try Self.run(["curl"] + json + ["-d", #"{"name":"Acme","slug":"acme","currency":"USD","default_destination":"https://shop.example.com/"}"#, "\(base)/api/v1/programs"], environment: [:])
        let enrolled = try Self.run(["curl"] + json + ["-d", #"{"program":"acme","email":"pat@example.com"}"#, "\(base)/api/v1/partnerships"], environment: [:])
        let link = try #require((try JSONSerialization.jsonObject(with: Data(enrolled.utf8)) as? [String: Any])?["default_link"] as? String)

        let clicks = 25
        for _ in 0..<clicks {
            let status = try Self.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-A", "Mozilla/5.0 Test", link], environment: [:])
            #expect(status == "302")
        }
        server.terminate()  // SIGTERM
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
        // Everything written: no segment (nor the one readied for later clicks) and no lock is left.
        let spool = try #require(environment["CLICK_SPOOL_DIR"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool).isEmpty)

        let store = try await Store.open(.sqliteFile(path: database))
        struct Row: Decodable { let n: Int }
        let stored = try await store.sql.raw("SELECT COUNT(*) AS n FROM clicks").first(decoding: Row.self)?.n
        await store.shutdown()
        #expect(stored == clicks)
    }
}
