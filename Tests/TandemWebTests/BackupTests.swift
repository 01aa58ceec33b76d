import Foundation
import SQLKit
import TandemStore
import Testing

/// `tandem backup PATH` as an operator runs it: against a serving node, then the copy opened
/// as a database of its own holds every row the live one does.
@Suite struct BackupTests {
    typealias Binary = ShutdownFlushTests

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: Binary.executable.path) && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
    func aBackupTakenWhileServingRestoresEveryRow() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("tandem.sqlite").path
        let copy = folder.appendingPathComponent("copy.sqlite").path
        let port = try Binary.freePort()
        let base = "http://127.0.0.1:\(port)"
        // No job runner: nothing writes between the backup and the stop but the requests below.
        let environment = [
            "DATABASE_URL": "sqlite:\(database)", "PORT": "\(port)", "SECRET_KEY": String(repeating: "s", count: 40),
            "RUN_JOBS": "false", "LOG_LEVEL": "error", "BASE_URL": base,
        ]
        let created = try Binary.run(["vendor", "create", "--company", "Acme", "--email", "a@example.com", "--password", "long enough password"], environment: environment)
        let key = try #require(created.split(separator: "\n").last.map(String.init))

        let server = try await Binary.startServer(environment: environment, base: base)
        defer { if server.isRunning { server.interrupt() } }

        let json = ["-s", "-H", "Authorization: Bearer \(key)", "-H", "Content-Type: application/json"]
        _ = try Binary.run(["curl"] + json + ["-d", #"{"name":"Acme","slug":"acme","currency":"USD","default_destination":"https://shop.example.com/"}"#, "\(base)/api/v1/programs"], environment: [:])
        _ = try Binary.run(["curl"] + json + ["-d", #"{"program":"acme","email":"pat@example.com"}"#, "\(base)/api/v1/partnerships"], environment: [:])
        for index in 0..<20 {
            _ = try Binary.run(["curl"] + json + ["-d", #"{"program":"acme","key":"c\#(index)","email":"c\#(index)@example.com"}"#, "\(base)/api/v1/customers"], environment: [:])
        }

        let report = try Binary.run(["backup", copy], environment: environment)
        #expect(report.contains("Backed up"), "\(report)")
        // A second backup to the same file is refused, not written over.
        let again = try Binary.run(["backup", copy], environment: environment)
        #expect(!again.contains("Backed up"))

        server.terminate()
        server.waitUntilExit()

        let live = try await Store.open(.sqliteFile(path: database))
        let restored = try await Store.open(.sqliteFile(path: copy))
        let liveRows = try await Backup.rowCounts(live.sql)
        let restoredRows = try await Backup.rowCounts(restored.sql)
        struct Check: Decodable { let integrity_check: String }
        let integrity = try await restored.sql.raw("PRAGMA integrity_check").first(decoding: Check.self)?.integrity_check
        await live.shutdown()
        await restored.shutdown()
        #expect(integrity == "ok")
        #expect(liveRows["customers"] == 20)
        #expect(liveRows.count > 20, "every table of the schema")
        #expect(restoredRows == liveRows)
    }

    /// The copy is one instant of the database even while another connection writes.
    @Test func aBackupWhileWritingIsConsistent() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await Store.open(.sqliteFile(path: folder.appendingPathComponent("live.sqlite").path))
        try await store.sql.raw("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)").run()
        for index in 0..<200 { try await store.sql.raw("INSERT INTO notes (body) VALUES (\(bind: "note \(index)"))").run() }
        let writer = Task {
            for index in 200..<1200 { try await store.sql.raw("INSERT INTO notes (body) VALUES (\(bind: "note \(index)"))").run() }
        }
        let summary = try await Backup.write(store, to: folder.appendingPathComponent("copy.sqlite").path)
        try await writer.value
        let total = try await Backup.rowCounts(store.sql)["notes"]
        await store.shutdown()
        let copied = try #require(summary.rows["notes"])
        #expect(copied >= 200 && copied <= 1200)
        #expect(total == 1200)
        await #expect(throws: Backup.Refusal.self) {
            let memory = try await Store.open(.sqliteMemory)
            defer { Task { await memory.shutdown() } }
            _ = try await Backup.write(memory, to: folder.appendingPathComponent("nothing.sqlite").path)
        }
    }
}
