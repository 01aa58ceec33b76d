import FluentKit
import Foundation
import Hummingbird
import TandemDomain
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

@Suite struct MarkdownHTMLTests {
    @Test func rawHTMLAndScriptURLsNeverPassThrough() {
        let html = MarkdownHTML.render("""
            # Brand <b>assets</b>

            Hello <script>alert(1)</script> and <img src=x onerror=alert(2)>

            <div onclick="alert(3)">block</div>

            [ok](https://example.com/kit?a=1&b=2) [bad](javascript:alert(4)) [quote](https://x.example/" onmouseover="alert(5))
            ![logo](https://evil.example/x.png)

            ```js" onmouseover="alert(6)
            <b>code</b>
            ```
            """)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<div"))
        #expect(!html.contains("<b>"))
        #expect(!html.contains("javascript:"), "\(html)")
        #expect(!html.contains("\" onmouseover"), "no attribute escapes its quotes: \(html)")
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains(#"<a href="https://example.com/kit?a=1&amp;b=2" rel="nofollow noopener noreferrer" target="_blank">ok</a>"#))
        #expect(html.contains("<h1>"), "Markdown still works")
        #expect(html.contains("logo") && !html.contains("evil.example"))
        #expect(html.contains("<pre><code>&lt;b&gt;code&lt;/b&gt;"))
    }
}

@Suite struct CustomTabsTests {
    func setUp(_ t: TestEnvironment) async throws -> ProgramWithPartner { try await t.programWithPartner() }

    @Test func aPageForEveryGroupAndALinkForAnotherGroup() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            let admin = s.team.admin
            let bad = try await admin.submit("/vendor/programs/acme/tabs", [("title", "Kit"), ("kind", "link"), ("url", "javascript:alert(1)"), ("group", "")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.contains("starts with https://"))
            let page = try await admin.submit("/vendor/programs/acme/tabs", [
                ("title", "Brand guide"), ("kind", "page"), ("group", ""), ("body", "## Colours\n\nUse **blue**. <script>alert(1)</script>"),
            ])
            #expect(page.location == "/vendor/programs/acme/tabs?done=created")
            let link = try await admin.submit("/vendor/programs/acme/tabs", [
                ("title", "VIP kit"), ("kind", "link"), ("group", s.vipID), ("url", "https://assets.example.com/vip"),
            ])
            #expect(link.status == .seeOther)

            let summary = try await s.partner.get(s.base)
            #expect(summary.contains(">Brand guide<"))
            #expect(!summary.contains("VIP kit"), "a tab of another group is not shown")
            let pageTab = try #require(try await CustomTab.query(on: t.store.db).filter(\.$title == "Brand guide").first()?.requireID())
            let shown = try await s.partner.get(s.base + "/tabs/\(pageTab.pathText)")
            #expect(shown.status == .ok)
            #expect(shown.contains("<strong>blue</strong>") && shown.contains("&lt;script&gt;"))
            #expect(!shown.contains("<script>alert"))
            let linkTab = try #require(try await CustomTab.query(on: t.store.db).filter(\.$title == "VIP kit").first()?.requireID())
            #expect(try await s.partner.get(s.base + "/tabs/\(linkTab.pathText)").status == .notFound)

            // Moved to VIP, the partner sees the VIP link (opening in a new tab) as well.
            let partnershipID = String(s.base.split(separator: "/").last!)
            #expect(try await s.team.api.patch("/api/v1/partnerships/\(partnershipID)", ["group": s.vipID]).status == .ok)
            let vip = try await s.partner.get(s.base)
            #expect(vip.contains(#"href="https://assets.example.com/vip" target="_blank" rel="noopener noreferrer">VIP kit"#))

            let removed = try await admin.post("/vendor/programs/acme/tabs/\(pageTab.pathText)/delete", [])
            #expect(removed.location == "/vendor/programs/acme/tabs?done=deleted")
            #expect(try await s.partner.get(s.base + "/tabs/\(pageTab.pathText)").status == .notFound)
        }
    }

    @Test func rolesAndTenantsAreEnforced() async throws {
        try await TestApp.with { t in
            let s = try await setUp(t)
            #expect(try await s.team.readOnly.get("/vendor/programs/acme/tabs").status == .ok)
            #expect(try await s.team.readOnly.post("/vendor/programs/acme/tabs", [("title", "X"), ("kind", "page"), ("body", "x")]).status == .forbidden)
            #expect(try await s.team.manager.submit("/vendor/programs/acme/tabs", [("title", "FAQ"), ("kind", "page"), ("group", ""), ("body", "Hi")]).status == .seeOther)
            let tabID = try #require(try await CustomTab.query(on: t.store.db).first()?.requireID())
            #expect(try await s.team.readOnly.post("/vendor/programs/acme/tabs/\(tabID.pathText)/delete", []).status == .forbidden)

            let globex = try await t.vendorTeam("Globex")
            try await t.program(globex.api, slug: "globex")
            #expect(try await globex.admin.get("/vendor/programs/acme/tabs").status == .notFound)
            #expect(try await globex.admin.post("/vendor/programs/globex/tabs/\(tabID.pathText)/delete", []).status == .notFound, "another program's tab")
            #expect(try await globex.admin.post("/vendor/programs/acme/tabs", [("title", "X"), ("kind", "page"), ("body", "x")]).status == .notFound)
            // A group of another program is refused.
            let foreignGroup = try #require(try await ProgramGroup.query(on: t.store.db).join(Program.self, on: \ProgramGroup.$program.$id == \Program.$id)
                .filter(Program.self, \.$slug == "globex").first()?.requireID())
            let wrong = try await s.team.admin.submit("/vendor/programs/acme/tabs", [("title", "X"), ("kind", "page"), ("group", foreignGroup.pathText), ("body", "x")])
            #expect(wrong.status == .unprocessableContent)
            #expect(try await CustomTab.query(on: t.store.db).count() == 1)

            try await TestApp.makePartner(email: "eve@example.com", name: "Eve", store: t.store, clock: t.clock)
            let eve = t.browser
            _ = try await eve.logIn("eve@example.com", "correct horse battery")
            #expect(try await eve.get(s.base + "/tabs/\(tabID.pathText)").status == .notFound)
        }
    }
}
