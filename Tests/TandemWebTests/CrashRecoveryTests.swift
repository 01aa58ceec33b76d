import Foundation
import SQLKit
import TandemStore
import Testing

/// The real `tandem` executable, killed with SIGKILL in the middle of a stream of clicks and
/// started again: every click that got its 302 is in the database afterwards.
@Suite struct CrashRecoveryTests {
    typealias Server = ShutdownFlushTests

    /// Clicks the link on a thread of its own (curl blocks; the test's tasks must keep running)
    /// until stopped or the server stops answering, keeping the click id of every 302.
    final class Clicker: @unchecked Sendable {
        private let lock = NSLock()
        private var ids: [String] = []
        private var stopped = false
        private var finished = false

        var answered: [String] { lock.withLock { ids } }
        var isFinished: Bool { lock.withLock { finished } }
        func stop() { lock.withLock { stopped = true } }

        func start(_ link: String) {
            Thread {
                defer { self.lock.withLock { self.finished = true } }
                while !self.lock.withLock({ self.stopped }) {
                    guard let answer = try? Server.run(
                        ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "-A", "Mozilla/5.0 Test", link], environment: [:]
                    ) else { return }
                    let parts = answer.split(separator: " ")
                    guard parts.first == "302", let location = parts.last, let id = location.split(separator: "=").last else { return }
                    self.lock.withLock { self.ids.append(String(id)) }
                }
            }.start()
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: Server.executable.path) && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
    func sigkillLosesNoAnsweredClick() async throws {
        // Nothing is flushed before the kill (once a minute): every click must come back from the spool.
        let (folder, database, base, environment) = try Server.scratchServer("sigkill")
        defer { try? FileManager.default.removeItem(at: folder) }
        let created = try Server.run(["vendor", "create", "--company", "Acme", "--email", "a@example.com", "--password", "long enough password"], environment: environment)
        let key = try #require(created.split(separator: "\n").last.map(String.init))
        var server = try await Server.startServer(environment: environment, base: base)
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }

        let json = ["-s", "-H", "Authorization: Bearer \(key)", "-H", "Content-Type: application/json"]
        _ = try Server.run(["curl"] + json + ["-d", #"{"name":"Acme","slug":"acme","currency":"USD","default_destination":"https://shop.example.com/"}"#, "\(base)/api/v1/programs"], environment: [:])
        let enrolled = try Server.run(["curl"] + json + ["-d", #"{"program":"acme","email":"pat@example.com"}"#, "\(base)/api/v1/partnerships"], environment: [:])
        let link = try #require((try JSONSerialization.jsonObject(with: Data(enrolled.utf8)) as? [String: Any])?["default_link"] as? String)

        // Two streams of clicks; the kill lands while both are running.
        let clickers = [Clicker(), Clicker()]
        for clicker in clickers { clicker.start(link) }
        while clickers.map(\.answered.count).reduce(0, +) < 60 && !clickers.allSatisfy(\.isFinished) {
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(server.processIdentifier, SIGKILL)
        server.waitUntilExit()
        for clicker in clickers { clicker.stop() }
        while !clickers.allSatisfy(\.isFinished) { try await Task.sleep(for: .milliseconds(20)) }
        let answered = clickers.flatMap(\.answered)
        #expect(answered.count >= 60)

        // The next start replays the spool before it serves.
        server = try await Server.startServer(environment: environment, base: base)
        server.terminate()
        server.waitUntilExit()

        let store = try await Store.open(.sqliteFile(path: database))
        struct Row: Decodable { let id: String }
        let stored = Set(try await store.sql.raw("SELECT id FROM clicks").all(decoding: Row.self).map(\.id))
        struct Daily: Decodable { let n: Int64? }
        let rolledUp = try await store.sql.raw("SELECT SUM(clicks) AS n FROM click_daily").first(decoding: Daily.self)?.n
        await store.shutdown()
        let lost = answered.filter { !stored.contains($0) }
        #expect(lost.isEmpty, "\(lost.count) of \(answered.count) answered clicks lost")
        #expect(rolledUp == Int64(stored.count), "the rollups count each click once")
    }
}
