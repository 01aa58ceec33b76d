import Foundation
import TandemStore
import Testing
@testable import TandemWeb

@Suite struct ConfigTests {
    let secretFile = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-secret-\(UUID().uuidString)").path

    @Test func defaultsNeedNothingSet() throws {
        let config = try AppConfig.fromEnvironment([:], secretFile: secretFile)
        defer { try? FileManager.default.removeItem(atPath: secretFile) }
        #expect(config.port == 8080)
        #expect(config.database == .sqliteFile(path: "tandem.sqlite"))
        #expect(config.baseURL == "http://127.0.0.1:8080")
        #expect(config.smtp == nil)
        #expect(config.secretKey.count >= 32)
        // The generated secret is kept, so a restart keeps sessions and forms valid.
        #expect(try AppConfig.fromEnvironment([:], secretFile: secretFile).secretKey == config.secretKey)
    }

    @Test func postgresWhenDatabaseURLSaysSo() throws {
        let config = try AppConfig.fromEnvironment(["DATABASE_URL": "postgres://u:p@db:5432/tandem", "SECRET_KEY": String(repeating: "k", count: 32)])
        #expect(config.database.isPostgres)
        #expect(!config.database.description.contains(":p@"), "the password is never printed")
    }

    @Test(arguments: [
        (["PORT": "eighty"], "PORT"),
        (["PORT": "70000"], "PORT"),
        (["BASE_URL": "partners.example.com"], "BASE_URL"),
        (["DATABASE_URL": "mysql://x"], "DATABASE_URL"),
        (["DATABASE_URL": "postgres://"], "DATABASE_URL"),
        (["LOG_LEVEL": "loud"], "LOG_LEVEL"),
        (["SECRET_KEY": "short"], "SECRET_KEY"),
        (["TANDEM_ENV": "production"], "SECRET_KEY"),
        (["SMTP_URL": "http://mail"], "SMTP_URL"),
        (["RUN_JOBS": "maybe"], "RUN_JOBS"),
        (["TANDEM_ENV": "staging"], "TANDEM_ENV"),
        (["MAIL_FROM": "Tandem <not an address>"], "MAIL_FROM"),
        (["MAIL_FROM": "Tandem <a@example.com>, Eve <eve@example.com>"], "MAIL_FROM"),
    ])
    func aBadValueStopsStartUpNamingIt(env: [String: String], name: String) {
        do {
            _ = try AppConfig.fromEnvironment(env, secretFile: secretFile)
            Issue.record("\(env) was accepted")
        } catch {
            #expect(String(describing: error).contains(name), "\(error)")
        }
        try? FileManager.default.removeItem(atPath: secretFile)
    }
}
