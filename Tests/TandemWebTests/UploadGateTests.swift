import Foundation
import Hummingbird
import Testing
@testable import TandemWeb

/// An upload form's body is read into memory before its CSRF token can be checked, so a node
/// reads only a few at once (`AppConfig.uploadsAtOnce`); the rest are told to come back.
@Suite struct UploadGateTests {
    static let file = (field: "file", name: "deck.pdf", type: "application/pdf", data: Data(repeating: 7, count: 64 * 1024))

    @Test func uploadsPastTheBoundAre503WithRetryAfterAndOtherFormsAreNot() async throws {
        try await TestApp.run(configure: { $0.uploadsAtOnce = 0 }) { browser, _, _ in
            let upload = try await browser.upload("/login", to: "/vendor/programs/acme/resources", [("title", "Deck")], file: Self.file)
            #expect(upload.status == .serviceUnavailable)
            #expect(upload.headers[.retryAfter] == "5")
            #expect(upload.contains("Too many uploads at once"))
            // A multipart form at any other address is not an upload: read as before.
            let other = try await browser.upload("/login", to: "/login", [("email", "a@example.com")], file: nil)
            #expect(other.status != .serviceUnavailable)
        }
    }

    @Test func aPlaceIsGivenBackWhenTheRequestEnds() async throws {
        try await TestApp.run(configure: { $0.uploadsAtOnce = 1 }) { browser, _, _ in
            // Signed out: each is refused after reading (to the login page), and frees its place for the next.
            for _ in 0..<3 {
                let upload = try await browser.upload("/login", to: "/vendor/programs/acme/resources", [("title", "Deck")], file: Self.file)
                #expect(upload.status != .serviceUnavailable)
            }
            let forged = try await browser.send("/vendor/programs/acme/resources", method: .post,
                                                headers: [.contentType: Multipart.contentType], body: Multipart.body([("title", "x")], file: Self.file))
            #expect(forged.status == .forbidden, "no token: refused once read, and the place is free again")
            #expect(try await browser.upload("/login", to: "/vendor/programs/acme/resources", [("title", "Deck")], file: Self.file).status != .serviceUnavailable)
        }
    }
}
