import Foundation
import Testing
@testable import TandemWeb

@Suite struct TrackingScriptTests {
    @Test func theScriptIsServedToAnySite() async throws {
        try await TestApp.with { t in
            let script = try await t.browser.get("/t.js")
            #expect(script.status == .ok)
            #expect(script.headers[.contentType]?.hasPrefix("text/javascript") == true)
            #expect(script.headers[.accessControlAllowOrigin] == "*")
            #expect(script.contains("tdm_click"))
            #expect(script.contains(#"input[name="tdm_click"]"#))
            #expect(!script.contains("</") && !script.contains("innerHTML"), "no markup written into the vendor's page")
        }
    }

    /// The script runs in browsers; here we check it is syntactically valid JavaScript when node is installed.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/node")))
    func theScriptParses() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("t-\(UUID().uuidString).js")
        try TrackingScript.source.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = try ChildProcess(path: "/usr/bin/node", arguments: ["--check", file.path], environment: [:])
        #expect(process.waitUntilExit() == 0)
    }
}
