import FluentKit
import Foundation
import Hummingbird
import TandemDomain
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

@Suite struct ResourcesTests {
    func setUp(_ t: TestEnvironment) async throws -> ProgramWithPartner { try await t.programWithPartner() }

    @Test func aResourceAndATabForASetOfGroups() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            let gold = try #require(try await s.team.api.post("/api/v1/programs/acme/groups", ["name": "Gold"]).string("id"))
            let page = "/vendor/programs/acme/resources"
            #expect(try await s.team.admin.upload(page, to: page, [("title", "Partner deck"), ("group", s.vipID), ("group", gold)],
                                                  file: ("file", "deck.pdf", "application/pdf", Data("%PDF-1.4".utf8))).status == .seeOther)
            #expect(try await s.team.admin.get(page).contains("<td>Gold, VIP</td>"))
            #expect(try await s.team.admin.submit("/vendor/programs/acme/tabs", [("title", "Gold FAQ"), ("kind", "page"), ("group", gold), ("group", s.vipID), ("body", "Hi")]).status == .seeOther)

            #expect(!(try await s.partner.get(s.base + "/resources").contains("Partner deck")), "the default group is not in the set")
            #expect(!(try await s.partner.get(s.base).contains("Gold FAQ")))
            for group in [s.vipID, gold] {
                #expect(try await s.team.api.patch("/api/v1/partnerships/\(s.partnershipID)", ["group": group]).status == .ok)
                #expect(try await s.partner.get(s.base + "/resources").contains("Partner deck"))
                #expect(try await s.partner.get(s.base).contains("Gold FAQ"))
            }
            let listed = try await s.team.api.get("/api/v1/programs/acme/resources")
            #expect(Set((listed.data.first?["groups"] as? [String] ?? []).map { $0.lowercased() }) == [s.vipID.lowercased(), gold.lowercased()])
        }
    }

    @Test func anUploadedFileIsDownloadedByItsGroupAsAnAttachment() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            let page = "/vendor/programs/acme/resources"
            let nothing = try await s.team.admin.upload(page, to: page, [("title", "Kit"), ("group", "")], file: nil)
            #expect(nothing.status == .unprocessableContent)
            #expect(nothing.contains("Choose a file to upload, or give a link."))

            let html = Data("<html><script>alert(document.cookie)</script></html>".utf8)
            let sent = try await s.team.admin.upload(page, to: page, [("title", "Landing page"), ("description", "Our copy"), ("group", "")],
                                                     file: ("file", "landing.html", "text/html", html))
            #expect(sent.location == page + "?done=created")
            let vipOnly = try await s.team.admin.upload(page, to: page, [("title", "VIP deck"), ("group", s.vipID)],
                                                        file: ("file", "deck.pdf", "application/pdf", Data("%PDF-1.4 deck".utf8)))
            #expect(vipOnly.status == .seeOther)
            let stored = try #require(try await Resource.query(on: t.store.db).filter(\.$title == "Landing page").first())
            #expect(stored.sizeBytes == Int64(html.count))

            let list = try await s.partner.get(s.base + "/resources")
            #expect(list.contains("Landing page") && list.contains("landing.html"))
            #expect(!list.contains("VIP deck"), "another group's resource is not listed")
            let download = try await s.partner.get(s.base + "/resources/\(try stored.requireID().pathText)/download")
            #expect(download.status == .ok)
            #expect(download.body.contains("alert(document.cookie)"), "the bytes as uploaded")
            #expect(download.headers[.contentType] == "application/octet-stream", "HTML is never served as a page")
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"landing.html\"") == true)
            #expect(download.headers[.contentSecurityPolicy]?.hasPrefix("sandbox") == true)
            #expect(download.headers[.xContentTypeOptions] == "nosniff")

            let deck = try #require(try await Resource.query(on: t.store.db).filter(\.$title == "VIP deck").first()?.requireID())
            #expect(try await s.partner.get(s.base + "/resources/\(deck.pathText)/download").status == .notFound, "another group's file")
            #expect(try await s.team.api.patch("/api/v1/partnerships/\(s.partnershipID)", ["group": s.vipID]).status == .ok)
            let pdf = try await s.partner.get(s.base + "/resources/\(deck.pathText)/download")
            #expect(pdf.status == .ok && pdf.headers[.contentType] == "application/pdf")

            let removed = try await s.team.admin.post(page + "/\(deck.pathText)/delete", [])
            #expect(removed.location == page + "?done=deleted")
            #expect(try await ResourceFile.query(on: t.store.db).count() == 1, "the bytes go with it")
            #expect(try await s.partner.get(s.base + "/resources/\(deck.pathText)/download").status == .notFound)
        }
    }

    @Test func aLinkAndTheLimits() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            let page = "/vendor/programs/acme/resources"
            let bad = try await s.team.admin.upload(page, to: page, [("title", "Kit"), ("url", "javascript:alert(1)")], file: nil)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.contains("starts with https://"))
            #expect(try await s.team.admin.upload(page, to: page, [("title", "Kit"), ("url", "https://assets.example.com/kit")], file: nil).status == .seeOther)
            let list = try await s.partner.get(s.base + "/resources")
            #expect(list.contains(#"href="https://assets.example.com/kit" target="_blank" rel="noopener noreferrer">Kit"#))

            let big = Data(repeating: 0x41, count: 25 * 1024 * 1024 + 1)
            let tooBig = try await s.team.admin.upload(page, to: page, [("title", "Huge")], file: ("file", "huge.bin", "application/octet-stream", big))
            #expect(tooBig.status == .unprocessableContent)
            #expect(tooBig.contains("at most 25 MB"))
            #expect(try await Resource.query(on: t.store.db).count() == 1)
            // Multipart is taken only where a file belongs: elsewhere its size is the form limit.
            let elsewhere = try await s.team.admin.upload("/vendor/programs/acme/tabs", to: "/vendor/programs/acme/tabs", [("title", "X")],
                                                          file: ("file", "a.bin", "application/octet-stream", Data(repeating: 0x41, count: 100_000)))
            #expect(elsewhere.status == .contentTooLarge)
        }
    }

    @Test func rolesAndTenants() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            let page = "/vendor/programs/acme/resources"
            #expect(try await s.team.readOnly.get(page).status == .ok)
            #expect(try await s.team.readOnly.upload(page, to: page, [("title", "X"), ("url", "https://a.example/")], file: nil).status == .forbidden)
            #expect(try await s.team.manager.upload(page, to: page, [("title", "Doc"), ("group", "")], file: ("file", "doc.txt", "text/plain", Data("hello".utf8))).status == .seeOther)
            let doc = try #require(try await Resource.query(on: t.store.db).first()?.requireID())
            #expect(try await s.team.readOnly.post(page + "/\(doc.pathText)/delete", []).status == .forbidden)

            let globex = try await t.vendorTeam("Globex")
            try await t.program(globex.api, slug: "globex")
            #expect(try await globex.admin.get(page).status == .notFound)
            #expect(try await globex.admin.get(page + "/\(doc.pathText)/download").status == .notFound)
            #expect(try await globex.admin.post("/vendor/programs/globex/resources/\(doc.pathText)/delete", []).status == .notFound)
            #expect(try await globex.api.get("/api/v1/programs/acme/resources").status == .notFound)

            try await TestApp.makePartner(email: "eve@example.com", name: "Eve", store: t.store, clock: t.clock)
            let eve = t.browser
            _ = try await eve.logIn("eve@example.com", "correct horse battery")
            #expect(try await eve.get(s.base + "/resources/\(doc.pathText)/download").status == .notFound)
            let eveAPI = try await t.partnerKey(email: "eve@example.com")
            #expect(try await eveAPI.get("/api/v1/partner/resources/\(doc.pathText)/download").status == .notFound)
            #expect(try await Resource.query(on: t.store.db).count() == 1)
        }
    }

    @Test func theAPIUploadsListsDownloadsAndDeletes() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            let made = try await s.team.api.upload("/api/v1/programs/acme/resources", [("title", "Logo")], file: ("file", "logo.png", "image/png", Data([0x89, 0x50, 0x4E, 0x47])))
            #expect(made.status == .created)
            #expect(made.string("kind") == "file" && made.string("content_type") == "image/png")
            let id = try #require(made.string("id"))
            #expect(try await s.team.api.upload("/api/v1/programs/acme/resources", [("title", "X"), ("colour", "red")], file: nil).errorCode == "unknown_field")
            #expect(try await s.team.api.post("/api/v1/programs/acme/resources", ["title": "JSON"]).status == .badRequest, "a JSON body is not an upload")
            #expect(try await s.team.api.get("/api/v1/programs/acme/resources").data.count == 1)

            let partnerAPI = try await t.partnerKey(email: "pat@example.com")
            let listed = try await partnerAPI.get("/api/v1/partner/resources?program=acme")
            #expect(listed.data.first?["url"] as? String == "http://tandem.test/api/v1/partner/resources/\(id)/download")
            let file = try await partnerAPI.get("/api/v1/partner/resources/\(id)/download")
            #expect(file.status == .ok && file.headers[.contentType] == "image/png")
            #expect(try await partnerAPI.get("/api/v1/partner/resources").status == .badRequest, "program is required")

            #expect(try await s.team.api.delete("/api/v1/programs/acme/resources/\(id)").status == .noContent)
            #expect(try await partnerAPI.get("/api/v1/partner/resources/\(id)/download").status == .notFound)
        }
    }
}
